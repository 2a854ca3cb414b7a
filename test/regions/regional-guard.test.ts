import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MiningGuard, MiningGuardProps, RegionalDeployment, RegionalGuard } from '../../lib';

const ACCOUNT = '111122223333';

/** The home guard in `region`, or in an environment-agnostic stack with `region: null`. */
function homeIn(app: App, props: MiningGuardProps = {}, region: string | null = 'eu-west-1'): MiningGuard {
  const stack = new Stack(app, 'Home', region === null ? {} : { env: { account: ACCOUNT, region } });
  return new MiningGuard(stack, 'MiningGuard', {
    alertEmails: ['secops@example.com'],
    everyRegion: { regions: ['sa-east-1', 'ap-southeast-1'], deployment: RegionalDeployment.CDK_STACKS },
    ...props,
  });
}

function regionalIn(app: App, home: MiningGuard, region: string | undefined, account = ACCOUNT, id = `Guard-${region}`): RegionalGuard {
  return new RegionalGuard(new Stack(app, id, { env: { account, region } }), 'MiningGuard', { home });
}

describe('RegionalGuard', () => {
  test('a stack per region: the regional part forwarding to the home region, deployed after it, with nothing account-wide', () => {
    const app = new App();
    const home = homeIn(app);
    const sa = regionalIn(app, home, 'sa-east-1');
    regionalIn(app, home, 'ap-southeast-1');
    const t = Template.fromStack(Stack.of(sa));
    expect(Stack.of(sa).dependencies).toEqual([Stack.of(home)]);
    expect(sa.forwardingRules.length).toBeGreaterThanOrEqual(3);
    expect(sa.detector).toBeDefined();
    for (const type of ['AWS::Lambda::Function', 'AWS::Budgets::Budget', 'AWS::CE::AnomalyMonitor', 'AWS::CloudTrail::Trail', 'AWS::SNS::Topic', 'AWS::DynamoDB::Table']) {
      t.resourceCountIs(type, 0);
    }
    t.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:eu-west-1:111122223333:event-bus/default']] } })],
    });
    // The home stack deploys no StackSet: the app's stacks carry the regional part.
    Template.fromStack(Stack.of(home)).resourceCountIs('AWS::CloudFormation::StackSet', 0);
    expect(() => app.synth()).not.toThrow();
  });

  test('no detector where the home says one exists', () => {
    const app = new App();
    const home = homeIn(app, { everyRegion: { regions: ['sa-east-1'], deployment: RegionalDeployment.CDK_STACKS, existingDetectorRegions: ['sa-east-1'] } });
    expect(regionalIn(app, home, 'sa-east-1').detector).toBeUndefined();
  });

  test('the synth fails, saying what to add, when a listed region has no RegionalGuard', () => {
    const app = new App();
    const home = homeIn(app);
    regionalIn(app, home, 'sa-east-1');
    expect(() => app.synth()).toThrow(/everyRegion.regions lists ap-southeast-1, but no RegionalGuard of this MiningGuard is in ap-southeast-1.*new RegionalGuard\(new Stack\(app, 'MiningGuard-ap-southeast-1'/s);
  });

  test.each([
    ['a home that deploys its own StackSet', (app: App) => regionalIn(app, homeIn(app, { everyRegion: { regions: ['sa-east-1'] } }), 'sa-east-1'),
      /deploys its regional part itself, as a StackSet.*deployment: RegionalDeployment.CDK_STACKS/],
    ['a stack without a region', (app: App) => regionalIn(app, homeIn(app), undefined, ACCOUNT, 'Agnostic'), /the stack Agnostic has no region.*env: \{ region: 'sa-east-1' \}/],
    ['a home without a region', (app: App) => regionalIn(app, homeIn(app, {}, null), 'sa-east-1'), /the home stack Home has no region.*env: \{ region: 'eu-west-1' \}/],
    ['the home region', (app: App) => regionalIn(app, homeIn(app), 'eu-west-1'), /eu-west-1 is the home region/],
    ['a region the home does not list', (app: App) => regionalIn(app, homeIn(app), 'us-east-1'), /us-east-1 is not in the MiningGuard's everyRegion.regions \(sa-east-1, ap-southeast-1\)\. Add 'us-east-1'/],
    ['another account', (app: App) => regionalIn(app, homeIn(app), 'sa-east-1', '444455556666'), /in account 444455556666, the MiningGuard in 111122223333/],
    ['a second one in a region', (app: App) => {
      const home = homeIn(app);
      regionalIn(app, home, 'sa-east-1');
      regionalIn(app, home, 'sa-east-1', ACCOUNT, 'Again');
    }, /already guards sa-east-1 for this MiningGuard/],
  ])('refuses %s with a message saying what to do', (_, build, message) => {
    expect(() => build(new App())).toThrow(message);
  });
});

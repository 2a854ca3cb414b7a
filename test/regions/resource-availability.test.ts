import { App, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BudgetActionApproval, MiningGuard, RecorderMode } from '../../lib';
import {
  checkRegionSupport,
  isCoveredResourceType,
  missingResourceTypes,
  regionsOffering,
} from '../../lib/regions/resource-availability';
import { GUARD_NAMESPACES } from '../../tools/regions-resource-types';

const HOME = 'MiningGuard (the home part)';

/** A part with a budget and a topic, in a stack of the region given, or of none. */
function partWithBudget(region?: string): { stack: Stack; part: Construct } {
  const stack = new Stack(new App(), 'Test', region ? { env: { account: '111122223333', region } } : {});
  const part = new Construct(stack, 'Part');
  new budgets.CfnBudget(part, 'Budget', { budget: { budgetType: 'COST', timeUnit: 'MONTHLY' } });
  new sns.Topic(part, 'Topic');
  return { stack, part };
}

describe('checkRegionSupport', () => {
  test('refuses a home region without Budgets, naming the part, the region, the type and where to deploy instead', () => {
    // GIVEN
    const { part } = partWithBudget('eu-north-1');

    // WHEN / THEN
    expect(() => checkRegionSupport(part, HOME, { advice: 'and list eu-north-1 among the regions of the regional part' })).toThrow(
      'MiningGuard (the home part) cannot deploy in eu-north-1: CloudFormation offers no AWS::Budgets::Budget there (cfn-lint 1.51.0). '
      + 'Deploy it in a region that offers them, e.g. eu-central-1, and list eu-north-1 among the regions of the regional part.',
    );
  });

  test('suggests a region of the same area and direction, enabled by default, when there is one', () => {
    expect(() => checkRegionSupport(partWithBudget('ap-south-2').part, HOME)).toThrow(/e\.g\. ap-south-1\.$/);
    expect(() => checkRegionSupport(partWithBudget('ca-west-1').part, HOME)).toThrow(/e\.g\. ca-central-1\.$/);
  });

  test('says so when no region of the partition offers the types', () => {
    expect(() => checkRegionSupport(partWithBudget('us-gov-west-1').part, HOME, { advice: 'never shown' })).toThrow(
      'MiningGuard (the home part) cannot deploy in us-gov-west-1: CloudFormation offers no AWS::Budgets::Budget there (cfn-lint 1.51.0). '
      + 'No region of partition aws-us-gov offers them all, so it cannot deploy in this partition.',
    );
  });

  test('accepts a region that offers every type, silently', () => {
    // GIVEN
    const { stack, part } = partWithBudget('eu-west-1');
    // WHEN
    checkRegionSupport(part, HOME);
    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('warns, in an environment-agnostic stack, of every region where the part cannot deploy', () => {
    // GIVEN
    const { stack, part } = partWithBudget();

    // WHEN
    checkRegionSupport(part, HOME);

    // THEN
    Annotations.fromStack(stack).hasWarning('/Test/Part', Match.stringLikeRegexp(
      '^MiningGuard \\(the home part\\) is in an environment-agnostic stack, so its region is only known at deployment, and CloudFormation '
      + 'lacks some of its resource types in af-south-1, ap-east-1, .*eu-north-1, .*us-gov-west-1 \\(no AWS::Budgets::Budget\\): it cannot '
      + 'deploy there\\. Set `env: \\{ region \\}` on the stack to have the synth check its region\\.',
    ));
    const warning = Annotations.fromStack(stack).findWarning('/Test/Part', Match.anyValue())[0].entry.data as string;
    expect(warning).not.toMatch(/eu-west-1|us-east-1/);
  });

  test('groups the regions of an environment-agnostic warning by what they lack', () => {
    // GIVEN a part with a Cost Anomaly Detection monitor too, which fewer regions offer
    const { stack, part } = partWithBudget();
    new CfnResource(part, 'Monitor', { type: 'AWS::CE::AnomalyMonitor' });

    // WHEN
    checkRegionSupport(part, HOME);

    // THEN
    Annotations.fromStack(stack).hasWarning('/Test/Part', Match.stringLikeRegexp(
      'eu-north-1, .* \\(no AWS::Budgets::Budget\\); ap-east-2, .* \\(no AWS::Budgets::Budget, AWS::CE::AnomalyMonitor\\)',
    ));
  });

  test('does not warn in an environment-agnostic stack when every region offers every type', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Test');
    const part = new Construct(stack, 'Part');
    new sns.Topic(part, 'Topic');
    // WHEN
    checkRegionSupport(part, 'the regional part');
    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('warns that a region the table does not know cannot be checked', () => {
    // GIVEN
    const { stack, part } = partWithBudget('xx-future-1');
    // WHEN
    checkRegionSupport(part, HOME);
    // THEN
    Annotations.fromStack(stack).hasWarning('/Test/Part', Match.stringLikeRegexp(
      '^MiningGuard \\(the home part\\): the table of resource types by region \\(cfn-lint 1\\.51\\.0\\) does not know xx-future-1, so the '
      + 'synth cannot check that CloudFormation offers the 2 resource types it uses there; a missing one fails the deployment\\.',
    ));
  });

  test('leaves custom resources and types outside the table\'s namespaces unchecked', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Test', { env: { region: 'eu-north-1' } });
    const part = new Construct(stack, 'Part');
    new CfnResource(part, 'Custom', { type: 'Custom::Anything' });
    new CfnResource(part, 'Vpc', { type: 'AWS::EC2::VPC' });
    // WHEN / THEN
    expect(() => checkRegionSupport(part, HOME)).not.toThrow();
  });
});

describe('missingResourceTypes', () => {
  test('lists what a region lacks, and nothing for custom resources', () => {
    expect(missingResourceTypes('eu-north-1', ['AWS::SNS::Topic', 'AWS::Budgets::Budget', 'Custom::X'])).toEqual(['AWS::Budgets::Budget']);
    expect(missingResourceTypes('eu-west-1', ['AWS::Budgets::Budget', 'AWS::CE::AnomalyMonitor'])).toEqual([]);
  });

  test('counts a type of the table\'s namespaces that no region offers as missing everywhere', () => {
    expect(missingResourceTypes('us-east-1', ['AWS::SNS::Topik'])).toEqual(['AWS::SNS::Topik']);
  });

  test('does not know a region outside the table', () => {
    expect(missingResourceTypes('us-iso-east-1', ['AWS::SNS::Topic'])).toBeUndefined();
  });

  test('refuses a type outside the table\'s namespaces, saying how to cover it', () => {
    expect(() => missingResourceTypes('us-east-1', ['AWS::EC2::VPC', 'AWS::SNS::Topic'])).toThrow(
      /covers the namespaces Budgets, CDK, .*, not AWS::EC2::VPC\. Add the namespace to GUARD_NAMESPACES in tools\/regions-resource-types\.ts and run `npx projen regions:resource-types`\./,
    );
  });
});

describe('regionsOffering', () => {
  test('lists every region that offers all the types, in every partition or in one', () => {
    // WHEN
    const all = regionsOffering(['AWS::Budgets::Budget']);
    const commercial = regionsOffering(['AWS::Budgets::Budget'], 'aws');

    // THEN
    expect(all).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1', 'cn-north-1']));
    expect(all).not.toContain('eu-north-1');
    expect(commercial).toEqual(all.filter((r) => !r.startsWith('cn-')));
    expect(regionsOffering(['AWS::Chatbot::SlackChannelConfiguration'], 'aws-cn')).toEqual([]);
  });

  test('lists every region of the table for types every region offers, and sorts them', () => {
    const regions = regionsOffering(['AWS::SNS::Topic', 'Custom::X']);
    expect(regions).toEqual([...regions].sort());
    expect(regions).toEqual(expect.arrayContaining(['af-south-1', 'cn-north-1', 'us-gov-west-1']));
  });
});

describe('the table\'s namespaces', () => {
  test('cover every resource type a fully-featured MiningGuard synthesizes', () => {
    // GIVEN a guard with every optional part: compliance, compute budget, budget action, Slack
    const stack = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
    const guard = new MiningGuard(stack, 'MiningGuard', {
      alertEmails: ['secops@example.com'],
      alertSlack: { workspaceId: 'T0123', channelId: 'C0123' },
      alertWebhookUrls: ['https://hooks.example.com/guard'],
      spendGuard: {
        computeBudget: true,
        ec2RunningHoursLimit: 5000,
        budgetAction: { approval: BudgetActionApproval.MANUAL, roles: [iam.Role.fromRoleName(stack, 'CiRole', 'ci-deploy')] },
      },
      compliance: { recorder: RecorderMode.CREATE, cisMetricFilters: true, maxAccessKeyAge: Duration.days(90) },
    });

    // WHEN
    const types = [...new Set(guard.node.findAll().filter(CfnResource.isCfnResource).map((r) => r.cfnResourceType))];

    // THEN the AWS types are all in the generator's namespaces, so checkRegionSupport judges every one of them
    const outside = types.filter((t) => !t.startsWith('Custom::') && !GUARD_NAMESPACES.includes(t.split('::')[1]));
    expect(outside).toEqual([]);
    expect(types.filter((t) => !isCoveredResourceType(t))).toEqual([]);
    expect(types).toEqual(expect.arrayContaining(['AWS::Budgets::BudgetsAction', 'AWS::Chatbot::SlackChannelConfiguration', 'AWS::Config::ConfigRule']));
  });
});

import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { MiningGuard, RecorderMode } from '../../lib';
import { Singleton, singletonLookupKey } from '../../lib/lookups/account-singletons';

const ENV = { account: '111122223333', region: 'eu-west-1' };
const REGIONS = ['us-east-1', 'sa-east-1', 'ap-southeast-1'];

/** Every lookup answered: no detector anywhere, and a recorder in the regions listed (the home region among them or not). */
function context(recorderRegions: readonly string[]): Record<string, unknown> {
  const probe = new Stack(new App(), 'Probe', { env: ENV });
  const key = (s: Singleton, region?: string) => singletonLookupKey(probe, s, region);
  return {
    [key('detector')]: [],
    [key('anomalyMonitor')]: [],
    [key('trail')]: [],
    [key('recorder')]: recorderRegions.includes(ENV.region) ? [{ Identifier: 'default' }] : [],
    ...Object.fromEntries(REGIONS.flatMap((r) => [
      [key('detector', r), []],
      [key('recorder', r), recorderRegions.includes(r) ? [{ Identifier: 'default' }] : []],
    ])),
  };
}

function guard(answers: Record<string, unknown>, recorder?: RecorderMode): { stack: Stack; template: Template } {
  const stack = new Stack(new App({ context: answers }), 'Busy', { env: ENV });
  new MiningGuard(stack, 'MiningGuard', { alertEmails: ['secops@example.com'], everyRegion: { regions: REGIONS }, compliance: { recorder } });
  return { stack, template: Template.fromStack(stack) };
}

/** Each StackSet instance group's regions and parameter overrides. */
function groups(template: Template): Array<[string[], Record<string, string>]> {
  const set = Object.values(template.findResources('AWS::CloudFormation::StackSet'))[0] as { Properties: { StackInstancesGroup: any[] } };
  return set.Properties.StackInstancesGroup.map((g) => [
    g.Regions, Object.fromEntries(g.ParameterOverrides.map((o: any) => [o.ParameterKey, o.ParameterValue])),
  ]);
}

describe('withLookedUpRecorders', () => {
  test('each region\'s recorder answer reaches its stack instance: adopted where one exists, created where none does', () => {
    const { template, stack } = guard(context(['eu-west-1', 'sa-east-1']));
    template.resourceCountIs('AWS::Config::ConfigurationRecorder', 0);
    expect(groups(template)).toEqual([
      [['us-east-1', 'ap-southeast-1'], { CreateDetector: 'true', CreateRecorder: 'true' }],
      [['sa-east-1'], { CreateDetector: 'true', CreateRecorder: 'false' }],
    ]);
    expect(Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('found configuration recorders in sa-east-1: adopted there.*No recorder in us-east-1, ap-southeast-1'))).toHaveLength(1);
  });

  test('`compliance.recorder` wins: every region does what it says, and nothing is looked up per region', () => {
    const { template } = guard(context(['sa-east-1']), RecorderMode.CREATE);
    template.resourceCountIs('AWS::Config::ConfigurationRecorder', 1);
    expect(groups(template)).toEqual([[REGIONS, { CreateDetector: 'true' }]]);
  });

  test('before the CLI has answered, every region follows the home region\'s choice', () => {
    const app = new App();
    const stack = new Stack(app, 'Busy', { env: ENV });
    new MiningGuard(stack, 'MiningGuard', { everyRegion: { regions: REGIONS }, compliance: {} });
    expect(groups(Template.fromStack(stack))).toEqual([[REGIONS, { CreateDetector: 'true' }]]);
    const probe = new Stack(new App(), 'Probe', { env: ENV });
    const missing = (app.synth().manifest.missing ?? []).map((m) => m.key);
    for (const region of REGIONS) expect(missing).toContain(singletonLookupKey(probe, 'recorder', region));
  });
});

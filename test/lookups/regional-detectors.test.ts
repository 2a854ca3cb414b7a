/** The one-line guard in a busy account: what the lookups find is adopted, the rest created, region by region. */
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { MiningGuard, MiningGuardProps, RecorderMode } from '../../lib';
import { Singleton, singletonLookupKey } from '../../lib/lookups/account-singletons';

const ENV = { account: '111122223333', region: 'eu-west-1' };
const REGIONS = ['us-east-1', 'sa-east-1', 'ap-southeast-1'];
const MONITOR = 'arn:aws:ce::111122223333:anomalymonitor/abcdefgh-1234-4ea0-84cc-918a97d736ef';

/** The context the CDK CLI records for these answers (by singleton, and by region for the detectors). */
function answers(found: { detectors?: string[]; monitor?: boolean; recorder?: boolean; trail?: string }): Record<string, unknown> {
  const probe = new Stack(new App(), 'Probe', { env: ENV });
  const key = (s: Singleton, region?: string) => singletonLookupKey(probe, s, region);
  const detectors = found.detectors ?? [];
  return {
    [key('detector')]: detectors.includes(ENV.region) ? [{ Identifier: 'home0123456789abcdef0123456789abcd' }] : [],
    ...Object.fromEntries(REGIONS.map((r) => [key('detector', r), detectors.includes(r) ? [{ Identifier: `d-${r}` }] : []])),
    [key('anomalyMonitor')]: found.monitor ? [{ Identifier: MONITOR, MonitorName: 'Default-Services-Monitor' }] : [],
    [key('recorder')]: found.recorder ? [{ Identifier: 'default' }] : [],
    [key('trail')]: found.trail ? [{ Identifier: found.trail }] : [],
    ...Object.fromEntries(REGIONS.map((r) => [key('recorder', r), found.recorder ? [{ Identifier: 'default' }] : []])),
  };
}

function guard(context: Record<string, unknown>, props: MiningGuardProps = {}): { stack: Stack; app: App; template: Template } {
  const app = new App({ context });
  const stack = new Stack(app, 'Busy', { env: ENV });
  new MiningGuard(stack, 'MiningGuard', { alertEmails: ['secops@example.com'], everyRegion: { regions: REGIONS }, compliance: {}, ...props });
  return { stack, app, template: Template.fromStack(stack) };
}

/** The StackSet's instance groups: the regions of each CreateDetector choice. */
function detectorChoices(template: Template): Record<string, string[]> {
  const set = Object.values(template.findResources('AWS::CloudFormation::StackSet'))[0] as { Properties: { StackInstancesGroup: any[] } };
  return Object.fromEntries(set.Properties.StackInstancesGroup.map((g) => [g.ParameterOverrides[0].ParameterValue, g.Regions]));
}

describe('the guard with every lookup answered', () => {
  test('a busy account: its detectors, monitor, recorder and trail are adopted; a region without a detector gets one', () => {
    const { stack, template } = guard(answers({ detectors: ['eu-west-1', 'sa-east-1'], monitor: true, recorder: true, trail: 'org-trail' }));
    for (const type of ['AWS::GuardDuty::Detector', 'AWS::CE::AnomalyMonitor', 'AWS::Config::ConfigurationRecorder', 'AWS::Config::DeliveryChannel', 'AWS::CloudTrail::Trail']) {
      template.resourceCountIs(type, 0);
    }
    template.hasResourceProperties('AWS::CE::AnomalySubscription', { MonitorArnList: [MONITOR] });
    // Config rules run on the adopted recorder.
    expect(Object.keys(template.findResources('AWS::Config::ConfigRule')).length).toBeGreaterThan(0);
    // Each region's answer reaches its stack instance.
    expect(detectorChoices(template)).toEqual({ true: ['us-east-1', 'ap-southeast-1'], false: ['sa-east-1'] });
    const infos = Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('^MiningGuard lookup: ')).map((m) => String(m.entry.data));
    expect(infos).toEqual(expect.arrayContaining([
      expect.stringMatching(/^MiningGuard lookup: found GuardDuty detector home0123456789abcdef0123456789abcd in eu-west-1: it is adopted/),
      expect.stringMatching(/found GuardDuty detectors in sa-east-1: adopted there .* No detector in us-east-1, ap-southeast-1: one is created in each/),
      expect.stringMatching(/found the account's AWS services \(SERVICE\) anomaly monitor arn:aws:ce::111122223333:anomalymonitor\/abcdefgh/),
      expect.stringMatching(/found configuration recorder default in eu-west-1: it is adopted/),
      expect.stringMatching(/found multi-region trail org-trail: it is adopted .* no second, paid copy/),
    ]));
  });

  test('an empty account: everything is created, and created singletons are kept when the stack is deleted', () => {
    const { template } = guard(answers({}));
    template.hasResource('AWS::GuardDuty::Detector', { DeletionPolicy: 'Retain' });
    template.hasResource('AWS::CE::AnomalyMonitor', { DeletionPolicy: 'Retain', Properties: { MonitorType: 'DIMENSIONAL', MonitorDimension: 'SERVICE' } });
    template.hasResource('AWS::Config::ConfigurationRecorder', { DeletionPolicy: 'Retain' });
    template.hasResource('AWS::Config::DeliveryChannel', { DeletionPolicy: 'Retain' });
    template.resourceCountIs('AWS::CloudTrail::Trail', 1);
    expect(detectorChoices(template)).toEqual({ true: REGIONS });
  });

  test('props win over every lookup', () => {
    const { template, stack } = guard(answers({ detectors: ['eu-west-1', 'sa-east-1'], monitor: true, recorder: true, trail: 'org-trail' }), {
      threatDetection: { existingDetectorId: 'mine0123456789abcdef0123456789abc' },
      everyRegion: { regions: REGIONS, existingDetectorRegions: ['us-east-1'] },
      spendGuard: { anomalyMonitorName: 'my-services-monitor' },
      compliance: { recorder: RecorderMode.CREATE },
      auditTrail: { trailName: 'mining-guard' },
    });
    template.hasResourceProperties('AWS::CE::AnomalyMonitor', { MonitorName: 'my-services-monitor' });
    template.resourceCountIs('AWS::CloudTrail::Trail', 1);
    expect(detectorChoices(template)).toEqual({ true: ['sa-east-1', 'ap-southeast-1'], false: ['us-east-1'] });
    template.resourceCountIs('AWS::GuardDuty::Detector', 0);
    template.resourceCountIs('AWS::Config::ConfigurationRecorder', 1);
    expect(Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('found GuardDuty detector home'))).toEqual([]);
  });

  test('detector options ask for new detectors: created, with a warning for each place one exists', () => {
    const { template, stack } = guard(answers({ detectors: ['eu-west-1', 'sa-east-1'] }), { threatDetection: { aiProtection: true } });
    template.resourceCountIs('AWS::GuardDuty::Detector', 1);
    expect(detectorChoices(template)).toEqual({ true: REGIONS });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('already has GuardDuty detector|GuardDuty detectors exist in'));
    expect(warnings.map((w) => String(w.entry.data)).sort()).toEqual([
      expect.stringMatching(/^GuardDuty detectors exist in sa-east-1, but `aiProtection` configure new ones.*everyRegion\.existingDetectorRegions/),
      expect.stringMatching(/^eu-west-1 already has GuardDuty detector home0123456789abcdef0123456789abcd, but `aiProtection` configure a new one.*existingDetectorId: 'home0123/),
    ]);
  });
});

describe('the guard before the CLI has answered', () => {
  test('records each lookup as missing context, and builds as in an empty account', () => {
    const { app, template } = guard({});
    const missing = app.synth().manifest.missing ?? [];
    const probe = new Stack(new App(), 'Probe', { env: ENV });
    expect(missing.map((m) => m.key).sort()).toEqual([
      singletonLookupKey(probe, 'detector'), ...REGIONS.map((r) => singletonLookupKey(probe, 'detector', r)),
      singletonLookupKey(probe, 'anomalyMonitor'), singletonLookupKey(probe, 'recorder'), singletonLookupKey(probe, 'trail'),
      ...REGIONS.map((r) => singletonLookupKey(probe, 'recorder', r)),
    ].sort());
    expect(new Set(missing.map((m) => m.provider))).toEqual(new Set(['cc-api-provider']));
    template.resourceCountIs('AWS::GuardDuty::Detector', 1);
    template.resourceCountIs('AWS::CE::AnomalyMonitor', 1);
    template.resourceCountIs('AWS::CloudTrail::Trail', 1);
  });

  test('`lookup: false`, or an environment-agnostic stack, looks nothing up', () => {
    expect(guard({}, { lookup: false, compliance: { recorder: RecorderMode.CREATE } }).app.synth().manifest.missing).toBeUndefined();
    const app = new App();
    new MiningGuard(new Stack(app, 'Agnostic'), 'MiningGuard', { everyRegion: { regions: REGIONS } });
    expect(app.synth().manifest.missing).toBeUndefined();
  });

  test('an environment-agnostic stack must still say what to do with the Config recorder', () => {
    expect(() => new MiningGuard(new Stack(new App(), 'Agnostic'), 'MiningGuard', { compliance: {} }))
      .toThrow(/ComplianceRules: say what to do with the region's configuration recorder: `recorder: RecorderMode\.ADOPT`.*A stack with a concrete account and region looks it up instead\./);
  });
});

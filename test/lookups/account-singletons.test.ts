import { App, Stack } from 'aws-cdk-lib';
import { Annotations as AssertedAnnotations, Match } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import {
  LOOKUP_CONTEXT, lookUpSingleton, looksUp, reportLookup, SINGLETONS, singletonLookupKey,
} from '../../lib/lookups/account-singletons';

const ENV = { account: '111122223333', region: 'eu-west-1' };

/** The context key of a singleton's lookup, as a stack in ENV records it. */
function keyOf(singleton: keyof typeof SINGLETONS, region?: string): string {
  return singletonLookupKey(new Stack(new App(), 'Probe', { env: ENV }), singleton, region);
}

function stackWith(context: Record<string, unknown> = {}): Stack {
  return new Stack(new App({ context }), 'Test', { env: ENV });
}

describe('looksUp', () => {
  test('only in a stack with a concrete account and region, and not when the lookup context is false', () => {
    expect(looksUp(stackWith())).toBe(true);
    expect(looksUp(new Stack(new App(), 'Agnostic'))).toBe(false);
    expect(looksUp(new Stack(new App(), 'RegionOnly', { env: { region: 'eu-west-1' } }))).toBe(false);
    expect(looksUp(stackWith({ [LOOKUP_CONTEXT]: false }))).toBe(false);
    const guard = new Construct(stackWith(), 'Guard');
    guard.node.setContext(LOOKUP_CONTEXT, false);
    expect(looksUp(new Construct(guard, 'Part'))).toBe(false);
  });
});

describe('lookUpSingleton', () => {
  test('with no answer yet, it is pending and the query is recorded as missing context, as aws-cdk-lib\'s own lookups are', () => {
    const app = new App();
    const stack = new Stack(app, 'Test', { env: ENV });
    expect(lookUpSingleton(stack, 'detector')).toEqual({ state: 'pending' });
    expect(lookUpSingleton(stack, 'detector', { region: 'sa-east-1' })).toEqual({ state: 'pending' });
    const missing = app.synth().manifest.missing ?? [];
    expect(missing.map((m) => [m.key, m.provider])).toEqual([
      [keyOf('detector'), 'cc-api-provider'],
      [keyOf('detector', 'sa-east-1'), 'cc-api-provider'],
    ]);
    expect(missing[1].props).toMatchObject({
      account: ENV.account, region: 'sa-east-1', typeName: 'AWS::GuardDuty::Detector', propertyMatch: {}, propertiesToReturn: [],
    });
  });

  test('each singleton is a query Cloud Control can answer: its type, what a match must be, and nothing it may lack', () => {
    expect(SINGLETONS.anomalyMonitor).toMatchObject({ typeName: 'AWS::CE::AnomalyMonitor', propertyMatch: { MonitorType: 'DIMENSIONAL', MonitorDimension: 'SERVICE' } });
    expect(SINGLETONS.trail).toMatchObject({ typeName: 'AWS::CloudTrail::Trail', propertyMatch: { IsMultiRegionTrail: true } });
    expect(SINGLETONS.recorder.typeName).toBe('AWS::Config::ConfigurationRecorder');
  });

  test('an answer with matches is the first identifier in order, whatever order Cloud Control listed them in', () => {
    const stack = stackWith({ [keyOf('detector')]: [{ Identifier: 'd-b' }, { Identifier: 'd-a' }] });
    expect(lookUpSingleton(stack, 'detector')).toEqual({ state: 'found', id: 'd-a' });
  });

  test('an empty answer is absent; excluded matches are left out; entries without an identifier are ignored', () => {
    expect(lookUpSingleton(stackWith({ [keyOf('recorder')]: [] }), 'recorder')).toEqual({ state: 'absent' });
    const trails = stackWith({ [keyOf('trail')]: [{ Identifier: 'Test-AuditTrail-1A2B' }, { Identifier: 42 }, {}] });
    expect(lookUpSingleton(trails, 'trail', { exclude: (m) => String(m.Identifier).startsWith('Test-') })).toEqual({ state: 'absent' });
    expect(lookUpSingleton(trails, 'trail')).toEqual({ state: 'found', id: 'Test-AuditTrail-1A2B' });
  });

  test('a context value that is not the list the CLI records fails with how to reset it', () => {
    expect(() => lookUpSingleton(stackWith({ [keyOf('detector')]: 'd-a' }), 'detector'))
      .toThrow(/GuardDuty detector lookup \(cc-api-provider:.*\) is not the list the CDK CLI records\. Remove it with `cdk context --reset <key>`/);
  });
});

describe('reportLookup', () => {
  test('says what was found as an info annotation, with how to refresh it', () => {
    const stack = stackWith();
    reportLookup(stack, 'found GuardDuty detector d-a in eu-west-1: it is adopted.');
    AssertedAnnotations.fromStack(stack).hasInfo('/Test', Match.stringLikeRegexp('^MiningGuard lookup: found GuardDuty detector d-a in eu-west-1: it is adopted\\. Refresh with `cdk context --reset <key>`'));
  });
});

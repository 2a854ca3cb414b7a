import * as fc from 'fast-check';
import { bundledSpec } from '../../../../lambda/core/launch/bundled-specs';
import { isLaunchDetection, judgeLaunch, Judgement } from '../../../../lambda/core/launch/judge-launch';
import { NamedTypes, OFFLINE_NAMED_TYPES } from '../../../../lambda/core/launch/named-types';
import { DETECTIONS, LAUNCH_BURST, LAUNCH_DETECTIONS, resolveLaunchSettings, TAMPER_DETECTIONS } from '../../../../lib/catalog';
import { cloudTrailRecord, eventBridgeEvent, runInstances } from '../../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../../fixtures/real-events';

const NOW = new Date('2026-11-20T03:12:10Z');
const DEFAULTS = resolveLaunchSettings({});
const STOP = resolveLaunchSettings({ responses: { 'ec2-instance-launch': 'STOP' } });

const STRATUS = readJsonLines('cloudtrail/attack/stratus_detonation_logs.jsonl');
const INVICTUS = readJsonLines('cloudtrail/attack/invictus_stratus_2023-07-10.jsonl');
const DOCS = readJsonLines('cloudtrail/benign/awsdocs_cloudtrail_examples.jsonl');

function judged(j: Judgement): Extract<Judgement, { outcome: 'judged' }> {
  if (j.outcome !== 'judged') throw new Error(`expected a judged launch, got ${j.outcome}`);
  return j;
}

describe('isLaunchDetection', () => {
  test('is true for the launch detections only', () => {
    expect(DETECTIONS.filter(isLaunchDetection)).toEqual(LAUNCH_DETECTIONS);
    expect(isLaunchDetection(LAUNCH_BURST)).toBe(false);
    expect(TAMPER_DETECTIONS.some(isLaunchDetection)).toBe(false);
  });
});

describe('judgeLaunch', () => {
  test('the real refused p2.xlarge launch is judged, flagged, and, having started nothing, planned nothing', () => {
    // GIVEN the Stratus role's launch, refused for the vCPU limit, as EventBridge delivers it
    const record = INVICTUS.find((r) => r.eventID === '8e865acb-b1e1-41d1-bdf3-47462f79d24c')!;
    // WHEN
    const j = judged(judgeLaunch(eventBridgeEvent(record), STOP, bundledSpec, NOW));
    // THEN
    expect(j.record.eventId).toBe('8e865acb-b1e1-41d1-bdf3-47462f79d24c');
    expect(j.request.instanceTypes).toEqual([{ type: 'p2.xlarge', count: 10 }]);
    expect(j.verdict).toMatchObject({ flagged: true, severity: 'HIGH', failed: true, response: 'NOTIFY', vcpus: 40, gpus: 10, usdPerHour: 9 });
    expect(j.verdict.reasons).toEqual([
      'instance type p2.xlarge is in the denied family p',
      'launch refused with Client.VcpuLimitExceeded: the account\'s limit was reached',
    ]);
    expect(j.plan).toEqual({
      region: 'us-east-1',
      actions: [],
      tags: {
        'mining-guard:detection': 'ec2-instance-launch',
        'mining-guard:contained-at': '2026-11-20T03:12:10.000Z',
        'mining-guard:event-id': '8e865acb-b1e1-41d1-bdf3-47462f79d24c',
      },
    });
  });

  test('a flagged launch that started instances is contained as the settings say', () => {
    const j = judged(judgeLaunch(runInstances('p3.2xlarge', 1, ['i-0ddd']), STOP, bundledSpec, NOW));
    expect(j.verdict).toMatchObject({ flagged: true, response: 'STOP' });
    expect(j.plan.actions).toEqual([{ kind: 'stop-instances', instanceIds: ['i-0ddd'] }]);
    expect(judged(judgeLaunch(runInstances('p3.2xlarge', 1, ['i-0ddd']), DEFAULTS, bundledSpec, NOW)).plan.actions).toEqual([]);
  });

  test('a launch within the policy is judged but never contained', () => {
    const terraform = INVICTUS.find((r) => r.eventID === '86eac0ac-8521-4126-aa32-a22f2b74d02e')!;
    const j = judged(judgeLaunch(terraform, STOP, bundledSpec, NOW));
    expect(j.verdict).toMatchObject({ flagged: false, reasons: ['within the launch policy'], response: 'NOTIFY' });
    expect(j.plan.actions).toEqual([]);
  });

  test('the types named only by a template come from what the shell looked up', () => {
    // GIVEN a launch from a template, and a shell that knows the template's type
    const record = cloudTrailRecord('ec2.amazonaws.com', 'RunInstances', {
      instancesSet: { items: [{ minCount: 1, maxCount: 4 }] }, launchTemplate: { launchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', version: '2' },
    });
    const named: NamedTypes = {
      ...OFFLINE_NAMED_TYPES,
      ofTemplate: (ref) => (ref.id === 'lt-0a1b2c3d4e5f6a7b8' ? { type: 'p3.16xlarge' } : { unknown: 'no' }),
    };
    // WHEN
    const offline = judged(judgeLaunch(record, DEFAULTS, bundledSpec, NOW));
    const looked = judged(judgeLaunch(record, DEFAULTS, bundledSpec, NOW, named));
    // THEN
    expect(offline.request.unknowns)
      .toEqual(['instance type of launch template lt-0a1b2c3d4e5f6a7b8 (version 2): not looked up without an AWS call']);
    expect(offline.verdict.usdPerHour).toBeUndefined();
    expect(looked.request.instanceTypes).toEqual([{ type: 'p3.16xlarge', count: 4 }]);
    expect(looked.verdict).toMatchObject({ vcpus: 256, gpus: 32, usdPerHour: 4 * 24.48 });
  });

  test.each([
    ['a tamper call, which the notifier judges', STRATUS.find((r) => r.eventName === 'StopLogging')],
    ['a read-only call', INVICTUS.find((r) => r.eventName === 'DescribeInstances')],
    ['a console login', DOCS.find((r) => r.eventName === 'ConsoleLogin')],
  ])('%s is not selected, and comes back read', (_name, value) => {
    const j = judgeLaunch(value, DEFAULTS, bundledSpec, NOW);
    expect(j.outcome).toBe('not-selected');
    expect(j.outcome === 'not-selected' && j.record.eventName).toBe((value as { eventName: string }).eventName);
  });

  test.each([
    ['the documentation\'s StartInstances example, which has no eventID', DOCS.find((r) => r.eventName === 'StartInstances'),
      'CloudTrail record without eventID or eventTime'],
    ['null', null, 'not a CloudTrail record (no eventName and eventSource)'],
    ['an S3 log file', { Records: STRATUS }, 'not a CloudTrail record (no eventName and eventSource)'],
  ])('%s is malformed, with the reason', (_name, value, reason) => {
    expect(judgeLaunch(value, DEFAULTS, bundledSpec, NOW)).toEqual({ outcome: 'malformed', reason });
  });

  test('every real record of the public logs is judged, passed over or refused, without an error', () => {
    const outcomes = [...INVICTUS, ...STRATUS, ...DOCS].map((r) => judgeLaunch(r, DEFAULTS, bundledSpec, NOW).outcome);
    expect(outcomes.filter((o) => o === 'judged').length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o === 'malformed')).toHaveLength(DOCS.filter((r) => r.eventID === undefined).length);
  });

  test('any value, and any real launch with a field replaced, gives one of the three outcomes', () => {
    const launchNames = ['RunInstances', 'StartInstances', 'ModifyInstanceAttribute'];
    const launches = [...INVICTUS, ...STRATUS].filter((r) => launchNames.includes(r.eventName as string));
    const fields = ['eventID', 'eventTime', 'eventName', 'awsRegion', 'userIdentity', 'requestParameters', 'responseElements', 'errorCode'];
    const mutated = fc.record({ record: fc.constantFrom(...launches), field: fc.constantFrom(...fields), value: fc.jsonValue() })
      .map(({ record, field, value }) => ({ ...record, [field]: value }));
    fc.assert(fc.property(fc.oneof(fc.anything(), mutated, mutated.map(eventBridgeEvent)), (value) => {
      const j = judgeLaunch(value, STOP, bundledSpec, NOW);
      expect(['malformed', 'not-selected', 'judged']).toContain(j.outcome);
      if (j.outcome === 'judged' && (!j.verdict.flagged || j.verdict.failed)) expect(j.plan.actions).toEqual([]);
    }), { numRuns: 1000 });
  });
});

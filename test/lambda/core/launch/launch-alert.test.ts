import * as fc from 'fast-check';
import { toAlertMessage } from '../../../../lambda/core/alerts/render-alert';
import { drillLaunchRecord } from '../../../../lambda/core/doctor/drill-labels';
import { CloudTrailRecord, readRecord } from '../../../../lambda/core/events/cloudtrail-record';
import { bundledSpec } from '../../../../lambda/core/launch/bundled-specs';
import { judgeLaunch, Judgement } from '../../../../lambda/core/launch/judge-launch';
import {
  duplicatesNote, formatCost, launchAlert, outcomeAlert, plannedLines, stormUnavailableNote, summarizeRequest,
} from '../../../../lambda/core/launch/launch-alert';
import { LaunchRequest } from '../../../../lambda/core/launch/launch-request';
import { detection, resolveLaunchSettings } from '../../../../lib/catalog';
import { cloudTrailRecord, eventBridgeEvent, runInstances } from '../../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../../fixtures/real-events';

const NOW = new Date('2026-11-20T03:12:10Z');
const REAL = ['cloudtrail/attack/invictus_stratus_2023-07-10.jsonl', 'cloudtrail/attack/stratus_detonation_logs.jsonl'].flatMap(readJsonLines);
const EMPTY: LaunchRequest = { instanceTypes: [], units: 0, protection: [], unprotection: [], resources: [], launchTemplates: [], unknowns: [] };

function judged(value: unknown, settings = resolveLaunchSettings({})): Extract<Judgement, { outcome: 'judged' }> {
  const j = judgeLaunch(value, settings, bundledSpec, NOW);
  if (j.outcome !== 'judged') throw new Error(`expected a judged launch, got ${j.outcome}`);
  return j;
}

function read(value: unknown): CloudTrailRecord {
  const record = readRecord(value);
  if (typeof record === 'string') throw new Error(record);
  return record;
}

describe('formatCost', () => {
  test.each([
    [undefined, false, 'cost unknown'],
    [undefined, true, 'cost unknown'],
    [0, false, '~$0.00/h'],
    [9, false, '~$9.00/h'],
    [9.994, false, '~$9.99/h'],
    [21.957642, false, '~$22/h'],
    [1310.4, false, '~$1,310/h'],
    [192.5, true, '~$193/h (estimated)'],
  ])('%p (estimated: %p) is %s', (usdPerHour, estimated, text) => {
    expect(formatCost(usdPerHour, estimated)).toBe(text);
  });
});

describe('summarizeRequest', () => {
  const record = read(cloudTrailRecord('ec2.amazonaws.com', 'StartInstances', {}));

  test.each<[string, LaunchRequest, string]>([
    ['instance types', { ...EMPTY, instanceTypes: [{ type: 'p4d.24xlarge', count: 40 }, { type: 'g5.12xlarge', count: 2 }] },
      '40 x p4d.24xlarge + 2 x g5.12xlarge'],
    ['a quota', { ...EMPTY, quota: { serviceCode: 'ec2', quotaCode: 'L-417A185B', desiredValue: 1024 } }, 'quota increase for ec2'],
    ['a task definition', { ...EMPTY, taskVcpus: 16 }, 'task definition of 16 vCPUs'],
    ['tasks run', { ...EMPTY, units: 10, taskVcpus: 16, taskDefinition: 'miner:1' }, '10 x 16-vCPU ECS tasks'],
    ['one GPU task', { ...EMPTY, units: 1, taskVcpus: 4, taskGpus: 1, taskDefinition: 'gpu:1' }, '1 x 4-vCPU ECS task with 1 GPU each'],
    ['tasks of unknown size', { ...EMPTY, units: 2, taskDefinition: 'ghost:9', taskSizeUnknown: 'x' }, '2 x ECS tasks of unknown size'],
    ['a service updated without a count', { ...EMPTY, taskVcpus: 16, taskDefinition: 'miner:2' }, '16-vCPU ECS tasks'],
    ['protection', { ...EMPTY, protection: ['termination', 'stop'], resources: [{ kind: 'instance', id: 'i-0aaa' }] },
      'termination protection and stop protection on i-0aaa'],
    ['user data on no named instance', { ...EMPTY, protection: ['user-data'] }, 'new user data on an instance'],
    ['units', { ...EMPTY, units: 12 }, '12 x StartInstances'],
    ['nothing', EMPTY, 'StartInstances'],
  ])('names %s', (_name, request, text) => {
    expect(summarizeRequest(record, request)).toBe(text);
  });
});

describe('launchAlert', () => {
  test('the real refused p2.xlarge launch: attempted, by the role, with the figures and why it was flagged', () => {
    // GIVEN
    const j = judged(REAL.find((r) => r.eventID === '8e865acb-b1e1-41d1-bdf3-47462f79d24c'));
    const launches = detection('ec2-instance-launch');
    // WHEN
    const alert = launchAlert(j.record, j.request, j.verdict, []);
    // THEN
    expect(alert).toEqual({
      severity: 'HIGH',
      detectionId: 'ec2-instance-launch',
      title: launches.title,
      headline: '10 x p2.xlarge attempted in us-east-1 by role/stratus-red-team-ec2lui-role-pcccexdthk (~$9.00/h)',
      what: 'RunInstances failed (Client.VcpuLimitExceeded): 10 x p2.xlarge, 40 vCPUs, 10 GPUs, ~$9.00/h on demand.\n'
        + 'Flagged because: instance type p2.xlarge is in the denied family p; '
        + 'launch refused with Client.VcpuLimitExceeded: the account\'s limit was reached.',
      who: [
        'Principal: arn:aws:sts::123837392027:assumed-role/stratus-red-team-ec2lui-role-pcccexdthk/aws-go-sdk-1688990797103471741 (AssumedRole)',
        'Source IP: 192.168.10.20',
        'User agent: stratus-red-team_bc31c885-5ea0-4a6e-8bec-b6b10058bc44',
      ],
      where: 'Account 123837392027, region us-east-1',
      why: launches.rationale,
      done: ['Notified this channel. No containment is configured for this detection.'],
      next: launches.nextSteps,
      links: [
        {
          label: 'CloudTrail event',
          url: 'https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/8e865acb-b1e1-41d1-bdf3-47462f79d24c',
        },
        {
          label: 'Everything this principal did',
          url: 'https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events?Username=stratus-red-team-ec2lui-role-pcccexdthk',
        },
      ],
      refs: { eventId: '8e865acb-b1e1-41d1-bdf3-47462f79d24c', eventName: 'RunInstances', eventTime: '2023-07-10T12:06:42Z' },
    });
    // The long role name is shortened to fit the subject; what, where and the cost stay whole.
    expect(toAlertMessage(alert).subject).toBe('[MiningGuard][HIGH] 10 x p2.xlarge attempted in us-east-1 by role/stratus...e-pcccexdthk (~$9.00/h)');
  });

  test('the real user-data rewrite is "set", with a link to the instance and no cost in the headline', () => {
    const j = judged(REAL.find((r) => r.eventID === 'f634894e-d625-4b7b-b1c1-50354cc1100e'));
    const alert = launchAlert(j.record, j.request, j.verdict, []);
    expect(alert.headline).toBe('new user data on i-DDd6c7B0e18F0E35f set in ca-northsouth-2r by user/christophe');
    expect(alert.what).toBe([
      'ModifyInstanceAttribute: new user data on i-DDd6c7B0e18F0E35f, 0 vCPUs, cost unknown on demand.',
      'Flagged because: instance user data replaced.',
    ].join('\n'));
    expect(alert.links[2]).toEqual({
      label: 'Instance i-DDd6c7B0e18F0E35f',
      url: 'https://console.aws.amazon.com/ec2/home?region=ca-northsouth-2r#InstanceDetails:instanceId=i-DDd6c7B0e18F0E35f',
    });
  });

  test('a contained launch lists what was done, links at most five instances, and marks estimated figures', () => {
    // GIVEN eight instances of a type the table lacks, stopped as the settings ask
    const ids = Array.from({ length: 8 }, (_, i) => `i-0${i}`);
    const j = judged(eventBridgeEvent(runInstances('zz9.24xlarge', 8, ids)), resolveLaunchSettings({ responses: { 'ec2-instance-launch': 'STOP' } }));
    // WHEN
    const alert = launchAlert(j.record, j.request, j.verdict, ['Stopped i-00.', 'Stopped i-01.']);
    // THEN
    expect(alert.headline).toBe('8 x zz9.24xlarge launched in sa-east-1 by user/ci-bot (cost unknown)');
    expect(alert.done).toEqual(['Stopped i-00.', 'Stopped i-01.']);
    expect(alert.links.map((l) => l.label)).toEqual([
      'CloudTrail event', 'Everything this principal did', 'Instance i-00', 'Instance i-01', 'Instance i-02', 'Instance i-03', 'Instance i-04',
    ]);
    expect(alert.what.split('\n')).toEqual([
      'RunInstances: 8 x zz9.24xlarge, 768 vCPUs, cost unknown on demand.',
      `Flagged because: ${j.verdict.reasons.join('; ')}.`,
      'Figures marked estimated come from the instance size, not from AWS\'s specifications.',
    ]);
  });

  test('what could not be counted is said, and a call in another partition links to that partition\'s console', () => {
    const request = { autoScalingGroupName: 'render-farm', desiredCapacity: 60 };
    const options = { principalArn: 'arn:aws-cn:iam::123456789012:user/ci-bot', region: 'cn-north-1' };
    const record = cloudTrailRecord('autoscaling.amazonaws.com', 'SetDesiredCapacity', request, null, options);
    const j = judged(record);
    const alert = launchAlert(j.record, j.request, j.verdict, []);
    expect(alert.headline).toBe('60 x SetDesiredCapacity launched in cn-north-1 by user/ci-bot');
    expect(alert.what).toContain('Not counted, unknown: instance type of Auto Scaling group render-farm: not looked up without an AWS call.');
    expect(alert.links[0].url.startsWith('https://console.amazonaws.cn/cloudtrail/home?region=cn-north-1#/events/')).toBe(true);
  });

  test('a quota request is "requested" and a task definition "registered"', () => {
    const quota = judged(cloudTrailRecord('servicequotas.amazonaws.com', 'RequestServiceQuotaIncrease', {
      serviceCode: 'ec2', quotaCode: 'L-417A185B', desiredValue: 1024,
    }));
    expect(launchAlert(quota.record, quota.request, quota.verdict, []).headline).toBe('quota increase for ec2 requested in sa-east-1 by user/ci-bot');
    const task = judged(cloudTrailRecord('ecs.amazonaws.com', 'RegisterTaskDefinition', { family: 'miner', cpu: '16384' }));
    expect(launchAlert(task.record, task.request, task.verdict, []).headline)
      .toBe('task definition of 16 vCPUs registered in sa-east-1 by user/ci-bot');
  });

  test('any flagged launch, real or with hostile fields, gives a subject that fits and a message that is JSON', () => {
    const launches = REAL.filter((r) => ['RunInstances', 'StartInstances', 'ModifyInstanceAttribute'].includes(r.eventName as string));
    const huge = fc.integer({ min: 5000, max: 20_000 }).map((n) => `\u0000${'x'.repeat(n)}`);
    const hostile = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), huge);
    const mutated = fc.record({
      record: fc.constantFrom(...launches),
      field: fc.constantFrom('awsRegion', 'userAgent', 'sourceIPAddress', 'errorCode', 'eventID'),
      value: hostile,
    }).map(({ record, field, value }) => ({ ...record, [field]: value }));
    const withType = fc.record({ type: hostile, count: fc.integer({ min: 1, max: 1e6 }) }).map(({ type, count }) => runInstances(type, count));
    fc.assert(fc.property(fc.oneof(mutated, withType), (value) => {
      const j = judgeLaunch(value, resolveLaunchSettings({}), bundledSpec, NOW);
      if (j.outcome !== 'judged' || !j.verdict.flagged) return;
      const message = toAlertMessage(launchAlert(j.record, j.request, j.verdict, []));
      expect(message.subject.length).toBeLessThan(100);
      expect(message.subject).toMatch(/^\[MiningGuard\]\[(LOW|MEDIUM|HIGH|CRITICAL)\] [\x20-\x7e]*$/);
      expect(() => JSON.parse(message.message) as unknown).not.toThrow();
    }), { numRuns: 500 });
  });

  test('a launch that also turns on termination protection is still "launched"', () => {
    const { record, request, verdict } = judged(runInstances('p4d.24xlarge', 40, [], { protect: true }));
    expect(launchAlert(record, request, verdict, []).headline).toMatch(/^40 x p4d\.24xlarge launched in sa-east-1 by user\/ci-bot \(~\$/);
  });
});

describe('the alert before containment and the one after', () => {
  const first = launchAlert(read(runInstances('p3.2xlarge', 500)), { ...EMPTY, instanceTypes: [{ type: 'p3.2xlarge', count: 500 }] }, judged(runInstances('p3.2xlarge', 500)).verdict, []);

  test('the first alert says containment is under way, what it will do, and that the outcome follows', () => {
    expect(plannedLines(['stop 500 instances', 'cancel Spot request sir-1'])).toEqual([
      'Containing now: 2 steps. A second alert follows with what was done and what failed.',
      'Planned: stop 500 instances.',
      'Planned: cancel Spot request sir-1.',
    ]);
    expect(plannedLines(['stop instance i-1'])[0]).toBe('Containing now: 1 step. A second alert follows with what was done and what failed.');
  });

  test('the outcome lists the failures first, says how many of how many, and keeps the first alert\'s facts', () => {
    // GIVEN 500 steps, three of them failed, among the rest
    const steps = Array.from({ length: 500 }, (_, i) => ({ line: `${[7, 250, 499].includes(i) ? 'FAILED' : 'Done'}: stop instance i-${i}.`, failed: [7, 250, 499].includes(i) }));
    // WHEN
    const alert = outcomeAlert(first, steps, ['a note']);
    // THEN
    expect(alert.headline).toBe(`3 of 500 steps FAILED: ${first.headline}`);
    expect(alert.done.slice(0, 4)).toEqual([
      '3 of 500 containment steps FAILED; each is listed first and needs a hand.',
      'FAILED: stop instance i-7.', 'FAILED: stop instance i-250.', 'FAILED: stop instance i-499.',
    ]);
    expect(alert.done).toHaveLength(1 + 500 + 1);
    expect(alert.done[alert.done.length - 1]).toBe('a note');
    expect({ ...alert, headline: first.headline, done: first.done }).toEqual(first);
    // Rendered, the failures survive whatever is cut, and the subject still fits.
    const message = toAlertMessage(alert);
    expect(message.subject.length).toBeLessThan(100);
    expect(message.subject).toMatch(/^\[MiningGuard\]\[\w+\] 3 of 500 steps FAILED: /);
  });

  test('an outcome without failures says so', () => {
    const alert = outcomeAlert(first, [{ line: 'Done: stop instance i-1.', failed: false }]);
    expect(alert.headline).toBe(`Contained: ${first.headline}`);
    expect(alert.done).toEqual(['All 1 containment step was done.', 'Done: stop instance i-1.']);
  });

  test('the degraded notes name the reason and what it means for the reader', () => {
    expect(duplicatesNote('ResourceNotFoundException: Requested resource not found')).toBe(
      'Duplicates were not suppressed: the idempotency table could not be reached (ResourceNotFoundException: Requested resource not found). '
      + 'Containment ran anyway, as every step is idempotent; this event may be alerted again.');
    expect(stormUnavailableNote('AccessDeniedException: no')).toBe(
      'Storm control is unavailable (AccessDeniedException: no): this detection is alerted on its own, not folded with the principal\'s others.');
  });
});

describe('the drill\'s launch record', () => {
  test('is flagged like a real GPU launch, and its alert is labelled DRILL', () => {
    const record = drillLaunchRecord('0b5a3c4e-1111-2222-3333-444455556666', '111122223333', 'us-east-1', NOW);
    const { record: rec, request, verdict } = judged(eventBridgeEvent(record));
    expect(verdict.flagged).toBe(true);
    expect(launchAlert(rec, request, verdict, []).what).toMatch(/^DRILL \(synthetic launch record from mining-guard doctor --drill, judged as a dry run\): /);
    expect(launchAlert(rec, request, verdict, []).headline).toMatch(/^DRILL: 8 x p3\.16xlarge launched in us-east-1 by /);
  });

  test('a real launch is not labelled', () => {
    const { record: rec, request, verdict } = judged(runInstances('p3.16xlarge', 8));
    expect(launchAlert(rec, request, verdict, []).what).not.toMatch(/DRILL/);
    expect(launchAlert(rec, request, verdict, []).headline).not.toMatch(/DRILL/);
  });
});

import * as fc from 'fast-check';
import { toAlertMessage } from '../../../../lambda/core/alerts/render-alert';
import { CLOUDTRAIL_READER } from '../../../../lambda/core/notifier/cloudtrail-alert';
import { MalformedEventError } from '../../../../lambda/core/notifier/event-reader';
import { detection, GuardContext } from '../../../../lib/catalog';
import { cloudTrailRecord, eventBridgeEvent, runInstances } from '../../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../../fixtures/real-events';

const INVICTUS = readJsonLines('cloudtrail/attack/invictus_stratus_2023-07-10.jsonl');
const STRATUS = readJsonLines('cloudtrail/attack/stratus_detonation_logs.jsonl');
const DOCS = readJsonLines('cloudtrail/benign/awsdocs_cloudtrail_examples.jsonl');
const byId = (eventId: string) => [...INVICTUS, ...STRATUS, ...DOCS].find((r) => r.eventID === eventId)!;

const CONTEXT: GuardContext = {
  deployPrincipals: ['arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-sa-east-1'],
  guardNamePrefixes: ['MiningGuardBasic-'],
  guardArns: [],
  trailBuckets: [],
};

describe('CLOUDTRAIL_READER.matches', () => {
  test('takes the tamper and credential calls, bare or in their EventBridge envelope', () => {
    for (const id of ['10163ed2-2253-469d-a5ee-cbc6651f8934', 'be7f89b5-d456-4423-b3e6-0fb0b19bad7c', '64b7de64-bf53-47ae-b7e3-d30cb1b5136e']) {
      expect(CLOUDTRAIL_READER.matches(byId(id))).toBe(true);
      expect(CLOUDTRAIL_READER.matches(eventBridgeEvent(byId(id)))).toBe(true);
    }
  });

  test.each([
    ['a launch, which the launch evaluator judges', runInstances('p4d.24xlarge', 2)],
    ['a read of the trail', INVICTUS.find((r) => r.eventName === 'DescribeTrails')],
    ['a tamper call without its eventID', { ...byId('10163ed2-2253-469d-a5ee-cbc6651f8934'), eventID: undefined }],
    ['null', null],
  ])('leaves %s to others', (_name, event) => {
    expect(CLOUDTRAIL_READER.matches(event)).toBe(false);
  });
});

describe('CLOUDTRAIL_READER.read', () => {
  test('the real Stratus StopLogging becomes the whole cloudtrail-tampering alert', () => {
    const tampering = detection('cloudtrail-tampering');
    expect(CLOUDTRAIL_READER.read(byId('10163ed2-2253-469d-a5ee-cbc6651f8934'))).toEqual({
      severity: tampering.severity,
      detectionId: 'cloudtrail-tampering',
      title: tampering.title,
      headline: 'StopLogging by user/christophe in apiso-centralnorth-2r',
      what: `${tampering.title}: StopLogging.`,
      who: [
        'Principal: arn:aws:iam::143434273843:user/christophe (IAMUser)',
        'Source IP: 86.245.153.234',
        'User agent: stratus-red-team_c97089f1-1ae3-4ecc-b006-f5e8fd0f2571',
      ],
      where: 'Account 143434273843, region apiso-centralnorth-2r',
      why: tampering.rationale,
      done: ['Notified this channel.'],
      next: tampering.nextSteps,
      links: [
        {
          label: 'CloudTrail event',
          url: 'https://console.aws.amazon.com/cloudtrail/home?region=apiso-centralnorth-2r'
            + '#/events/10163ed2-2253-469d-a5ee-cbc6651f8934',
        },
        {
          label: 'Everything this principal did',
          url: 'https://console.aws.amazon.com/cloudtrail/home?region=apiso-centralnorth-2r#/events?Username=christophe',
        },
      ],
      refs: { eventId: '10163ed2-2253-469d-a5ee-cbc6651f8934', eventName: 'StopLogging', eventTime: '2024-07-31T13:06:24Z' },
    });
  });

  test('a failed call is an attempt, and the alert says it shows intent', () => {
    const alert = CLOUDTRAIL_READER.read(byId('b7e19efd-92be-4182-bbbc-b6468296710b'))!;
    expect(alert.headline).toBe('DeleteTrail attempted by user/bert-jan in us-east-1');
    expect(alert.what).toBe('CloudTrail stopped, deleted or narrowed: DeleteTrail attempted (failed: TrailNotFoundException).\n'
      + 'The call failed (TrailNotFoundException), which shows intent all the same.');
  });

  test('a role session is named by its role', () => {
    const alert = CLOUDTRAIL_READER.read(byId('be7f89b5-d456-4423-b3e6-0fb0b19bad7c'))!;
    expect(alert.detectionId).toBe('organization-leave');
    expect(alert.headline).toBe('LeaveOrganization attempted by role/stratus-red-team-leave-org-role in us-east-1');
    expect(alert.links[1].url)
      .toBe('https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events?Username=stratus-red-team-leave-org-role');
  });

  test('the documentation\'s root console login is flagged, and its login with MFA is not', () => {
    const root = CLOUDTRAIL_READER.read(byId('deb1e1f9-c99b-4612-8e9f-21f93b5d79c0'))!;
    expect(toAlertMessage(root).subject).toBe('[MiningGuard][HIGH] ConsoleLogin by root in us-east-1');
    expect(root.what).toBe(`${detection('suspicious-console-login').title}: root console login (Success).`);
    expect(CLOUDTRAIL_READER.read(byId('fed06f42-cb12-4764-8c69-121063dc79b9'))).toBeUndefined();
  });

  test('a change to the guard\'s own rule is tampering, unless the deploying role made it', () => {
    // GIVEN the documented DisableRule on a rule named with the guard's prefix
    const disable = (principalArn: string, sessionIssuer?: string) => {
      const record = cloudTrailRecord('events.amazonaws.com', 'DisableRule', { name: 'MiningGuardBasic-MiningGuardLaunchWatchRuleec2-1A2B3C' }, null, { principalArn });
      const identity = { ...(record.userIdentity as object), ...(sessionIssuer ? { sessionContext: { sessionIssuer: { type: 'Role', arn: sessionIssuer } } } : {}) };
      return eventBridgeEvent({ ...record, userIdentity: identity });
    };
    // WHEN
    const byAttacker = CLOUDTRAIL_READER.read(disable('arn:aws:iam::123456789012:user/ci-bot'), CONTEXT);
    const deployer = 'arn:aws:sts::123456789012:assumed-role/cdk-hnb659fds-cfn-exec-role-123456789012-sa-east-1/AWSCloudFormation';
    const byDeployer = CLOUDTRAIL_READER.read(disable(deployer, CONTEXT.deployPrincipals[0]), CONTEXT);
    // THEN
    expect(byAttacker?.what)
      .toBe(`${detection('guard-rule-tampering').title}: DisableRule on MiningGuard's MiningGuardBasic-MiningGuardLaunchWatchRuleec2-1A2B3C.`);
    expect(byDeployer).toBeUndefined();
  });

  test('without the guard\'s context, no resource is the guard\'s', () => {
    const event = cloudTrailRecord('events.amazonaws.com', 'DisableRule', { name: 'MiningGuardBasic-MiningGuardLaunchWatchRuleec2-1A2B3C' });
    expect(CLOUDTRAIL_READER.read(event)).toBeUndefined();
  });

  test('EnableRegion names the region in the subject, and its steps say what to do about the guard there', () => {
    // GIVEN the documented call, made in us-east-1, enabling a region the guard does not run in
    const event = eventBridgeEvent(cloudTrailRecord('account.amazonaws.com', 'EnableRegion', { regionName: 'af-south-1' }, null, { region: 'us-east-1' }));
    // WHEN
    const alert = CLOUDTRAIL_READER.read(event, { ...CONTEXT, guardedRegions: ['us-east-1'] })!;
    // THEN
    expect(toAlertMessage(alert).subject).toBe('[MiningGuard][MEDIUM] EnableRegion af-south-1 by user/ci-bot in us-east-1');
    expect(alert.what).toMatch(/^Opt-in region enabled: af-south-1 was enabled, and MiningGuard has no regional part there yet: /);
    expect(alert.next[0]).toContain('add \'af-south-1\' to everyRegion.regions of MiningGuard and deploy');
    expect(alert.next).not.toContain(detection('region-enabled').nextSteps[0]);
  });

  test('EnableRegion of a region named by nothing readable keeps the plain subject', () => {
    const event = cloudTrailRecord('account.amazonaws.com', 'EnableRegion', { regionName: 'af-south-1 — all clear' }, null, { region: 'us-east-1' });
    expect(CLOUDTRAIL_READER.read(event, CONTEXT)!.headline).toBe('EnableRegion by user/ci-bot in us-east-1');
  });

  test('a call is named by its eventID, the key of alerting once; a harmless or other event has none', () => {
    expect(CLOUDTRAIL_READER.onceKey!(byId('10163ed2-2253-469d-a5ee-cbc6651f8934'))).toBe('10163ed2-2253-469d-a5ee-cbc6651f8934');
    expect(CLOUDTRAIL_READER.onceKey!(eventBridgeEvent(byId('10163ed2-2253-469d-a5ee-cbc6651f8934')))).toBe('10163ed2-2253-469d-a5ee-cbc6651f8934');
    expect(CLOUDTRAIL_READER.onceKey!(runInstances('p4d.24xlarge', 2))).toBeUndefined();
  });

  test('an event that is no longer a selected call is malformed', () => {
    expect(() => CLOUDTRAIL_READER.read(runInstances('p4d.24xlarge', 2))).toThrow(new MalformedEventError('CloudTrail record no longer selected'));
    expect(() => CLOUDTRAIL_READER.read(null)).toThrow(MalformedEventError);
  });

  test('any real tamper or credential call with a field replaced is matched without an error, and read into a sendable alert or none', () => {
    const selected = [...INVICTUS, ...STRATUS, ...DOCS].filter((r) => CLOUDTRAIL_READER.matches(r));
    const fields = [
      'awsRegion', 'userIdentity', 'requestParameters', 'responseElements', 'errorCode', 'userAgent', 'sourceIPAddress', 'additionalEventData',
    ];
    const value = fc.oneof(fc.jsonValue(), fc.string({ unit: 'grapheme', maxLength: 300 }));
    const mutated = fc.record({ record: fc.constantFrom(...selected), field: fc.constantFrom(...fields), value })
      .map((m) => ({ ...m.record, [m.field]: m.value }));
    fc.assert(fc.property(fc.oneof(fc.anything(), mutated, mutated.map(eventBridgeEvent)), (event) => {
      if (!CLOUDTRAIL_READER.matches(event)) return;
      const alert = CLOUDTRAIL_READER.read(event, CONTEXT);
      if (!alert) return;
      expect(toAlertMessage(alert).subject.length).toBeLessThan(100);
    }), { numRuns: 1000 });
  });
});

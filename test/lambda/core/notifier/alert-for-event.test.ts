import * as fc from 'fast-check';
import { toAlertMessage } from '../../../../lambda/core/alerts/render-alert';
import { alertForEvent } from '../../../../lambda/core/notifier/alert-for-event';
import { CLOUDTRAIL_READER } from '../../../../lambda/core/notifier/cloudtrail-alert';
import { GUARDDUTY_READER } from '../../../../lambda/core/notifier/guardduty-alert';
import { CREDENTIAL_DETECTIONS, eventBridgeDetailType, GuardContext, TAMPER_DETECTIONS } from '../../../../lib/catalog';
import { cloudTrailRecord, eventBridgeEvent } from '../../../fixtures/documented-cloudtrail';
import { documentedFinding, guardDutyEvent } from '../../../fixtures/documented-findings';

describe('alertForEvent', () => {
  test.each([
    ['null', null],
    ['a string', 'hello'],
    ['an empty object', {}],
    ['an event nobody reads yet', { 'source': 'aws.example', 'detail-type': 'Something', 'detail': {} }],
    ['a finding without a type', { source: 'aws.guardduty', detail: { severity: 5 } }],
    ['a finding without a severity', { source: 'aws.guardduty', detail: { type: 'CryptoCurrency:EC2/BitcoinTool.B' } }],
  ])('%s becomes one unrecognised-event alert', (_name, event) => {
    const read = alertForEvent(event);
    expect(read.recognised).toBe(false);
    expect(read.alert?.detectionId).toBe('unrecognised-event');
    expect(toAlertMessage(read.alert!).subject).toMatch(/^\[MiningGuard\]\[MEDIUM\] Unrecognised event/);
    expect(read.reason).toBeTruthy();
  });

  test('a flagged CloudTrail call carries its eventID, the key to alert once; a finding carries none', () => {
    const stop = cloudTrailRecord('cloudtrail.amazonaws.com', 'StopLogging', { name: 'trail' }, null, { eventId: 'e-1' });
    expect(alertForEvent(eventBridgeEvent(stop))).toMatchObject({ recognised: true, onceKey: 'e-1', alert: { detectionId: 'cloudtrail-tampering' } });
    expect(alertForEvent(guardDutyEvent(documentedFinding('CryptoCurrency:EC2/BitcoinTool.B')))).not.toHaveProperty('onceKey');
    // A call judged harmless is not alerted, so there is nothing to alert once.
    expect(alertForEvent(cloudTrailRecord('iam.amazonaws.com', 'CreateAccessKey', { userName: 'ci-bot' }))).toEqual({ alert: undefined, recognised: true });
  });

  test('GuardDuty\'s own API calls, which EventBridge sends from aws.guardduty too, are read as the calls they are, not as findings', () => {
    const deleteDetector = eventBridgeEvent(cloudTrailRecord('guardduty.amazonaws.com', 'DeleteDetector', { detectorId: 'abc' }));
    expect(deleteDetector.source).toBe('aws.guardduty');
    expect(alertForEvent(deleteDetector)).toMatchObject({ recognised: true, alert: { detectionId: 'guardduty-tampering' } });
  });

  test('an event that cannot be serialised is still quoted', () => {
    const cyclic: Record<string, unknown> = { source: 'aws.example' };
    cyclic.self = cyclic;
    expect(alertForEvent(cyclic).alert?.what).toContain('[object Object]');
  });

  test('never throws, and yields a sendable alert for whatever it does not judge harmless', () => {
    const finding = documentedFinding('CryptoCurrency:EC2/BitcoinTool.B');
    const truncatedFindings = fc.integer({ min: 0, max: 2000 }).map((n) => {
      const text = JSON.stringify(guardDutyEvent(finding));
      try {
        return JSON.parse(text.slice(0, n)) as unknown;
      } catch {
        return text.slice(0, n);
      }
    });
    const mutatedFindings = fc.record({ path: fc.constantFrom('type', 'severity', 'resource', 'service', 'region', 'id'), value: fc.jsonValue() })
      .map(({ path, value }) => guardDutyEvent({ ...finding, [path]: value }));
    fc.assert(fc.property(fc.oneof(fc.anything(), fc.jsonValue(), truncatedFindings, mutatedFindings), (event) => {
      const read = alertForEvent(event);
      // Only a recognised tamper or credential call may be judged harmless; anything else alerts.
      if (!read.alert) {
        expect(read.recognised).toBe(true);
        return;
      }
      const message = toAlertMessage(read.alert);
      expect(message.subject.length).toBeLessThan(100);
      expect(() => JSON.parse(message.message)).not.toThrow();
    }), { numRuns: 3000 });
  });
});

describe('every catalog tamper and credential call is read by the CloudTrail reader, bare or as EventBridge delivers it', () => {
  const GUARD_TOPIC = 'arn:aws:sns:sa-east-1:123456789012:Guard-AlertsTopic-1A2B';
  const GUARD_KEY = 'arn:aws:kms:sa-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const CONTEXT: GuardContext = { deployPrincipals: [], guardNamePrefixes: ['Guard-'], guardArns: [GUARD_TOPIC, GUARD_KEY], trailBuckets: ['guard-trail'] };
  /** A request that every judge flags: the guard's own resources, another user, an admin grant, no auth, a disabled detector. */
  const WORST_REQUEST = {
    name: 'Guard-Rule',
    functionName: 'Guard-Notifier',
    topicArn: GUARD_TOPIC,
    subscriptionArn: `${GUARD_TOPIC}:0f1e2d3c-4b5a`,
    keyId: GUARD_KEY,
    userName: 'someone-else',
    roleName: 'backdoor',
    policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    policyName: 'p',
    policyDocument: '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
    authType: 'NONE',
    enable: false,
    action: 'ARCHIVE',
    detectorId: 'abc',
    bucketName: 'guard-trail',
    reservedConcurrentExecutions: 0,
    regionName: 'af-south-1',
  };
  const calls = [...TAMPER_DETECTIONS, ...CREDENTIAL_DETECTIONS]
    .flatMap((d) => d.signal.eventNames.map((name) => [d.id, d.signal.eventSource, name] as const));

  test.each(calls)('%s: %s %s', (id, eventSource, eventName) => {
    // GIVEN the call as CloudTrail records it, and as EventBridge delivers it (source aws.<service>, its detail type)
    const record = {
      ...cloudTrailRecord(eventSource, eventName, WORST_REQUEST, eventName === 'ConsoleLogin' ? { ConsoleLogin: 'Success' } : null),
      ...(eventName === 'ConsoleLogin' ? { additionalEventData: { MFAUsed: 'No' } } : {}),
    };
    const wrapped: Record<string, unknown> = { ...eventBridgeEvent(record), 'detail-type': eventBridgeDetailType(eventSource) };
    expect(wrapped.source).toBe(`aws.${eventSource.split('.')[0]}`);
    // WHEN
    const bare = alertForEvent(record, CONTEXT);
    const delivered = alertForEvent(wrapped, CONTEXT);
    // THEN both are the CloudTrail reader's, and raise the same detection
    expect(CLOUDTRAIL_READER.matches(wrapped)).toBe(true);
    expect(GUARDDUTY_READER.matches(wrapped)).toBe(false);
    expect(bare).toMatchObject({ recognised: true, alert: { detectionId: id } });
    expect(delivered).toMatchObject({ recognised: true, alert: { detectionId: id, severity: bare.alert?.severity } });
  });
});

describe('the GuardDuty reader takes findings only', () => {
  test('UpdateDetector disabling the detector, as EventBridge delivers it from aws.guardduty, is critical tampering', () => {
    const event = eventBridgeEvent(cloudTrailRecord('guardduty.amazonaws.com', 'UpdateDetector', { detectorId: 'abc', enable: false }));
    expect(event).toMatchObject({ 'source': 'aws.guardduty', 'detail-type': 'AWS API Call via CloudTrail' });
    expect(alertForEvent(event).alert).toMatchObject({ detectionId: 'guardduty-tampering', severity: 'CRITICAL' });
  });

  test.each([
    ['a GuardDuty API call no detection selects', eventBridgeEvent(cloudTrailRecord('guardduty.amazonaws.com', 'ListDetectors', {}))],
    ['another detail type from aws.guardduty', { 'source': 'aws.guardduty', 'detail-type': 'GuardDuty Malware Protection Object Scan Result', 'detail': { type: 'x', severity: 5 } }],
    ['a finding-shaped detail without its detail type', { source: 'aws.guardduty', detail: { type: 'CryptoCurrency:EC2/BitcoinTool.B', severity: 8 } }],
  ])('%s is unrecognised, never a finding', (_name, event) => {
    expect(GUARDDUTY_READER.matches(event)).toBe(false);
    const read = alertForEvent(event);
    expect(read.recognised).toBe(false);
    expect(read.alert?.detectionId).toBe('unrecognised-event');
  });

  test('a finding as EventBridge delivers it, and a bare one, are the GuardDuty reader\'s', () => {
    const finding = documentedFinding('CryptoCurrency:EC2/BitcoinTool.B');
    expect(GUARDDUTY_READER.matches(guardDutyEvent(finding))).toBe(true);
    expect(GUARDDUTY_READER.matches(finding)).toBe(true);
  });
});

describe('a judge that trips over a field', () => {
  // A getter that throws stands for any field of a shape a reader did not expect: the event must still reach a person.
  const tripping = (field: string) => Object.defineProperty(
    cloudTrailRecord('cloudtrail.amazonaws.com', 'StopLogging', { name: 'trail' }), field, { get: () => { throw new TypeError('types.filter is not a function'); }, enumerable: true },
  );

  test.each(['requestParameters', 'eventName'])('reading %s: the event is alerted as unreadable, saying why, never thrown', (field) => {
    const read = alertForEvent(tripping(field));
    expect(read).toMatchObject({ recognised: false, reason: 'it could not be judged (types.filter is not a function)', alert: { detectionId: 'unrecognised-event' } });
    expect(read.alert?.what).toContain('it could not be judged (types.filter is not a function)');
  });
});

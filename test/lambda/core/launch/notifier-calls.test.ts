import * as fc from 'fast-check';
import { notifierCall } from '../../../../lambda/core/launch/notifier-calls';
import { alertForEvent } from '../../../../lambda/core/notifier/alert-for-event';
import { detection, JUDGED_CALL_DETECTIONS, judgedCallDetections, TAMPER_DETECTIONS } from '../../../../lib/catalog';
import { asRoot, cloudTrailRecord, eventBridgeEvent, runInstances } from '../../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../../fixtures/real-events';

const STRATUS = readJsonLines('cloudtrail/attack/stratus_detonation_logs.jsonl');
const DOCS = readJsonLines('cloudtrail/benign/awsdocs_cloudtrail_examples.jsonl');
const STOP_LOGGING = STRATUS.find((r) => r.eventName === 'StopLogging')!;

describe('notifierCall', () => {
  test('a tamper call becomes the event EventBridge delivers for it: its source, detail type, region, account and time, the record unchanged', () => {
    // GIVEN StopLogging made in ap-southeast-1, as the trail's log group holds it
    const record = cloudTrailRecord('cloudtrail.amazonaws.com', 'StopLogging', { name: 'trail' }, null, { region: 'ap-southeast-1', eventId: 'e-1' });
    // WHEN
    const call = notifierCall(record);
    // THEN
    expect(call).toEqual({
      detection: TAMPER_DETECTIONS.find((d) => d.id === 'cloudtrail-tampering'),
      event: {
        'version': '0',
        'id': 'e-1',
        'detail-type': 'AWS API Call via CloudTrail',
        'source': 'aws.cloudtrail',
        'account': '123456789012',
        'time': '2026-11-20T03:12:08Z',
        'region': 'ap-southeast-1',
        'resources': [],
        'detail': record,
      },
    });
    expect((call as { event: { detail: unknown } }).event.detail).toBe(record);
    // The same fields the project's builder of EventBridge events gives, its random id aside.
    const { id: _id, ...delivered } = eventBridgeEvent(record);
    expect(call).toMatchObject({ event: delivered });
  });

  test('a console sign-in has the sign-in detail type, and a real Stratus record keeps its own region', () => {
    const login = DOCS.find((r) => r.eventName === 'ConsoleLogin')!;
    expect(notifierCall(login)).toMatchObject({ event: { 'source': 'aws.signin', 'detail-type': 'AWS Console Sign In via CloudTrail' } });
    expect(notifierCall(STOP_LOGGING)).toMatchObject({ event: { region: STOP_LOGGING.awsRegion, account: STOP_LOGGING.recipientAccountId } });
  });

  test('the notifier reads the event it becomes as the call itself', () => {
    for (const record of [STOP_LOGGING, ...STRATUS.filter((r) => r.eventName === 'GetFederationToken')]) {
      const call = notifierCall(record) as { event: unknown };
      expect(alertForEvent(call.event).alert).toEqual(alertForEvent(record).alert);
    }
  });

  test.each([
    ['a launch, which the evaluator judges', runInstances('p3.2xlarge', 1)],
    ['another call', cloudTrailRecord('s3.amazonaws.com', 'GetObject', {})],
    ['a quiet source\'s write no detection selects', cloudTrailRecord('iam.amazonaws.com', 'CreateRole', {})],
    ['a call of the right name from another source', cloudTrailRecord('elasticloadbalancing.amazonaws.com', 'DeleteRule', {})],
    ['null', null],
    ['a list', [STOP_LOGGING]],
    ['an EventBridge event, which the log group never holds', eventBridgeEvent(STOP_LOGGING)],
  ])('%s is not the notifier\'s', (_name, value) => {
    expect(notifierCall(value)).toBeUndefined();
  });

  test.each([
    ['awsRegion', 42, 'StopLogging record with awsRegion is a number, not a string'],
    ['awsRegion', ['ap-southeast-1'], 'StopLogging record with awsRegion is an array, not a string'],
    ['eventID', null, 'StopLogging record with eventID is null, not a string'],
    ['eventTime', undefined, 'StopLogging record with no eventTime'],
    ['recipientAccountId', { id: 1 }, 'StopLogging record with recipientAccountId is an object, not a string'],
  ])('a %s of %j is a field of the wrong type: the call is not handed over, and why is said', (field, value, reason) => {
    expect(notifierCall({ ...STOP_LOGGING, [field]: value })).toEqual({ unreadable: reason });
  });

  test('a record older than recipientAccountId is of the caller\'s account', () => {
    const { recipientAccountId: _r, ...old } = cloudTrailRecord('iam.amazonaws.com', 'CreateAccessKey', { userName: 'x' });
    expect(notifierCall(old)).toMatchObject({ event: { account: '123456789012' } });
    expect(notifierCall({ ...old, userIdentity: {} })).toEqual({ unreadable: 'CreateAccessKey record with no userIdentity.accountId' });
  });

  test('every judged call is handed over, with the first detection that selects it', () => {
    for (const d of JUDGED_CALL_DETECTIONS) {
      if (d.signal.kind !== 'cloudtrail') continue;
      for (const name of d.signal.eventNames) {
        const selecting = judgedCallDetections({ eventSource: d.signal.eventSource, eventName: name, identityType: 'IAMUser' });
        expect(selecting).toContain(d);
        expect(notifierCall(cloudTrailRecord(d.signal.eventSource, name, {}))).toMatchObject({ detection: selecting[0] });
      }
    }
  });

  test('any call of the root user is handed over, reads included, but a root launch stays the launch evaluator\'s', () => {
    const read = { ...asRoot(cloudTrailRecord('ec2.amazonaws.com', 'DescribeInstances', {})), readOnly: true };
    expect(notifierCall(read)).toMatchObject({ detection: detection('root-activity') });
    expect(notifierCall(asRoot(cloudTrailRecord('iam.amazonaws.com', 'CreateAccessKey', {})))).toMatchObject({ detection: detection('root-access-key') });
    expect(notifierCall(asRoot(runInstances('p4d.24xlarge', 2)))).toBeUndefined();
    expect(notifierCall({ ...read, userIdentity: { type: ['Root'] } })).toBeUndefined();
  });

  test('any value, and any real call with a field replaced by any JSON: never throws', () => {
    const mutated = fc.record({ field: fc.constantFrom('eventID', 'eventTime', 'awsRegion', 'recipientAccountId', 'userIdentity', 'eventSource'), value: fc.jsonValue() })
      .map(({ field, value }) => ({ ...STOP_LOGGING, [field]: value }));
    fc.assert(fc.property(fc.oneof(fc.anything(), mutated), (value) => {
      const call = notifierCall(value);
      if (call && 'event' in call) expect(typeof call.event.region).toBe('string');
    }), { numRuns: 2000 });
  });
});

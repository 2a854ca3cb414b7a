import * as fc from 'fast-check';
import { isCloudTrailRecord, principalName, readRecord, recordsIn, unwrapRecord } from '../../../../lambda/core/events/cloudtrail-record';
import { cloudTrailRecord, eventBridgeEvent } from '../../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../../fixtures/real-events';

const INVICTUS = readJsonLines('cloudtrail/attack/invictus_stratus_2023-07-10.jsonl');
const STRATUS = readJsonLines('cloudtrail/attack/stratus_detonation_logs.jsonl');
const BACKGROUND = readJsonLines('cloudtrail/benign/invictus_aws_service_background.jsonl');
const DOCS = readJsonLines('cloudtrail/benign/awsdocs_cloudtrail_examples.jsonl');

const byId = (records: Array<Record<string, unknown>>, eventId: string) => records.find((r) => r.eventID === eventId)!;

describe('isCloudTrailRecord', () => {
  test('every record of the public logs is one', () => {
    expect([...INVICTUS, ...STRATUS, ...BACKGROUND, ...DOCS].every(isCloudTrailRecord)).toBe(true);
  });

  test.each([
    ['the EventBridge envelope', eventBridgeEvent(STRATUS[0])],
    ['null', null],
    ['an array', [STRATUS[0]]],
    ['an event name that is not a string', { eventName: 1, eventSource: 'ec2.amazonaws.com' }],
    ['a record without an event source', { eventName: 'RunInstances' }],
  ])('%s is not one', (_name, value) => {
    expect(isCloudTrailRecord(value)).toBe(false);
  });
});

describe('unwrapRecord and recordsIn', () => {
  const record = STRATUS[0];

  test('an EventBridge event gives the record in its detail', () => {
    expect(unwrapRecord(eventBridgeEvent(record))).toBe(record);
    expect(recordsIn(eventBridgeEvent(record))).toEqual([record]);
  });

  test('a bare record is its own record', () => {
    expect(unwrapRecord(record)).toBe(record);
    expect(recordsIn(record)).toEqual([record]);
  });

  test('an S3 log file gives every record of `Records`, as they are', () => {
    expect(recordsIn({ Records: STRATUS })).toBe(STRATUS);
    expect(recordsIn({ Records: [] })).toEqual([]);
  });

  test('an event whose detail is no record stays as it is', () => {
    const event = { 'detail-type': 'GuardDuty Finding', 'detail': { type: 'Recon:IAMUser/MaliciousIPCaller.Custom' } };
    expect(unwrapRecord(event)).toBe(event);
    expect(unwrapRecord({ detail: record })).toEqual({ detail: record });
  });

  test('`Records` that is not a list is read as one value', () => {
    const value = { Records: { eventName: 'x' } };
    expect(recordsIn(value)).toEqual([value]);
    expect(recordsIn(null)).toEqual([null]);
  });
});

describe('readRecord', () => {
  test('reads a real role session\'s refused launch, with the role behind the session', () => {
    const record = byId(INVICTUS, '8e865acb-b1e1-41d1-bdf3-47462f79d24c');
    expect(readRecord(eventBridgeEvent(record))).toEqual({
      eventId: '8e865acb-b1e1-41d1-bdf3-47462f79d24c',
      eventTime: '2023-07-10T12:06:42Z',
      eventSource: 'ec2.amazonaws.com',
      eventName: 'RunInstances',
      region: 'us-east-1',
      account: '123837392027',
      errorCode: 'Client.VcpuLimitExceeded',
      principalArn: 'arn:aws:sts::123837392027:assumed-role/stratus-red-team-ec2lui-role-pcccexdthk/aws-go-sdk-1688990797103471741',
      sessionIssuerArn: 'arn:aws:iam::123837392027:role/stratus-red-team-ec2lui-role-pcccexdthk',
      principalType: 'AssumedRole',
      sourceIp: '192.168.10.20',
      userAgent: 'stratus-red-team_bc31c885-5ea0-4a6e-8bec-b6b10058bc44',
      invokedBy: undefined,
      request: record.requestParameters,
      response: {},
      raw: record,
    });
  });

  test('reads a real IAM user\'s StopLogging', () => {
    const record = byId(STRATUS, '10163ed2-2253-469d-a5ee-cbc6651f8934');
    expect(readRecord(record)).toMatchObject({
      eventName: 'StopLogging',
      region: 'apiso-centralnorth-2r',
      account: '143434273843',
      errorCode: undefined,
      principalArn: 'arn:aws:iam::143434273843:user/christophe',
      sessionIssuerArn: undefined,
      principalType: 'IAMUser',
      request: { name: 'stratus-red-team-ct-stop-trail-buykxbqejv' },
    });
  });

  test('an AWS service event without a principal ARN is put on the service that made it', () => {
    const record = BACKGROUND.find((r) => r.eventName === 'SharedSnapshotVolumeCreated')!;
    expect(readRecord(record)).toMatchObject({
      principalArn: 'ec2.amazonaws.com',
      invokedBy: 'ec2.amazonaws.com',
      principalType: 'Unknown',
      account: '123837392027',
      request: {},
      response: {},
    });
  });

  test('a failed console login without an ARN is put on the principal id', () => {
    const failed = DOCS.find((r) => r.eventName === 'ConsoleLogin' && (r.responseElements as { ConsoleLogin: string }).ConsoleLogin === 'Failure'
      && (r.userIdentity as { type: string }).type === 'IAMUser')!;
    const read = readRecord(failed);
    expect(read).toMatchObject({ principalArn: 'AIDACKCEVSQ6C2EXAMPLE', principalType: 'IAMUser', account: '111122223333' });
  });

  test('the documentation\'s StartInstances example, which has no eventID, cannot be judged, and says why', () => {
    const example = DOCS.find((r) => r.eventName === 'StartInstances')!;
    expect(readRecord(example)).toBe('CloudTrail record without eventID or eventTime');
  });

  test.each([
    ['null', null],
    ['a GuardDuty event', { 'detail-type': 'GuardDuty Finding', 'detail': {} }],
    ['an S3 log file', { Records: STRATUS }],
  ])('%s is not a record', (_name, value) => {
    expect(readRecord(value)).toBe('not a CloudTrail record (no eventName and eventSource)');
  });

  test('a record with nothing but its names and ids says what it does not know', () => {
    const bare = { eventName: 'RunInstances', eventSource: 'ec2.amazonaws.com', eventID: 'e', eventTime: 't', requestParameters: null };
    expect(readRecord(bare)).toMatchObject({
      principalArn: 'unknown principal', region: 'unknown-region', account: 'unknown account', principalType: 'Unknown', request: {}, response: {},
    });
  });

  test('the account falls back to the caller\'s when the record names no recipient', () => {
    const record = cloudTrailRecord('ec2.amazonaws.com', 'RunInstances', {});
    delete record.recipientAccountId;
    expect(readRecord(record)).toMatchObject({ account: '123456789012' });
  });

  test('any value, real records with any field replaced included, is read or refused with a reason, never thrown', () => {
    const fields = ['eventID', 'eventTime', 'eventName', 'eventSource', 'awsRegion', 'userIdentity', 'requestParameters', 'errorCode', 'detail'];
    const mutated = fc.record({
      i: fc.nat(STRATUS.length - 1), field: fc.constantFrom(...fields), value: fc.oneof(fc.jsonValue(), fc.string({ unit: 'binary' })),
    })
      .map(({ i, field, value }) => ({ ...STRATUS[i], [field]: value }));
    fc.assert(fc.property(fc.oneof(fc.anything(), mutated, mutated.map(eventBridgeEvent)), (value) => {
      const read = readRecord(value);
      if (typeof read === 'string') {
        expect(['not a CloudTrail record (no eventName and eventSource)', 'CloudTrail record without eventID or eventTime']).toContain(read);
        return;
      }
      const { eventId, eventTime, eventName, eventSource, region, account, principalArn, principalType } = read;
      for (const field of [eventId, eventTime, eventName, eventSource, region, account, principalArn, principalType]) {
        expect(typeof field).toBe('string');
      }
    }), { numRuns: 1000 });
  });
});

describe('principalName', () => {
  test.each([
    ['arn:aws:iam::123837392027:user/bert-jan', 'user/bert-jan'],
    ['arn:aws:iam::123456789012:user/division/team/ci-bot', 'user/division/team/ci-bot'],
    ['arn:aws:sts::123837392027:assumed-role/stratus-red-team-ec2lui-role-pcccexdthk/aws-go-sdk-1688990797103471741',
      'role/stratus-red-team-ec2lui-role-pcccexdthk'],
    ['arn:aws:iam::111122223333:root', 'root'],
    ['arn:aws-cn:iam::123456789012:role/deployer', 'role/deployer'],
    ['arn:aws:sts::123456789012:federated-user/bob', 'federated-user/bob'],
    ['ec2.amazonaws.com', 'ec2.amazonaws.com'],
    ['AIDACKCEVSQ6C2EXAMPLE', 'AIDACKCEVSQ6C2EXAMPLE'],
    ['unknown principal', 'unknown principal'],
  ])('%s is %s', (arn, name) => {
    expect(principalName(arn)).toBe(name);
  });

  test('any string gives a non-empty name when it is non-empty', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }), (arn) => {
      expect(principalName(arn).length).toBeGreaterThan(0);
    }), { numRuns: 1000 });
  });
});

import { accountOfLogPath, accountOfRecord, UNKNOWN_ACCOUNT } from '../../../../lambda/core/launch/log-account';
import { eventBridgeEvent } from '../../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../../fixtures/real-events';

const DOCS = readJsonLines('cloudtrail/benign/awsdocs_cloudtrail_examples.jsonl');
/** A real record that names its account, and one that names none (the documentation's StartInstances example). */
const NAMED = DOCS.find((r) => r.eventName === 'UpdateTrail')!;
const UNNAMED = DOCS.find((r) => r.eventName === 'StartInstances')!;

describe('accountOfLogPath', () => {
  test.each([
    ['an organization trail\'s file, as delivered to S3',
      'logs/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/2026/11/30/111122223333_CloudTrail_us-east-1_20261130T0000Z_abc.json.gz', '111122223333'],
    ['a trail of one account\'s file', 'AWSLogs/444455556666/CloudTrail/eu-west-1/2026/11/30/x.json.gz', '444455556666'],
    ['the folder, not the file\'s name, when they differ', 'AWSLogs/o-a1b2c3d4e5/444455556666/CloudTrail/eu-west-1/111122223333_CloudTrail_eu-west-1_x.json.gz', '444455556666'],
    ['a file kept outside its folders, by its name', '/tmp/111122223333_CloudTrail_us-east-1_20261130T0000Z_abc.json.gz', '111122223333'],
    ['a Windows path', 'C:\\logs\\AWSLogs\\o-a1b2c3d4e5\\111122223333\\CloudTrail\\us-east-1\\2026\\11\\30\\f.json.gz', '111122223333'],
  ])('reads the account of %s', (_what, path, account) => {
    expect(accountOfLogPath(path)).toBe(account);
  });

  test.each([
    'cloudtrail/2026/10/01/f.json.gz',
    'AWSLogs/11112222333/CloudTrail/us-east-1/f.json.gz',
    'AWSLogs/o-short/111122223333/CloudTrail/us-east-1/f.json.gz',
    'AWSLogs/111122223333/elsewhere/f.json',
    'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/111122223333_CloudTrail-Digest_us-east-1_x.json.gz',
  ])('finds none in %s', (path) => {
    expect(accountOfLogPath(path)).toBeUndefined();
  });
});

describe('accountOfRecord', () => {
  test('takes the record\'s own recipientAccountId over its folder\'s account', () => {
    expect(NAMED.recipientAccountId).toBe('123456789012');
    expect(accountOfRecord(NAMED, '111122223333')).toBe('123456789012');
    expect(accountOfRecord(NAMED)).toBe('123456789012');
  });

  test('reads it from the detail of an EventBridge event', () => {
    expect(accountOfRecord(eventBridgeEvent(NAMED), '111122223333')).toBe('123456789012');
  });

  test('takes the folder\'s account for a record that names none, and none at all as unknown', () => {
    expect(UNNAMED.recipientAccountId).toBeUndefined();
    expect(accountOfRecord(UNNAMED, '111122223333')).toBe('111122223333');
    expect(accountOfRecord(UNNAMED)).toBe(UNKNOWN_ACCOUNT);
  });

  test.each<[string, unknown]>([
    ['thirteen digits', '0123456789012'],
    ['a name', 'prod'],
    ['an object', { id: '123456789012' }],
  ])('takes a recipientAccountId that is not an account id (%s) for none', (_what, id) => {
    // Malformed input, written here: no real record holds one.
    expect(accountOfRecord({ eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', recipientAccountId: id }, '111122223333')).toBe('111122223333');
  });

  test('never throws on what is not a record', () => {
    for (const value of [null, 1, 'x', [], { 'detail': null, 'detail-type': 'x' }]) expect(accountOfRecord(value)).toBe(UNKNOWN_ACCOUNT);
  });
});

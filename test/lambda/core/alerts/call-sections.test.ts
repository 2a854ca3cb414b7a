import { callSections } from '../../../../lambda/core/alerts/call-sections';
import { CloudTrailRecord, readRecord } from '../../../../lambda/core/events/cloudtrail-record';
import { cloudTrailRecord } from '../../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../../fixtures/real-events';

function read(value: unknown): CloudTrailRecord {
  const record = readRecord(value);
  if (typeof record === 'string') throw new Error(record);
  return record;
}

describe('callSections', () => {
  test('a real console login: who, where, the event and everything its principal did, and the ids to find it by', () => {
    // GIVEN the documented console sign-in of the CloudTrail user guide
    const login = read(readJsonLines('cloudtrail/benign/awsdocs_cloudtrail_examples.jsonl').find((r) => r.eventName === 'ConsoleLogin'));
    // WHEN
    const sections = callSections(login);
    // THEN
    expect(sections.who[0]).toBe(`Principal: ${login.principalArn} (${login.principalType})`);
    expect(sections.where).toBe(`Account ${login.account}, region ${login.region}`);
    expect(sections.links.map((l) => l.label)).toEqual(['CloudTrail event', 'Everything this principal did']);
    expect(sections.refs).toEqual({ eventId: login.eventId, eventName: 'ConsoleLogin', eventTime: login.eventTime });
  });

  test('names the source IP and user agent only when the record has them', () => {
    const record = read({ ...cloudTrailRecord('ec2.amazonaws.com', 'RunInstances', {}), sourceIPAddress: undefined, userAgent: undefined });
    expect(callSections(record).who).toEqual([`Principal: ${record.principalArn} (IAMUser)`]);
  });

  test('links in the principal\'s partition, and filters the history by the role of a session', () => {
    // GIVEN a role session in the China partition
    const record = read(cloudTrailRecord('ec2.amazonaws.com', 'RunInstances', {}, null, {
      principalArn: 'arn:aws-cn:sts::123456789012:assumed-role/ci-deployer/build-42', region: 'cn-north-1',
    }));
    // WHEN
    const sections = callSections(record);
    // THEN
    expect(sections.partition).toBe('aws-cn');
    expect(sections.links[0].url).toBe(`https://console.amazonaws.cn/cloudtrail/home?region=cn-north-1#/events/${record.eventId}`);
    expect(sections.links[1].url).toBe('https://console.amazonaws.cn/cloudtrail/home?region=cn-north-1#/events?Username=ci-deployer');
  });

  test('a principal that is no ARN is taken to be in the aws partition', () => {
    const record = read({ ...cloudTrailRecord('ec2.amazonaws.com', 'RunInstances', {}), userIdentity: { type: 'AWSService', invokedBy: 'autoscaling.amazonaws.com' } });
    expect(callSections(record).partition).toBe('aws');
  });
});

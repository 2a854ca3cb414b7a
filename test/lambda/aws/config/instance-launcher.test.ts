import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { handlerEnvironment } from '../../../harness/handler-environment';
import { awsError, freshModule, regionOf } from '../../../harness/mocked-aws';

const cloudTrail = mockClient(CloudTrailClient);
const load = () => freshModule(() => import('../../../../lambda/aws/config/instance-launcher'));

const ROLE_SESSION = 'arn:aws:sts::123456789012:assumed-role/ci-deploy/session-1';
const ROLE = 'arn:aws:iam::123456789012:role/ci/ci-deploy';

/** An event of LookupEvents' answer, with the CloudTrail record as the JSON text it carries. */
function lookedUp(eventName: string, userIdentity: object | undefined) {
  return { EventName: eventName, EventId: `${eventName}-1`, CloudTrailEvent: JSON.stringify({ eventName, userIdentity }) };
}

beforeAll(() => handlerEnvironment({ AWS_REGION: 'eu-central-1' }));
beforeEach(() => cloudTrail.reset());

describe('instanceLauncher', () => {
  test('finds the role session that ran RunInstances, and the role behind it', async () => {
    // GIVEN later events on the instance come first, as LookupEvents returns them
    cloudTrail.on(LookupEventsCommand).resolves({
      Events: [
        lookedUp('ModifyInstanceAttribute', { arn: 'arn:aws:iam::123456789012:user/attacker' }),
        lookedUp('RunInstances', { type: 'AssumedRole', arn: ROLE_SESSION, sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE } } }),
      ],
    });
    const { instanceLauncher } = await load();

    // WHEN
    const launcher = await instanceLauncher('i-0a1b2c3d4e5f6a7b8');

    // THEN
    expect(launcher).toEqual({ arn: ROLE_SESSION, sessionIssuerArn: ROLE });
    const [call] = cloudTrail.commandCalls(LookupEventsCommand);
    expect(call.args[0].input).toEqual({
      LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'i-0a1b2c3d4e5f6a7b8' }],
      MaxResults: 50,
      NextToken: undefined,
    });
    expect(await regionOf(call)).toBe('eu-central-1');
  });

  test('an IAM user launcher has no session issuer', async () => {
    // GIVEN
    const user = { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/ci-bot' };
    cloudTrail.on(LookupEventsCommand).resolves({ Events: [lookedUp('RunInstances', user)] });
    const { instanceLauncher } = await load();

    // WHEN / THEN
    expect(await instanceLauncher('i-0aaa')).toEqual({ arn: 'arn:aws:iam::123456789012:user/ci-bot', sessionIssuerArn: undefined });
  });

  test('without a RunInstances event in the 90-day history, says so', async () => {
    // GIVEN
    cloudTrail.on(LookupEventsCommand).resolves({
      Events: [lookedUp('StopInstances', { arn: 'arn:aws:iam::123456789012:user/ops' }), { EventName: 'RunInstances' }],
    });
    const { instanceLauncher } = await load();

    // WHEN / THEN
    expect(await instanceLauncher('i-0aaa')).toEqual({ unknownReason: 'no RunInstances event in the last 90 days' });
  });

  test('a RunInstances record without an identity ARN is passed over', async () => {
    // GIVEN
    const service = { type: 'AWSService', invokedBy: 'autoscaling.amazonaws.com' };
    cloudTrail.on(LookupEventsCommand).resolves({ Events: [lookedUp('RunInstances', service)] });
    const { instanceLauncher } = await load();

    // WHEN / THEN
    expect(await instanceLauncher('i-0aaa')).toEqual({ unknownReason: 'no RunInstances event in the last 90 days' });
  });

  test.each([
    ['AccessDenied', awsError('AccessDeniedException', 'User is not authorized to perform: cloudtrail:LookupEvents'), 'AccessDeniedException'],
    ['throttling that outlasts the SDK\'s retries', awsError('ThrottlingException', 'Rate exceeded'), 'ThrottlingException'],
  ])('never throws: %s makes the launcher unknown, naming the error', async (_, error, name) => {
    // GIVEN
    cloudTrail.on(LookupEventsCommand).rejects(error);
    const { instanceLauncher } = await load();

    // WHEN / THEN
    expect(await instanceLauncher('i-0aaa')).toEqual({ unknownReason: `CloudTrail lookup failed: ${name}` });
  });

  test('an unreadable CloudTrail record makes the launcher unknown rather than failing the evaluation', async () => {
    // GIVEN
    cloudTrail.on(LookupEventsCommand).resolves({ Events: [{ EventName: 'RunInstances', CloudTrailEvent: '{"userIdentity": {"arn": ' }] });
    const { instanceLauncher } = await load();

    // WHEN / THEN
    expect(await instanceLauncher('i-0aaa')).toEqual({ unknownReason: 'CloudTrail lookup failed: SyntaxError' });
  });

  test('one CloudTrail client serves every lookup of a container, with the SDK\'s adaptive retry', async () => {
    // GIVEN
    cloudTrail.on(LookupEventsCommand).resolves({ Events: [] });
    const { instanceLauncher } = await load();

    // WHEN
    await instanceLauncher('i-0aaa');
    await instanceLauncher('i-0bbb');

    // THEN
    const [first, second] = cloudTrail.commandCalls(LookupEventsCommand);
    expect(second.thisValue).toBe(first.thisValue);
    expect((first.thisValue as CloudTrailClient).config.retryMode).toBe('adaptive');
    expect(await (first.thisValue as CloudTrailClient).config.maxAttempts()).toBe(5);
  });

  test('a busy instance\'s RunInstances, its oldest event, is found on a later page', async () => {
    // GIVEN 50 newer events on the first page, and the launch on the second
    const newer = Array.from({ length: 50 }, () => lookedUp('ModifyInstanceAttribute', { arn: 'arn:aws:iam::123456789012:user/ops' }));
    cloudTrail.on(LookupEventsCommand).callsFake(({ NextToken }) => (NextToken === 'page-2'
      ? { Events: [lookedUp('RunInstances', { arn: ROLE_SESSION })] }
      : { Events: newer, NextToken: 'page-2' }));
    const { instanceLauncher } = await load();
    // WHEN
    const launcher = await instanceLauncher('i-0busy');
    // THEN
    expect(launcher).toEqual({ arn: ROLE_SESSION, sessionIssuerArn: undefined });
    expect(cloudTrail.commandCalls(LookupEventsCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'page-2']);
  });

  test('stops after MAX_LOOKUP_PAGES pages, and says how far it looked', async () => {
    const newer = Array.from({ length: 50 }, () => lookedUp('ModifyInstanceAttribute', { arn: 'arn:aws:iam::123456789012:user/ops' }));
    cloudTrail.on(LookupEventsCommand).resolves({ Events: newer, NextToken: 'more' });
    const { instanceLauncher, MAX_LOOKUP_PAGES } = await load();
    expect(await instanceLauncher('i-0busier')).toEqual({ unknownReason: `no RunInstances event among the instance's latest ${MAX_LOOKUP_PAGES * 50} events` });
    expect(cloudTrail.commandCalls(LookupEventsCommand)).toHaveLength(MAX_LOOKUP_PAGES);
  });
});

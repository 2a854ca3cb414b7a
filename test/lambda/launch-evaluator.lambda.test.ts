import { gzipSync } from 'zlib';
import {
  CreateTagsCommand, DescribeInstancesCommand, DescribeInstanceTypesCommand, EC2Client, ModifyInstanceAttributeCommand, StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { CloudTrailRecord } from '../../lambda/core/events/cloudtrail-record';
import { LAUNCH_REQUEST_READERS } from '../../lambda/core/launch/launch-request';
import { handler } from '../../lambda/launch-evaluator.lambda';
import { CONTAINMENT_ROLE_NAME } from '../../lib/catalog';
import { cloudTrailRecord, createComputeEnvironment, eventBridgeEvent, runInstances } from '../fixtures/documented-cloudtrail';
import { createService, registerTaskDefinition, runTask } from '../fixtures/documented-ecs';
import { captureLogs } from '../harness/captured-logs';
import { captureMetrics } from '../harness/emitted-metrics';
import { mockedHandlerEnvironment } from '../harness/handler-environment';
import { launchHandlerWith } from '../harness/launch-handler';

// Failures the emulator cannot produce. The volume test is with the integration tests (launch-evaluator-volume).
const sns = mockClient(SNSClient);
const ec2 = mockClient(EC2Client);
const pricing = mockClient(PricingClient);
const lambda = mockClient(LambdaClient);
const NOTIFIER = 'arn:aws:lambda:us-east-1:123456789012:function:Guard-AlertsNotifierFunction-ABC';

beforeAll(() => {
  mockedHandlerEnvironment();
  // Read by the handler at its first invocation.
  process.env.LAUNCH_SETTINGS = JSON.stringify({ responses: { 'ec2-instance-launch': 'STOP' } });
});
beforeEach(() => {
  sns.reset();
  ec2.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  ec2.on(DescribeInstanceTypesCommand).rejects(new Error('not in this test'));
  pricing.reset();
  pricing.on(GetProductsCommand).rejects(new Error('not in this test'));
  lambda.reset();
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
  process.env.NOTIFIER_FUNCTION = NOTIFIER;
});

function published(): Array<{ subject: string; message: string }> {
  return sns.commandCalls(PublishCommand).map((c) => ({ subject: c.args[0].input.Subject!, message: JSON.parse(c.args[0].input.Message!).default }));
}

/** EC2 describing the instances as running, as it does right after their launch. */
function running(...ids: string[]): void {
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: ids.map((InstanceId) => ({ InstanceId, State: { Name: 'running' } })) }] });
}
/** Every message published, as one text: the outcome of containment may come in an alert of its own. */
const everything = () => published().map((a) => a.message).join('\n');
const stopping = (...ids: string[]) => ({ StoppingInstances: ids.map((InstanceId) => ({ InstanceId, CurrentState: { Name: 'stopping' as const } })) });

test('AccessDenied on one instance is reported in the alert with its id, and the other instances are still stopped', async () => {
  running('i-0aaa', 'i-0bbb');
  ec2.on(ModifyInstanceAttributeCommand).resolves({});
  ec2.on(StopInstancesCommand).rejects(Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' }));
  ec2.on(StopInstancesCommand, { InstanceIds: ['i-0bbb'] }).resolves(stopping('i-0bbb'));
  await handler(eventBridgeEvent(runInstances('p3.2xlarge', 2, ['i-0aaa', 'i-0bbb'])));
  expect(everything()).toContain('FAILED: stop 2 instances: i-0aaa, i-0bbb (turning off stop/termination protection first): '
    + '1 of 2 failed: i-0aaa (not stopped: UnauthorizedOperation: You are not authorized to perform this operation)');
  expect(ec2.commandCalls(StopInstancesCommand).map((c) => c.args[0].input.InstanceIds)).toContainEqual(['i-0bbb']);
});

test('a tag refused after the stop is reported with the stop, which stands', async () => {
  running('i-0eee');
  ec2.on(ModifyInstanceAttributeCommand).resolves({});
  ec2.on(StopInstancesCommand).resolves(stopping('i-0eee'));
  ec2.on(CreateTagsCommand).rejects(Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' }));
  await handler(eventBridgeEvent(runInstances('p3.2xlarge', 1, ['i-0eee'])));
  expect(everything()).toContain('Done: stop instance i-0eee (turning off stop/termination protection first); '
    + 'not tagged: 1 instance(s) from i-0eee: UnauthorizedOperation: You are not authorized to perform this operation.');
});

test('throttling that outlasts the SDK\'s retries is reported, not swallowed', async () => {
  running('i-0ccc');
  ec2.on(ModifyInstanceAttributeCommand).rejects(Object.assign(new Error('Request limit exceeded.'), { name: 'RequestLimitExceeded', $metadata: { httpStatusCode: 503 } }));
  ec2.on(StopInstancesCommand).rejects(Object.assign(new Error('The instance may not be stopped.'), { name: 'OperationNotPermitted' }));
  await handler(eventBridgeEvent(runInstances('p3.2xlarge', 1, ['i-0ccc'])));
  expect(everything()).toContain('FAILED: stop instance i-0ccc (turning off stop/termination protection first): 1 of 1 failed: i-0ccc '
    + '(not stopped: OperationNotPermitted: The instance may not be stopped.; protection not lifted: RequestLimitExceeded: Request limit exceeded)');
});

test('an alert that cannot be published fails the invocation, so it is retried and dead-lettered', async () => {
  sns.on(PublishCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
  ec2.on(ModifyInstanceAttributeCommand).resolves({});
  ec2.on(StopInstancesCommand).resolves({});
  await expect(handler(eventBridgeEvent(runInstances('p3.2xlarge', 1, ['i-0ddd'])))).rejects.toThrow(/Rate exceeded/);
});

test('a batch from the trail\'s log group with unreadable entries: the rest is judged, each unreadable one alerted once', async () => {
  const launch = runInstances('p3.2xlarge', 1);
  const payload = {
    messageType: 'DATA_MESSAGE',
    logEvents: [
      { id: '1', timestamp: 0, message: JSON.stringify(launch) },
      { id: '2', timestamp: 0, message: '{"eventName": "RunInst' },
      { id: '3', timestamp: 0, message: JSON.stringify(cloudTrailRecord('s3.amazonaws.com', 'GetObject', {})) },
      { id: '4', timestamp: 0, message: JSON.stringify({ eventName: 'RunInstances', eventSource: 'ec2.amazonaws.com' }) },
    ],
  };
  const { outcomes } = await handler({ awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64') } });
  expect(outcomes.map((o) => o.result).sort()).toEqual(['alerted', 'malformed', 'malformed', 'not-selected']);
  const subjects = published().map((p) => p.subject);
  expect(subjects.filter((s) => s.includes('Unrecognised event'))).toHaveLength(2);
  expect(subjects.filter((s) => s.includes('1 x p3.2xlarge launched'))).toHaveLength(1);
});

/** A CloudWatch Logs subscription delivery of these log events' messages, as Lambda receives it. */
function logsDelivery(messages: unknown[]): { awslogs: { data: string } } {
  const payload = {
    messageType: 'DATA_MESSAGE',
    logEvents: messages.map((m, i) => ({ id: String(i), timestamp: 0, message: typeof m === 'string' ? m : JSON.stringify(m) })),
  };
  return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64') } };
}

function handedOver(): Array<Record<string, unknown>> {
  return lambda.commandCalls(InvokeCommand).map((c) => JSON.parse(Buffer.from(c.args[0].input.Payload as Uint8Array).toString('utf8')));
}

describe('the tamper and credential calls the trail\'s log group brings', () => {
  const stopLogging = cloudTrailRecord('cloudtrail.amazonaws.com', 'StopLogging', { name: 'org-trail' }, null, { region: 'ap-southeast-1', eventId: 'stop-1' });

  test('are handed to the notifier in the event EventBridge would deliver; launches are still judged, other calls dropped', async () => {
    const { outcomes } = await handler(logsDelivery([stopLogging, runInstances('p3.2xlarge', 1), cloudTrailRecord('iam.amazonaws.com', 'CreateRole', {})]));

    expect(outcomes.map((o) => o.result)).toEqual(['handed-off', 'alerted', 'not-selected']);
    expect(handedOver()).toEqual([{
      'version': '0',
      'id': 'stop-1',
      'detail-type': 'AWS API Call via CloudTrail',
      'source': 'aws.cloudtrail',
      'account': '123456789012',
      'time': stopLogging.eventTime,
      'region': 'ap-southeast-1',
      'resources': [],
      'detail': stopLogging,
    }]);
    expect(lambda.commandCalls(InvokeCommand)[0].args[0].input).toMatchObject({ FunctionName: NOTIFIER, InvocationType: 'Event' });
    expect(published().map((p) => p.subject)).toEqual([expect.stringContaining('1 x p3.2xlarge launched')]);
  });

  test('are not handed over when EventBridge brings them: its rules send them to the notifier itself', async () => {
    const { outcomes } = await handler(eventBridgeEvent(stopLogging));
    expect(outcomes.map((o) => o.result)).toEqual(['not-selected']);
    expect(lambda.calls()).toHaveLength(0);
  });

  test('a hand-off that fails is logged and alerted, unjudged, and the rest of the batch goes on', async () => {
    lambda.on(InvokeCommand).rejects(Object.assign(new Error('User is not authorized to perform: lambda:InvokeFunction'), { name: 'AccessDeniedException' }));
    const { outcomes } = await handler(logsDelivery([stopLogging, runInstances('p3.2xlarge', 1)]));

    expect(outcomes.map((o) => o.result)).toEqual(['hand-off-failed', 'alerted']);
    const subjects = published().map((p) => p.subject);
    expect(subjects).toEqual(['[MiningGuard][CRITICAL] Unjudged StopLogging by user/ci-bot in ap-southeast-1', expect.stringContaining('1 x p3.2xlarge launched')]);
    expect(published()[0].message).toContain('eventID stop-1: AccessDeniedException: User is not authorized to perform: lambda:InvokeFunction');
  });

  test('without the notifier\'s name, nothing is handed over and every call is alerted unjudged', async () => {
    delete process.env.NOTIFIER_FUNCTION;
    const { outcomes } = await handler(logsDelivery([stopLogging]));
    expect(outcomes.map((o) => o.result)).toEqual(['hand-off-failed']);
    expect(published()[0].message).toContain('NOTIFIER_FUNCTION is not set');
  });

  test('a field of the wrong type is logged and skipped, without an alert, and without losing the batch', async () => {
    const { outcomes } = await handler(logsDelivery([{ ...stopLogging, awsRegion: 42 }, { ...stopLogging, eventID: 'stop-2' }]));
    expect(outcomes.map((o) => o.result)).toEqual(['skipped', 'handed-off']);
    expect(handedOver().map((e) => e.id)).toEqual(['stop-2']);
    expect(published()).toEqual([]);
  });

  test('a forged line can only make the notifier alert: the evaluator contains nothing for it', async () => {
    // GIVEN a line anyone with logs:PutLogEvents could write, a tamper call whose request names an instance
    const forged = cloudTrailRecord('ec2.amazonaws.com', 'DeleteFlowLogs', { flowLogIds: ['fl-1'], instanceId: 'i-0aaa' }, null, { eventId: 'forged-1' });
    // WHEN
    await handler(logsDelivery([forged]));
    // THEN
    expect(handedOver()).toHaveLength(1);
    expect(ec2.calls()).toHaveLength(0);
  });
});

describe('ECS services and tasks, judged by the task definition\'s CPU and GPUs', () => {
  const ecs = mockClient(ECSClient);
  beforeEach(() => ecs.reset());

  test('ten 16-vCPU Fargate tasks in one CreateService are flagged with their vCPUs', async () => {
    // GIVEN the definition as ECS describes it
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: 'miner:1' }).resolves(registerTaskDefinition('miner', { cpu: '16384' }).responseElements as object);
    // WHEN
    const { outcomes } = await handler(eventBridgeEvent(createService('xmr', 'miner:1', 10)));
    // THEN
    expect(outcomes.map((o) => o.result)).toEqual(['alerted']);
    const [alert] = published();
    expect(alert.subject).toBe('[MiningGuard][HIGH] 10 x 16-vCPU ECS tasks launched in sa-east-1 by user/ci-bot');
    expect(alert.message).toContain('10 tasks x 16 vCPUs = 160 vCPUs in one call, more than the 64 allowed (maxVcpusPerCall)');
  });

  test('a definition ECS cannot describe is alerted as unknown vCPUs, with why, never judged within the policy', async () => {
    ecs.on(DescribeTaskDefinitionCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const { outcomes } = await handler(eventBridgeEvent(runTask('throttled:3', 2)));
    expect(outcomes.map((o) => o.result)).toEqual(['alerted']);
    expect(published()[0].message).toContain('whose vCPUs are unknown: ECS DescribeTaskDefinition failed: ThrottlingException: Rate exceeded');
  });

  test('two quarter-vCPU tasks pass', async () => {
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: 'web:2' }).resolves(registerTaskDefinition('web', { cpu: '256', revision: 2 }).responseElements as object);
    const { outcomes } = await handler(eventBridgeEvent(createService('web', 'web:2', 2)));
    expect(outcomes.map((o) => o.result)).toEqual(['within-policy']);
    expect(published()).toEqual([]);
  });
});

describe('a record that cannot be judged', () => {
  const SECRET = 'AKIASECRETLOOKING0001/wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  let lines: unknown[][];

  beforeEach(() => {
    lines = captureLogs();
  });
  afterEach(() => jest.restoreAllMocks());

  test('is alerted as unreadable, saying why, and the rest of the batch is judged', async () => {
    // GIVEN a Batch record whose reader trips over a field (any exception from judging), in a batch with a launch
    const readers = LAUNCH_REQUEST_READERS as Record<string, (r: CloudTrailRecord) => unknown>;
    jest.spyOn(readers, 'CreateComputeEnvironment').mockImplementation(() => {
      throw new TypeError('types.filter is not a function');
    });
    const batch = createComputeEnvironment('miner', ['p4d.24xlarge'], 96, { eventId: 'ce-1' });
    // WHEN
    const { outcomes } = await handler(logsDelivery([batch, runInstances('p3.2xlarge', 1)]));
    // THEN
    expect(outcomes.map((o) => o.result)).toEqual(['malformed', 'alerted']);
    const [unreadable, launch] = published();
    expect(unreadable.subject).toMatch(/Unrecognised event/);
    expect(unreadable.message).toContain('it could not be judged (TypeError: types.filter is not a function)');
    expect(launch.subject).toContain('1 x p3.2xlarge launched');
  });

  test('nor is a flagged launch logged whole: a forged eventID of any length is cut short', async () => {
    const forged = { ...runInstances('p3.2xlarge', 1), eventID: `${'f'.repeat(5000)}${SECRET}`, userAgent: SECRET };
    await handler(logsDelivery([forged]));
    expect(JSON.stringify(lines)).not.toContain(SECRET);
    expect(lines).toContainEqual(['info', 'Launch flagged', expect.objectContaining({ eventId: `${'f'.repeat(200)}...`, detection: 'ec2-instance-launch' })]);
  });

  test('is logged by its eventID, name and reason, never whole', async () => {
    const unreadable = { ...runInstances('p3.2xlarge', 1), eventTime: undefined, eventID: 'run-1', userAgent: SECRET };
    await handler(logsDelivery([unreadable]));
    expect(JSON.stringify(lines)).not.toContain(SECRET);
    expect(lines).toContainEqual(['warn', 'Unreadable record', { reason: 'CloudTrail record without eventID or eventTime', eventId: 'run-1', eventName: 'RunInstances' }]);
  });
});

describe('the metrics of an invocation', () => {
  let capture: ReturnType<typeof captureMetrics>;
  beforeEach(() => {
    capture = captureMetrics();
  });
  afterEach(() => capture.stop());

  const named = (name: string): Array<Record<string, string | number>> => capture.emitted().filter((m) => m.name === name)
    .map((m) => ({ value: m.value, ...m.dimensions }));

  test('count the launch detected and each containment step done, under the launch evaluator\'s service', async () => {
    running('i-0aaa');
    ec2.on(ModifyInstanceAttributeCommand).resolves({});
    ec2.on(StopInstancesCommand).resolves(stopping('i-0aaa'));
    await handler(eventBridgeEvent(runInstances('p3.2xlarge', 1, ['i-0aaa'])));
    expect(named('Detections')).toEqual([{ value: 1, service: 'mining-guard-launch-evaluator', detection: 'ec2-instance-launch', severity: expect.any(String) }]);
    const containment = named('ContainmentActions');
    expect(containment.map((m) => m.outcome)).toEqual(['done']);
    expect(containment[0].value).toBeGreaterThanOrEqual(1);
    expect(capture.emitted().every((m) => m.namespace === 'MiningGuard')).toBe(true);
  });

  test('count a step AWS refused as failed', async () => {
    running('i-0aaa');
    ec2.on(ModifyInstanceAttributeCommand).resolves({});
    ec2.on(StopInstancesCommand).rejects(Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' }));
    await handler(eventBridgeEvent(runInstances('p3.2xlarge', 1, ['i-0aaa'])));
    expect(named('ContainmentActions')).toContainEqual(expect.objectContaining({ outcome: 'failed' }));
  });

  test('count no step for a record CloudTrail has not confirmed: the delivery that contains it counts them', async () => {
    const { outcomes } = await handler(logsDelivery([runInstances('p3.2xlarge', 1, ['i-0aaa'])]));
    expect(outcomes.map((o) => o.result)).toEqual(['unconfirmed']);
    expect(named('ContainmentActions')).toEqual([]);
  });

  test('count what a dry run planned as dry-run, with nothing done', async () => {
    const dryRun = await launchHandlerWith({ dryRun: true, responses: { 'ec2-instance-launch': 'STOP' } });
    await dryRun(eventBridgeEvent(runInstances('p3.2xlarge', 1, ['i-0aaa'])));
    const containment = named('ContainmentActions');
    expect(containment.map((m) => m.outcome)).toEqual(['dry-run']);
    expect(ec2.commandCalls(StopInstancesCommand)).toHaveLength(0);
  });

  test('count each unreadable record alerted as a detection', async () => {
    await handler(logsDelivery(['{"eventName": "RunInst', '{"eventName": "RunInst']));
    expect(named('Detections')).toEqual([expect.objectContaining({ value: 2, detection: 'unrecognised-event' })]);
  });

  test('still emit what was counted when a later publish fails the invocation', async () => {
    sns.on(PublishCommand).resolvesOnce({ MessageId: 'm' }).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(handler(logsDelivery([runInstances('p3.2xlarge', 1), '{"eventName": "RunInst'])))
      .rejects.toThrow(/Rate exceeded/);
    expect(named('Detections')).toEqual([expect.objectContaining({ value: 1, detection: 'ec2-instance-launch' })]);
  });
});

test('links the guard\'s dashboard in the launch alert and in its containment outcome', async () => {
  const url = 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/MiningGuard-Guard-eu-west-1';
  process.env.DASHBOARD_URL = url;
  try {
    running('i-0aaa');
    ec2.on(ModifyInstanceAttributeCommand).resolves({});
    ec2.on(StopInstancesCommand).resolves(stopping('i-0aaa'));
    await handler(eventBridgeEvent(runInstances('p3.2xlarge', 1, ['i-0aaa'])));
    expect(published().length).toBeGreaterThanOrEqual(2);
    for (const alert of published()) expect(alert.message).toContain(`MiningGuard dashboard: ${url}`);
  } finally {
    delete process.env.DASHBOARD_URL;
  }
});

describe('an organization\'s central evaluator: another account\'s launch is contained through that account\'s containment role', () => {
  const sts = mockClient(STSClient);
  const CENTRAL: Context = { invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:Guard-LaunchEvaluator', getRemainingTimeInMillis: () => 600_000 } as Context;
  /** A GPU launch in another account, as the central bus receives it from there. */
  const memberLaunch = (account: string, instanceId: string) => {
    const record = runInstances('p3.2xlarge', 1, [instanceId], { principalArn: `arn:aws:sts::${account}:assumed-role/ci/session` });
    return eventBridgeEvent({ ...record, recipientAccountId: account, userIdentity: { ...(record.userIdentity as object), accountId: account } });
  };
  const stopCalls = () => ec2.commandCalls(StopInstancesCommand);

  beforeEach(() => {
    sts.reset();
    process.env.CONTAINMENT_ROLE_NAME = CONTAINMENT_ROLE_NAME;
  });
  afterAll(() => {
    delete process.env.CONTAINMENT_ROLE_NAME;
  });

  test('the instance is stopped with the assumed role\'s credentials, in the event\'s region, and the alert names the account', async () => {
    // GIVEN
    running('i-0member');
    ec2.on(ModifyInstanceAttributeCommand).resolves({});
    ec2.on(StopInstancesCommand).resolves(stopping('i-0member'));
    sts.on(AssumeRoleCommand).resolves({
      Credentials: { AccessKeyId: 'ASIAMEMBEREXAMPLE', SecretAccessKey: 'member-secret', SessionToken: 'member-token', Expiration: new Date(Date.now() + 3600_000) },
      AssumedRoleUser: { AssumedRoleId: 'AROAEXAMPLE:mining-guard', Arn: 'arn:aws:sts::222233334444:assumed-role/mining-guard-containment/mining-guard' },
    });

    // WHEN
    const event = memberLaunch('222233334444', 'i-0member');
    await handler(event, CENTRAL);

    // THEN
    expect(sts.commandCalls(AssumeRoleCommand)[0].args[0].input).toMatchObject({ RoleArn: 'arn:aws:iam::222233334444:role/mining-guard-containment' });
    expect(sts.commandCalls(AssumeRoleCommand)[0].args[0].input.RoleSessionName).toMatch(/^mining-guard-[\w+=,.@-]+$/);
    const stop = stopCalls()[0];
    expect(stop.args[0].input.InstanceIds).toEqual(['i-0member']);
    const client = stop.thisValue as EC2Client;
    expect(await client.config.credentials()).toMatchObject({ accessKeyId: 'ASIAMEMBEREXAMPLE', sessionToken: 'member-token' });
    expect(await client.config.region()).toBe(event.region);
    expect(await (sts.commandCalls(AssumeRoleCommand)[0].thisValue as STSClient).config.region()).toBe(event.region);
    expect(everything()).toContain(`Account 222233334444, region ${String(event.region)}`);
    expect(everything()).toContain('(in account 222233334444: sign in to it first)');
  });

  test('a role that cannot be assumed stops nothing, and the alert says where and what to deploy', async () => {
    // GIVEN the member account has no containment role
    running('i-0norole');
    sts.on(AssumeRoleCommand).rejects(Object.assign(new Error('User: arn:aws:sts::111122223333:assumed-role/Guard/x is not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied' }));

    // WHEN
    const { outcomes } = await handler(memberLaunch('333344445555', 'i-0norole'), CENTRAL);

    // THEN
    expect(outcomes.map((o) => o.result)).toEqual(['alerted']);
    expect(stopCalls()).toHaveLength(0);
    expect(everything()).toContain('not done in account 333344445555: the role arn:aws:iam::333344445555:role/mining-guard-containment could not be assumed (AccessDenied');
    expect(everything()).toContain('deploy MiningGuard\'s member part');
  });

  test('an event of the evaluator\'s own account is contained with its own credentials, as without the role name', async () => {
    // GIVEN
    running('i-0own');
    ec2.on(ModifyInstanceAttributeCommand).resolves({});
    ec2.on(StopInstancesCommand).resolves(stopping('i-0own'));

    // WHEN
    await handler(memberLaunch('111122223333', 'i-0own'), CENTRAL);

    // THEN
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(await (stopCalls()[0].thisValue as EC2Client).config.credentials()).toMatchObject({ accessKeyId: 'testing' });
  });

  test('without the role name, another account\'s event is handled exactly as before: nothing is assumed', async () => {
    // GIVEN
    delete process.env.CONTAINMENT_ROLE_NAME;
    running('i-0single');
    ec2.on(ModifyInstanceAttributeCommand).resolves({});
    ec2.on(StopInstancesCommand).resolves(stopping('i-0single'));

    // WHEN
    await handler(memberLaunch('444455556666', 'i-0single'), CENTRAL);

    // THEN
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(await (stopCalls()[0].thisValue as EC2Client).config.credentials()).toMatchObject({ accessKeyId: 'testing' });
    expect(everything()).not.toContain('sign in to it first');
  });
});

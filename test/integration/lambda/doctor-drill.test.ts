/**
 * `doctor --drill` end to end against the emulator: the alert topic, the drill's queue and its subscription, the alarm
 * and the idempotency table are the emulator's, and the launch evaluator and the notifier are the real handlers
 * publishing to that topic. What the emulator lacks is done in-process, as AWS would: a Lambda `Event` invocation runs
 * the launch evaluator; a GuardDuty sample finding (which the emulator cannot create) and an alarm's state change
 * (which the emulator does not send to EventBridge) reach the notifier as EventBridge delivers them.
 */
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CreateSampleFindingsCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DoctorClients, doctorClients } from '../../../lambda/aws/doctor/doctor-clients';
import { DRILL_FINDING_TYPE, runDrill } from '../../../lambda/aws/doctor/drill';
import { guardResourcesOf, GuardResources } from '../../../lambda/core/doctor/guard-resources';
import { handler as notifier } from '../../../lambda/notifier.lambda';
import { vcpuAlarmEvent } from '../../fixtures/documented-alarms';
import { documentedFinding, guardDutyEvent } from '../../fixtures/documented-findings';
import { emulatedHandlerEnvironment } from '../../harness/handler-environment';
import { launchHandlerWith } from '../../harness/launch-handler';
import { createIdempotencyTable, MOTO_ACCOUNT, MOTO_REGION, motoClientConfig, uniqueName } from '../../harness/moto';

const PREFIX = 'MiningGuardBasic-MiningGuard-';
const ALARM = `${PREFIX}vcpu-usage-surge-GOnDemand-above-baseline`;
const cloudWatch = new CloudWatchClient(motoClientConfig());
const sns = new SNSClient(motoClientConfig());
const sqs = new SQSClient(motoClientConfig());

/** What AWS runs on its own after a call; each is awaited before the test ends. */
const background: Array<Promise<unknown>> = [];
function later(work: () => Promise<unknown>, afterMs = 0): void {
  background.push(new Promise((resolve) => setTimeout(resolve, afterMs)).then(work));
}

/** GuardDuty's sample of the drill's finding type, as GuardDuty marks a sample, in its EventBridge envelope. */
function sampleFindingEvent(): Record<string, unknown> {
  const finding = documentedFinding(DRILL_FINDING_TYPE, 8, MOTO_REGION);
  return guardDutyEvent({
    ...finding,
    accountId: MOTO_ACCOUNT,
    service: { ...(finding.service as Record<string, unknown>), additionalInfo: { sample: true } },
  });
}

/** The alarm's state change as EventBridge delivers it, with the state and reason the emulator's alarm now has. */
async function alarmStateChangeEvent(): Promise<Record<string, unknown>> {
  const alarm = (await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [ALARM] }))).MetricAlarms![0];
  const state = alarm.StateValue as 'OK' | 'ALARM';
  const event = vcpuAlarmEvent(PREFIX, 'G/OnDemand', { value: 96, threshold: 4, state, region: MOTO_REGION, account: MOTO_ACCOUNT });
  const detail = event.detail as { state: Record<string, unknown> };
  detail.state = { ...detail.state, reason: alarm.StateReason };
  return event;
}

/**
 * The doctor's clients on the emulator, with what it cannot do done as AWS would. `guardDutyDelivers: false` stands
 * for a sample that has not arrived yet (GuardDuty takes a minute or two).
 */
async function drillClients(launchEvaluator: (event: unknown) => Promise<unknown>, guardDutyDelivers = true): Promise<DoctorClients> {
  const emulated = doctorClients(MOTO_REGION, { ...motoClientConfig() });
  const realCloudWatch = emulated.cloudWatch;
  return {
    ...emulated,
    cloudWatch: {
      send: async (command: SetAlarmStateCommand) => {
        const answer = await realCloudWatch.send(command);
        if (command instanceof SetAlarmStateCommand) later(async () => notifier(await alarmStateChangeEvent()));
        return answer;
      },
    } as unknown as CloudWatchClient,
    guardDuty: {
      send: async (command: CreateSampleFindingsCommand) => {
        if (!(command instanceof CreateSampleFindingsCommand)) throw new Error(`not in this test: ${(command as object).constructor.name}`);
        if (guardDutyDelivers) later(() => notifier(sampleFindingEvent()), 200);
        return {};
      },
    } as unknown as GuardDutyClient,
    lambda: {
      send: async (command: InvokeCommand) => {
        if (!(command instanceof InvokeCommand) || command.input.InvocationType !== 'Event') throw new Error('the drill invokes asynchronously');
        later(() => launchEvaluator(JSON.parse(Buffer.from(command.input.Payload as Uint8Array).toString())));
        return { StatusCode: 202 };
      },
    } as unknown as LambdaClient,
  };
}

/** The drill's queues and subscriptions still in the emulator. */
async function leftBehind(topicArn: string): Promise<{ queues: string[]; subscriptions: string[] }> {
  const queues = (await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'mining-guard-drill-' }))).QueueUrls ?? [];
  const subscriptions = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions ?? [];
  return { queues, subscriptions: subscriptions.map((s) => s.Endpoint ?? '') };
}

let topicArn: string;
let resources: GuardResources;

beforeAll(async () => {
  topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueName('alerts') }))).TopicArn!;
  await cloudWatch.send(new PutMetricAlarmCommand({
    AlarmName: ALARM,
    Namespace: 'AWS/Usage',
    MetricName: 'ResourceCount',
    Statistic: 'Maximum',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 4,
    ComparisonOperator: 'GreaterThanThreshold',
    Dimensions: [{ Name: 'Class', Value: 'G/OnDemand' }, { Name: 'Resource', Value: 'vCPU' }, { Name: 'Service', Value: 'EC2' }, { Name: 'Type', Value: 'Resource' }],
  }));
  resources = guardResourcesOf([
    ['AWS::SNS::Topic', 'MiningGuardAlertsTopic', topicArn],
    ['AWS::GuardDuty::Detector', 'MiningGuardDetector', 'd0123456789abcdef0123456789abcdef'],
    ['AWS::CloudWatch::Alarm', 'MiningGuardVcpuAlarm', ALARM],
    ['AWS::Lambda::Function', 'MiningGuardLaunchWatchLaunchEvaluatorFunction1', 'MiningGuardBasic-LaunchEvaluator'],
  ].map(([ResourceType, LogicalResourceId, PhysicalResourceId]) => ({ ResourceType, LogicalResourceId, PhysicalResourceId })));
  emulatedHandlerEnvironment({ ALERT_TOPIC_ARN: topicArn, IDEMPOTENCY_TABLE: await createIdempotencyTable() });
});

afterEach(async () => {
  await Promise.allSettled(background.splice(0));
});

test('each path\'s labelled alert arrives on the drill\'s queue through the emulator\'s topic, and nothing is left', async () => {
  // GIVEN the launch evaluator under a policy that stops GPU launches
  const launchEvaluator = await launchHandlerWith({ responses: { 'ec2-instance-launch': 'STOP' }, dryRun: false });
  const log: string[] = [];

  // WHEN the drill runs
  const checks = await runDrill(await drillClients(launchEvaluator), resources, {
    timeoutMs: 60_000, account: MOTO_ACCOUNT, region: MOTO_REGION, log: (text) => log.push(text),
  });

  // THEN every path passes with its latency, and every cleanup step is done
  expect(checks.map((c) => [c.name, c.status])).toEqual([
    ['drill guardDuty', 'PASS'], ['drill alarm', 'PASS'], ['drill launch', 'PASS'],
    [`drill cleanup: alarm ${ALARM} back to OK`, 'PASS'], ['drill cleanup: unsubscribe the drill queue', 'PASS'], ['drill cleanup: delete the drill queue', 'PASS'],
  ]);
  for (const check of checks.slice(0, 3)) expect(check.detail).toMatch(/^alert "DRILL \(.+\)" arrived after \d+\.\d s$/);
  expect(log).toHaveLength(3);
  // AND the alarm is back to OK, the queue and its subscription are gone
  const alarm = (await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [ALARM] }))).MetricAlarms![0];
  expect(alarm.StateValue).toBe('OK');
  expect(alarm.StateReason).toMatch(/^MiningGuard drill: set back to OK/);
  expect(await leftBehind(topicArn)).toEqual({ queues: [], subscriptions: [] });
});

test('interrupted while waiting for a sample that has not come, it fails that path and leaves nothing behind', async () => {
  // GIVEN a second drill minutes after the first (its launch alert must not fold into the first's storm window),
  // GuardDuty's sample still on its way, and an interruption (Ctrl-C) once the other two alerts have arrived
  const launchEvaluator = await launchHandlerWith({ responses: { 'ec2-instance-launch': 'STOP' }, dryRun: false });
  const controller = new AbortController();
  const arrivals: string[] = [];
  const interruptAfterTwo = (text: string) => {
    arrivals.push(text);
    if (arrivals.length === 2) controller.abort();
  };

  // WHEN the drill runs
  const checks = await runDrill(await drillClients(launchEvaluator, false), resources, {
    signal: controller.signal, timeoutMs: 60_000, account: MOTO_ACCOUNT, region: MOTO_REGION, log: interruptAfterTwo,
  });

  // THEN the paths whose alerts came pass, the one still waiting fails as interrupted, and cleanup ran all the same
  expect(checks.find((c) => c.name === 'drill guardDuty')).toMatchObject({ status: 'FAIL', detail: 'interrupted before its alert arrived' });
  expect(checks.find((c) => c.name === 'drill launch')?.status).toBe('PASS');
  expect(checks.find((c) => c.name === 'drill alarm')?.status).toBe('PASS');
  expect(checks.filter((c) => c.name.startsWith('drill cleanup')).map((c) => c.status)).toEqual(['PASS', 'PASS', 'PASS']);
  expect((await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [ALARM] }))).MetricAlarms![0].StateValue).toBe('OK');
  expect(await leftBehind(topicArn)).toEqual({ queues: [], subscriptions: [] });
});

import { CloudWatchClient, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CreateSampleFindingsCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SNSClient, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand, DeleteMessageCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand,
  SetQueueAttributesCommand, SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { doctorClients } from '../../../../lambda/aws/doctor/doctor-clients';
import { DRILL_FINDING_TYPE, runDrill } from '../../../../lambda/aws/doctor/drill';
import { DRILL_LABELS, isDrillRecord } from '../../../../lambda/core/doctor/drill-labels';
import { guardResourcesOf } from '../../../../lambda/core/doctor/guard-resources';
import { awsError } from '../../../harness/mocked-aws';

const sns = mockClient(SNSClient);
const sqs = mockClient(SQSClient);
const guardDuty = mockClient(GuardDutyClient);
const cloudWatch = mockClient(CloudWatchClient);
const lambda = mockClient(LambdaClient);
const clients = doctorClients('us-east-1');
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:alerts';
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/111122223333/mining-guard-drill-x';
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:111122223333:mining-guard-drill-x';
const SUBSCRIPTION = `${TOPIC}:0b5a3c4e-1111-2222-3333-444455556666`;

const resources = guardResourcesOf([
  ['AWS::SNS::Topic', 'Topic', TOPIC], ['AWS::GuardDuty::Detector', 'Detector', 'd1'], ['AWS::CloudWatch::Alarm', 'Alarm', 'MiningGuard-vcpus'],
  ['AWS::Lambda::Function', 'MiningGuardLaunchWatchLaunchEvaluatorFunction1', 'evaluator'],
].map(([ResourceType, LogicalResourceId, PhysicalResourceId]) => ({ ResourceType, LogicalResourceId, PhysicalResourceId })));

/** An alert as SNS delivers it to an SQS subscriber. */
function delivered(label: string, n: number) {
  return { MessageId: `m${n}`, ReceiptHandle: `h${n}`, Body: JSON.stringify({ Type: 'Notification', Subject: `[MiningGuard][HIGH] ${label}: x`, Message: 'm' }) };
}

beforeEach(() => {
  for (const m of [sns, sqs, guardDuty, cloudWatch, lambda]) m.reset();
  sqs.on(CreateQueueCommand).resolves({ QueueUrl: QUEUE_URL });
  sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: QUEUE_ARN } });
  sns.on(SubscribeCommand).resolves({ SubscriptionArn: SUBSCRIPTION });
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
});

/** That everything the drill created was removed. */
function expectCleanedUp(): void {
  expect(cloudWatch).toHaveReceivedCommandWith(SetAlarmStateCommand, { AlarmName: 'MiningGuard-vcpus', StateValue: 'OK' });
  expect(sns).toHaveReceivedCommandWith(UnsubscribeCommand, { SubscriptionArn: SUBSCRIPTION });
  expect(sqs).toHaveReceivedCommandWith(DeleteQueueCommand, { QueueUrl: QUEUE_URL });
}

describe('runDrill', () => {
  test('sends each path its drill, times each labelled alert, and removes what it created', async () => {
    // GIVEN the three alerts arrive on the queue
    sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: [delivered(DRILL_LABELS.launch, 1), delivered(DRILL_LABELS.alarm, 2)] })
      .resolvesOnce({ Messages: [delivered('a real alert', 3), delivered(DRILL_LABELS.guardDuty, 4)] });
    // WHEN
    const checks = await runDrill(clients, resources, { timeoutMs: 60_000, account: '111122223333', region: 'us-east-1' });
    // THEN
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['drill guardDuty', 'PASS'], ['drill alarm', 'PASS'], ['drill launch', 'PASS'],
      ['drill cleanup: alarm MiningGuard-vcpus back to OK', 'PASS'], ['drill cleanup: unsubscribe the drill queue', 'PASS'], ['drill cleanup: delete the drill queue', 'PASS'],
    ]);
    expect(checks[0].detail).toMatch(/arrived after \d+\.\d s/);
    expect(guardDuty).toHaveReceivedCommandWith(CreateSampleFindingsCommand, { DetectorId: 'd1', FindingTypes: [DRILL_FINDING_TYPE] });
    expect(cloudWatch).toHaveReceivedCommandWith(SetAlarmStateCommand, { AlarmName: 'MiningGuard-vcpus', StateValue: 'ALARM', StateReason: expect.stringMatching(/^MiningGuard drill/) });
    const policy = JSON.parse(sqs.commandCalls(SetQueueAttributesCommand)[0].args[0].input.Attributes!.Policy!);
    expect(policy.Statement[0]).toMatchObject({ Principal: { Service: 'sns.amazonaws.com' }, Condition: { ArnEquals: { 'aws:SourceArn': TOPIC } } });
    const payload = JSON.parse(Buffer.from(lambda.commandCalls(InvokeCommand)[0].args[0].input.Payload as Uint8Array).toString());
    expect(payload.source).not.toMatch(/^aws\./);
    expect(isDrillRecord(payload.detail.eventID)).toBe(true);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(4);
    expectCleanedUp();
  });

  test('a path whose alert never comes fails, and a path that cannot start fails naming the permission', async () => {
    guardDuty.on(CreateSampleFindingsCommand).rejects(awsError('AccessDeniedException', 'not authorized', 403));
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [] });
    const checks = await runDrill(clients, resources, { timeoutMs: 0 });
    expect(checks.find((c) => c.name === 'drill guardDuty')).toMatchObject({ status: 'FAIL', detail: expect.stringContaining('guardduty:CreateSampleFindings') });
    expect(checks.find((c) => c.name === 'drill launch')).toMatchObject({ status: 'FAIL', detail: 'no alert arrived in time' });
    expectCleanedUp();
  });

  test('interrupted while waiting, it stops and leaves nothing behind', async () => {
    const controller = new AbortController();
    sqs.on(ReceiveMessageCommand).callsFake(async () => {
      controller.abort();
      return { Messages: [] };
    });
    const checks = await runDrill(clients, resources, { signal: controller.signal, timeoutMs: 60_000 });
    expect(checks.filter((c) => c.name.startsWith('drill ') && !c.name.startsWith('drill cleanup')).map((c) => c.detail))
      .toEqual(['interrupted before its alert arrived', 'interrupted before its alert arrived', 'interrupted before its alert arrived']);
    expectCleanedUp();
  });

  test('interrupted before it starts any path, it removes the queue and subscription it made', async () => {
    const controller = new AbortController();
    sns.on(SubscribeCommand).callsFake(async () => {
      controller.abort();
      return { SubscriptionArn: SUBSCRIPTION };
    });
    await runDrill(clients, resources, { signal: controller.signal });
    expect(guardDuty).not.toHaveReceivedCommand(CreateSampleFindingsCommand);
    expect(sns).toHaveReceivedCommandWith(UnsubscribeCommand, { SubscriptionArn: SUBSCRIPTION });
    expect(sqs).toHaveReceivedCommandWith(DeleteQueueCommand, { QueueUrl: QUEUE_URL });
  });

  test('a failure midway still removes what was made, and a cleanup step failing does not stop the others', async () => {
    sns.on(SubscribeCommand).rejects(awsError('AuthorizationError', 'not authorized', 403));
    sqs.on(DeleteQueueCommand).rejects(awsError('AccessDenied', 'no', 403));
    const checks = await runDrill(clients, resources, { timeoutMs: 0 });
    expect(checks.map((c) => [c.name, c.status])).toEqual([['drill', 'FAIL'], ['drill cleanup: delete the drill queue', 'FAIL']]);
    expect(checks[1].fix).toContain('sqs:DeleteQueue');
  });
});

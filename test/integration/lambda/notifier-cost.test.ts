import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { handler } from '../../../lambda/notifier.lambda';
import { documentedAnomaly, lambdaSnsEvent, snsEnvelope } from '../../fixtures/documented-anomalies';
import { readJsonLines } from '../../fixtures/real-events';
import { emulatedHandlerEnvironment } from '../../harness/handler-environment';
import { motoClientConfig, receiveAll, subscribeQueueToTopic, TopicInbox, uniqueName } from '../../harness/moto';

const [BUDGET_NOTIFICATION] = readJsonLines('cost/budgets_sns_notification.jsonl');
const [DOCS_ANOMALY] = readJsonLines('cost/cost_anomaly_sns_example_awsdocs.jsonl');

describe('the notifier, triggered by the spend topic, against the emulated alert topic', () => {
  let inbox: TopicInbox;

  beforeAll(async () => {
    const { TopicArn } = await new SNSClient(motoClientConfig()).send(new CreateTopicCommand({ Name: uniqueName('alerts') }));
    inbox = await subscribeQueueToTopic(TopicArn!);
    emulatedHandlerEnvironment({ ALERT_TOPIC_ARN: TopicArn! });
  });

  test('publishes one readable alert for the real Budgets notification and for each anomaly', async () => {
    // GIVEN the notifications as the spend topic's Lambda subscription delivers them
    const events = [
      lambdaSnsEvent(BUDGET_NOTIFICATION),
      lambdaSnsEvent(snsEnvelope(JSON.stringify(DOCS_ANOMALY))),
      lambdaSnsEvent(snsEnvelope(JSON.stringify(documentedAnomaly()))),
    ];
    // WHEN
    const results = [];
    for (const event of events) results.push(await handler(event));
    // THEN
    expect(results.map((r) => r.detection)).toEqual(['budget-threshold', 'cost-anomaly', 'cost-anomaly']);
    const alerts = await receiveAll(inbox.queueUrl, { expected: 3 });
    expect(alerts.map((a) => a.Subject).sort()).toEqual([
      '[MiningGuard][HIGH] ACTUAL cost $0.59 passed > $0.16 of budget Test Budget',
      '[MiningGuard][HIGH] Cost anomaly +$1,001.00 in AnomalousServiceName AnomalousRegionName',
      '[MiningGuard][HIGH] Cost anomaly +$4,212.50 (17.9x) in Elastic Compute Cloud - Compute sa-east-1',
    ]);
    for (const alert of alerts) {
      expect(alert.Message).toContain('WHAT TO DO NEXT');
      expect(alert.MessageAttributes!.severity.Value).toBe('HIGH');
    }
  });
});

import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { handler } from '../../../lambda/notifier.lambda';
import { CIS_DETECTIONS, classifyGuardDutyFinding } from '../../../lib/catalog';
import { cisAlarmEvent, deadLetterAlarmEvent, vcpuAlarmEvent } from '../../fixtures/documented-alarms';
import { CATALOG_FINDING_TYPES, documentedFinding, guardDutyEvent } from '../../fixtures/documented-findings';
import { readJsonLines } from '../../fixtures/real-events';
import { emulatedHandlerEnvironment } from '../../harness/handler-environment';
import { motoClientConfig, receiveAll, SnsEnvelope, subscribeQueueToTopic, TopicInbox, uniqueName } from '../../harness/moto';

const REAL_FINDINGS = readJsonLines('guardduty/aws_samples_guardduty_findings_raw.jsonl');

/** The notifier runs as it does in Lambda: its SDK client finds the endpoint and credentials in the environment. */
function useEmulator(topicArn: string): void {
  emulatedHandlerEnvironment({ ALERT_TOPIC_ARN: topicArn });
}

describe('the notifier, against the emulated topic', () => {
  let inbox: TopicInbox;

  beforeAll(async () => {
    const sns = new SNSClient(motoClientConfig());
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('alerts') }));
    inbox = await subscribeQueueToTopic(TopicArn!);
    useEmulator(TopicArn!);
  });

  function expectReadable(alert: SnsEnvelope, type: string, region: string): void {
    expect(alert.Subject?.length).toBeLessThan(100);
    expect(alert.Subject).toMatch(/^\[MiningGuard\]\[(LOW|MEDIUM|HIGH|CRITICAL)\] /);
    expect(alert.Subject).toContain(type.slice(type.indexOf(':') + 1));
    expect(alert.Subject).toMatch(new RegExp(` on \\S+ in ${region}$`));
    expect(alert.Message).toContain('WHAT TO DO NEXT');
  }

  test('publishes one readable alert for each real public finding', async () => {
    for (const finding of REAL_FINDINGS) await handler(guardDutyEvent(finding));

    const alerts = await receiveAll(inbox.queueUrl, { expected: REAL_FINDINGS.length });
    expect(alerts).toHaveLength(REAL_FINDINGS.length);
    for (const finding of REAL_FINDINGS) {
      const alert = alerts.find((a) => a.Subject?.includes(finding.type as string));
      expect(alert).toBeDefined();
      expectReadable(alert!, finding.type as string, 'us-east-1');
      expect(alert!.MessageAttributes?.detection.Value).toBe(classifyGuardDutyFinding(finding.type as string).id);
    }
  });

  test('publishes one alert, with the catalog\'s detection and severity, for a finding of every catalog type', async () => {
    for (const [type] of CATALOG_FINDING_TYPES) await handler(guardDutyEvent(documentedFinding(type)));

    const alerts = await receiveAll(inbox.queueUrl, { expected: CATALOG_FINDING_TYPES.length });
    expect(alerts).toHaveLength(CATALOG_FINDING_TYPES.length);
    for (const [type, detection] of CATALOG_FINDING_TYPES) {
      const alert = alerts.find((a) => a.Message.includes(`findingType: ${type}`));
      expect(alert).toBeDefined();
      expectReadable(alert!, type, 'sa-east-1');
      expect(alert!.MessageAttributes?.detection.Value).toBe(detection);
      expect(alert!.MessageAttributes?.severity.Value).toMatch(/^(HIGH|CRITICAL|MEDIUM)$/);
    }
  });

  test('turns a malformed event into exactly one unrecognised-event alert', async () => {
    await handler({ 'source': 'aws.guardduty', 'detail-type': 'GuardDuty Finding', 'detail': { type: 42 } });

    const alerts = await receiveAll(inbox.queueUrl, { expected: 1 });
    expect(alerts).toHaveLength(1);
    expect(alerts[0].Subject).toBe('[MiningGuard][MEDIUM] Unrecognised event from aws.guardduty / GuardDuty Finding');
    expect(alerts[0].MessageAttributes?.detection.Value).toBe('unrecognised-event');
    expect(alerts[0].Message).toContain('"detail":{"type":42}');
    // And nothing more arrives for it.
    expect(await receiveAll(inbox.queueUrl, { expected: 0, timeoutMs: 1500 })).toHaveLength(0);
  });

  test('turns a vCPU, a dead-letter and a CIS alarm state change each into one readable alert with both attributes', async () => {
    // GIVEN three of the guard's alarms going into ALARM, in the documented event shape
    const prefix = 'MiningGuardBasic-MiningGuard-Alerts-Notifier-1A2B3C4D-';
    const rootUsage = CIS_DETECTIONS.find((d) => d.id === 'cis-root-usage')!;
    const events: Array<[Record<string, unknown>, string, string]> = [
      [vcpuAlarmEvent(prefix, 'G/OnDemand', { value: 96, threshold: 4 }), 'vcpu-usage-surge', '[MiningGuard][HIGH] 96 G/OnDemand vCPUs running (threshold 4) in sa-east-1'],
      [deadLetterAlarmEvent(prefix, 'notifier', 'MiningGuardBasic-DLQ'), 'guard-dead-letters', '[MiningGuard][HIGH] 3 events in dead-letter queue MiningGuardBasic-DLQ (threshold 1) in sa-east-1'],
      [cisAlarmEvent(prefix, rootUsage.id, rootUsage.signal.control, rootUsage.signal.metricName), 'cis-root-usage',
        '[MiningGuard][HIGH] 2 events of CIS 4.3: Usage of the root user (threshold 1) in sa-east-1'],
    ];
    // WHEN
    for (const [event] of events) await handler(event);
    // THEN
    const alerts = await receiveAll(inbox.queueUrl, { expected: events.length });
    expect(alerts).toHaveLength(events.length);
    for (const [, detection, subject] of events) {
      const alert = alerts.find((a) => a.MessageAttributes?.detection.Value === detection);
      expect(alert?.Subject).toBe(subject);
      expect(alert?.MessageAttributes?.severity.Value).toBe('HIGH');
      expect(alert?.Message).toContain('WHAT TO DO NEXT');
      expect(alert?.Message).toContain(`Detection: ${detection}`);
      expect(alert?.Message).not.toContain('"AlarmName"');
    }
  });
});

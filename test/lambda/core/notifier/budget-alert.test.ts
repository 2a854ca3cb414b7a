import * as fc from 'fast-check';
import { renderText, toAlertMessage } from '../../../../lambda/core/alerts/render-alert';
import { alertForEvent } from '../../../../lambda/core/notifier/alert-for-event';
import { documentedAnomaly, lambdaSnsEvent, rootCause, snsEnvelope } from '../../../fixtures/documented-anomalies';
import { readJsonLines } from '../../../fixtures/real-events';

/** The notifier's reading of an event it always alerts on (cost notifications are never judged harmless). */
function readAlert(event: unknown) {
  const read = alertForEvent(event);
  return { ...read, alert: read.alert! };
}

const [BUDGET_NOTIFICATION] = readJsonLines('cost/budgets_sns_notification.jsonl');
const [DOCS_ANOMALY] = readJsonLines('cost/cost_anomaly_sns_example_awsdocs.jsonl');

describe('the real AWS Budgets notification', () => {
  test.each([
    ['as an SNS envelope', BUDGET_NOTIFICATION],
    ['as a Lambda SNS trigger receives it', lambdaSnsEvent(BUDGET_NOTIFICATION)],
  ])('%s becomes a budget-threshold alert with the figures', (_name, event) => {
    // WHEN
    const { alert, recognised } = readAlert(event);
    const message = toAlertMessage(alert);
    // THEN
    expect(recognised).toBe(true);
    expect(alert.detectionId).toBe('budget-threshold');
    // Spend already incurred is more urgent than a forecast.
    expect(alert.severity).toBe('HIGH');
    expect(message.subject).toBe('[MiningGuard][HIGH] ACTUAL cost $0.59 passed > $0.16 of budget Test Budget');
    expect(message.subject.length).toBeLessThan(100);
    const text = renderText(alert);
    expect(text).toContain('ACTUAL amount: $0.59, threshold: > $0.16, budgeted: $0.20');
    expect(text).toContain('Account 017790921725, all regions');
    expect(text).toContain('https://us-east-1.console.aws.amazon.com/costmanagement/home#/budgets');
    expect(alert.refs).toMatchObject({ budget: 'Test Budget', alertType: 'ACTUAL', messageId: '0da238f6-da6c-5214-96e1-635d27a9b79b' });
  });

  test('a forecast notification keeps the catalog\'s severity', () => {
    // GIVEN the real notification as Budgets words a forecast (only the alert type changes)
    const message = (BUDGET_NOTIFICATION.Message as string).replace(/ACTUAL/g, 'FORECASTED');
    // WHEN
    const { alert } = readAlert(snsEnvelope(message, 'AWS Budgets: Test Budget has exceeded your alert threshold'));
    // THEN
    expect(alert.severity).toBe('MEDIUM');
    expect(alert.headline).toBe('FORECASTED cost $0.59 passed > $0.16 of budget Test Budget');
  });

  test('a Budgets notification without a budget name is shown as unrecognised, with the reason', () => {
    const { alert, recognised, reason } = readAlert(snsEnvelope('AWS Budget Notification November 25, 2026\nsomething else', 'AWS Budgets: ?'));
    expect(recognised).toBe(false);
    expect(alert.detectionId).toBe('unrecognised-event');
    expect(reason).toMatch(/Budget Name/);
  });
});

describe('Cost Anomaly Detection messages', () => {
  test.each([
    ['bare, as the documentation shows it', DOCS_ANOMALY],
    ['in an SNS envelope', snsEnvelope(JSON.stringify(DOCS_ANOMALY))],
    ['as a Lambda SNS trigger receives it', lambdaSnsEvent(snsEnvelope(JSON.stringify(DOCS_ANOMALY)))],
  ])('the documentation\'s example, %s, names the service, the impact, the root cause and the console link', (_name, event) => {
    // WHEN
    const { alert, recognised } = readAlert(event);
    const message = toAlertMessage(alert);
    // THEN
    expect(recognised).toBe(true);
    expect(alert.detectionId).toBe('cost-anomaly');
    expect(message.subject).toBe('[MiningGuard][HIGH] Cost anomaly +$1,001.00 in AnomalousServiceName AnomalousRegionName');
    const text = renderText(alert);
    expect(text).toContain('Total impact $1,001.00; largest daily impact $151.00.');
    expect(text).toContain('Root cause: AnomalousServiceName, in AnomalousRegionName, account AnomalousLinkedAccount, usage type AnomalousUsageType');
    expect(text).toContain('Cost anomaly: https://console.aws.amazon.com/cost-management/home#/anomaly-detection/monitors/abcdefgh-1234-4ea0-84cc-918a97d736ef/anomalies/newAnomaly');
    expect(alert.refs.anomalyId).toBe('newAnomalyId');
  });

  test('the current shape adds the percentage, the expected spend, account names and each cause\'s contribution', () => {
    // WHEN
    const { alert } = readAlert(lambdaSnsEvent(snsEnvelope(JSON.stringify(documentedAnomaly()))));
    const message = toAlertMessage(alert);
    // THEN
    expect(message.subject).toBe('[MiningGuard][HIGH] Cost anomaly +$4,212.50 (17.9x) in Elastic Compute Cloud - Compute sa-east-1');
    expect(message.subject.length).toBeLessThan(100);
    const text = renderText(alert);
    expect(text).toContain('Total impact $4,212.50 (+1685.0% over expected): $4,462.50 spent where $250.00 was expected; largest daily impact $2,527.50.');
    expect(text).toContain('Root cause: Amazon Elastic Compute Cloud - Compute, in sa-east-1, account 123456789012 (production), usage type SAE1-BoxUsage:g4dn.12xlarge, contributing $3,890.10');
    expect(text).toContain('Account 123456789012, region sa-east-1');
  });

  test('many root causes are listed up to ten, then counted', () => {
    const causes = Array.from({ length: 14 }, (_, i) => rootCause(`Service ${i}`, `region-${i}`, `Usage${i}`, 10));
    const { alert } = readAlert(documentedAnomaly({ rootCauses: causes }));
    expect(alert.who).toHaveLength(11);
    expect(alert.who[10]).toBe('... and 4 more root causes: see the anomaly.');
    expect(toAlertMessage(alert).subject.length).toBeLessThan(100);
  });

  test('an anomaly without its total impact is shown as unrecognised', () => {
    const { recognised, reason } = readAlert({ ...documentedAnomaly(), impact: { maxImpact: 3 } });
    expect(recognised).toBe(false);
    expect(reason).toMatch(/totalImpact/);
  });

  test('any impact, percentage and service name gives a subject under 100 characters', () => {
    fc.assert(fc.property(
      fc.double({ min: 0, max: 1e9, noNaN: true }),
      fc.double({ min: 0, max: 1e6, noNaN: true }),
      fc.string({ maxLength: 300 }),
      fc.string({ maxLength: 80 }),
      (totalImpact, totalImpactPercentage, service, region) => {
        const event = lambdaSnsEvent(snsEnvelope(JSON.stringify(documentedAnomaly({
          totalImpact, totalImpactPercentage, rootCauses: [rootCause(service, region, 'Usage', 1)],
        }))));
        const { alert } = readAlert(event);
        expect(toAlertMessage(alert).subject.length).toBeLessThan(100);
      },
    ));
  });
});

describe('other SNS notifications', () => {
  test('are not mistaken for cost notifications', () => {
    const { alert, recognised } = readAlert(lambdaSnsEvent(snsEnvelope('{"AlarmName":"x"}', 'ALARM: x')));
    expect(recognised).toBe(false);
    expect(alert.detectionId).toBe('unrecognised-event');
  });
});

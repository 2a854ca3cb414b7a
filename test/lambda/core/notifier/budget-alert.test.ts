import { renderText, toAlertMessage } from '../../../../lambda/core/alerts/render-alert';
import { alertForEvent } from '../../../../lambda/core/notifier/alert-for-event';
import { lambdaSnsEvent, snsEnvelope } from '../../../fixtures/documented-anomalies';
import { readJsonLines } from '../../../fixtures/real-events';

/** The notifier's reading of an event it always alerts on (cost notifications are never judged harmless). */
function readAlert(event: unknown) {
  const read = alertForEvent(event);
  return { ...read, alert: read.alert! };
}

const [BUDGET_NOTIFICATION] = readJsonLines('cost/budgets_sns_notification.jsonl');

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

describe('other SNS notifications', () => {
  test('are not mistaken for cost notifications', () => {
    const { alert, recognised } = readAlert(lambdaSnsEvent(snsEnvelope('{"AlarmName":"x"}', 'ALARM: x')));
    expect(recognised).toBe(false);
    expect(alert.detectionId).toBe('unrecognised-event');
  });
});

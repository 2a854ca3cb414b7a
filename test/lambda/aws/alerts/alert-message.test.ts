import { alertMessage } from '../../../../lambda/aws/alerts/alert-message';
import { unrecognisedAlert } from '../../../../lambda/core/alerts/unrecognised-alert';
import { HANDLER_ENVIRONMENT } from '../../../../lib/catalog';

const URL = 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/MiningGuard-Guard-eu-west-1';
const VARIABLE = HANDLER_ENVIRONMENT.notifier.dashboardUrl;
const alert = unrecognisedAlert({ source: 'x' }, 'no reader');
const text = (message: { message: string }) => (JSON.parse(message.message) as { default: string }).default;

describe('alertMessage', () => {
  afterEach(() => {
    delete process.env[VARIABLE];
  });

  test('links the dashboard the construct put in the handler\'s environment', () => {
    process.env[VARIABLE] = URL;
    expect(text(alertMessage(alert))).toContain(`MiningGuard dashboard: ${URL}`);
  });

  test('renders the alert without the link when the guard has no dashboard', () => {
    expect(text(alertMessage(alert))).not.toContain('MiningGuard dashboard');
  });

  test('every handler reads the URL from the same variable', () => {
    expect(HANDLER_ENVIRONMENT.launchEvaluator.dashboardUrl).toBe(VARIABLE);
    expect(HANDLER_ENVIRONMENT.spendEvaluator.dashboardUrl).toBe(VARIABLE);
  });
});

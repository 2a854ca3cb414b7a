import type { Alert } from '../../../../lambda/core/alerts/alert';
import { DASHBOARD_LINK_LABEL, withDashboardLink } from '../../../../lambda/core/alerts/dashboard-link';
import { renderChatbot, renderText } from '../../../../lambda/core/alerts/render-alert';
import { unrecognisedAlert } from '../../../../lambda/core/alerts/unrecognised-alert';

const URL = 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/MiningGuard-Guard-eu-west-1';
const ALERT: Alert = { ...unrecognisedAlert({ source: 'x' }, 'no reader'), links: [{ label: 'CloudTrail event', url: 'https://console.aws.amazon.com/cloudtrail/home' }] };

describe('withDashboardLink', () => {
  test('links the dashboard after the alert\'s own links, in the text and in chat', () => {
    const linked = withDashboardLink(ALERT, URL);
    expect(linked.links).toEqual([...ALERT.links, { label: DASHBOARD_LINK_LABEL, url: URL }]);
    expect(renderText(linked)).toContain(`MiningGuard dashboard: ${URL}`);
    expect(JSON.stringify(renderChatbot(linked))).toContain(`<${URL}|MiningGuard dashboard>`);
  });

  test('takes the console URL of every partition, for the construct builds one per partition', () => {
    for (const host of ['cn-north-1.console.amazonaws.cn', 'us-gov-west-1.console.amazonaws-us-gov.com']) {
      expect(withDashboardLink(ALERT, `https://${host}/cloudwatch/home?region=x#dashboards/dashboard/D`).links).toHaveLength(2);
    }
  });

  test('links nothing for a value that is not a CloudWatch console URL, of whatever type', () => {
    for (const value of [undefined, '', 42, { url: URL }, 'http://eu-west-1.console.aws.amazon.com/cloudwatch/home?x', 'https://evil.example/cloudwatch/home?x',
      'https://console.aws.amazon.com.evil.example/cloudwatch/home?x', `${URL} and more`, `${URL}\nline`, `${URL}${'x'.repeat(1000)}`]) {
      expect(withDashboardLink(ALERT, value)).toBe(ALERT);
    }
  });

  test('links it once, whatever number of times it is asked', () => {
    expect(withDashboardLink(withDashboardLink(ALERT, URL), URL).links).toHaveLength(2);
  });
});

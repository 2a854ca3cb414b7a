/** The link to the guard's CloudWatch dashboard that every alert carries, last of its links. */
import type { Alert } from './alert';

/** The label of the dashboard's link. */
export const DASHBOARD_LINK_LABEL = 'MiningGuard dashboard';

/** The console hosts a dashboard URL may name, one per partition. */
const CONSOLE_URL = /^https:\/\/([a-z0-9-]+\.)?console\.(aws\.amazon\.com|amazonaws\.cn|amazonaws-us-gov\.com)\/cloudwatch\/home\?[\x21-\x7e]*$/;

/** The longest URL linked: the construct's are about 150 characters. */
const MAX_URL_LENGTH = 1_000;

/**
 * The alert with the dashboard linked after its own links. A URL that is not a CloudWatch console URL, as the
 * construct builds it, links nothing: the alert goes out without it rather than with a link nobody can trust.
 */
export function withDashboardLink(alert: Alert, dashboardUrl: unknown): Alert {
  if (typeof dashboardUrl !== 'string' || dashboardUrl.length > MAX_URL_LENGTH || !CONSOLE_URL.test(dashboardUrl)) return alert;
  if (alert.links.some((l) => l.url === dashboardUrl)) return alert;
  return { ...alert, links: [...alert.links, { label: DASHBOARD_LINK_LABEL, url: dashboardUrl }] };
}

/**
 * An alert rendered for publishing, with the guard's dashboard linked: its URL is the one the construct put in the
 * handler's environment, read at each alert so that every alert of every handler carries it.
 */
import { HANDLER_ENVIRONMENT } from '../../../lib/catalog';
import type { Alert } from '../../core/alerts/alert';
import { withDashboardLink } from '../../core/alerts/dashboard-link';
import { AlertMessage, toAlertMessage } from '../../core/alerts/render-alert';

export function alertMessage(alert: Alert): AlertMessage {
  return toAlertMessage(withDashboardLink(alert, process.env[HANDLER_ENVIRONMENT.notifier.dashboardUrl]));
}

/** Judges the Cost Anomaly Detection monitor and its subscription, which must be IMMEDIATE to alert while a miner runs. */
import { Check, fail, pass } from './check';

/** A monitor as Cost Explorer GetAnomalyMonitors returns it. */
export interface AnomalyMonitor {
  readonly MonitorArn?: string;
  readonly MonitorName?: string;
}

/** A subscription as Cost Explorer GetAnomalySubscriptions returns it. */
export interface AnomalySubscription {
  readonly SubscriptionArn?: string;
  readonly SubscriptionName?: string;
  readonly MonitorArnList?: readonly string[];
  readonly Frequency?: string;
  readonly Subscribers?: ReadonlyArray<{ readonly Type?: string; readonly Address?: string; readonly Status?: string }>;
}

/** The monitor's checks: it exists, and an IMMEDIATE subscription with a subscriber watches it. */
export function judgeAnomalyMonitor(monitorArn: string, monitors: readonly AnomalyMonitor[], subscriptions: readonly AnomalySubscription[]): Check[] {
  const name = `anomaly monitor ${monitorArn}`;
  if (!monitors.some((m) => m.MonitorArn === monitorArn)) {
    return [fail(name, 'Cost Anomaly Detection does not know it', 'deploy the guard again to restore the monitor')];
  }
  const checks: Check[] = [pass(name, 'present')];
  const watching = subscriptions.filter((s) => Array.isArray(s.MonitorArnList) && s.MonitorArnList.includes(monitorArn));
  const immediate = watching.filter((s) => s.Frequency === 'IMMEDIATE');
  if (immediate.length === 0) {
    checks.push(fail(`${name} IMMEDIATE subscription`, watching.length === 0
      ? 'no subscription watches it: anomalies alert nobody'
      : `subscribed ${watching.map((s) => String(s.Frequency)).join(', ')} only: an anomaly alerts a day or a week late`,
    'deploy the guard again to restore its IMMEDIATE subscription to the alert topic'));
    return checks;
  }
  const subscribers = immediate.flatMap((s) => s.Subscribers ?? []);
  checks.push(subscribers.length > 0
    ? pass(`${name} IMMEDIATE subscription`, subscribers.map((s) => `${String(s.Type)} ${String(s.Address)}`).join(', '))
    : fail(`${name} IMMEDIATE subscription`, 'IMMEDIATE, without a subscriber', 'deploy the guard again to subscribe the alert topic'));
  return checks;
}

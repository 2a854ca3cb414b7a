/** Turns a Cost Anomaly Detection notification (JSON on SNS, or the bare anomaly) into an alert. */
import { EventReader, MalformedEventError } from './event-reader';
import { detection as catalogDetection } from '../../../lib/catalog';
import type { Alert, AlertLink } from '../alerts/alert';
import { textLines } from '../alerts/alert-text';
import { times, usd } from '../alerts/money';
import { fieldAt, isObject, numberAt, stringAt } from '../events/event-fields';
import { jsonMessageOf, snsNotificationOf } from '../events/sns-notification';

/** How many root causes the alert lists; the console link shows them all. */
const MAX_ROOT_CAUSES = 10;

/** The longest service name the subject quotes: the body names it in full. */
const MAX_SUBJECT_SERVICE = 40;

/** A service name short enough for the subject: without the `Amazon `/`AWS ` prefix, cut when still too long. */
function shortService(name: string): string {
  const short = name.replace(/^(Amazon|AWS)\s+/, '');
  return short.length > MAX_SUBJECT_SERVICE ? `${short.slice(0, MAX_SUBJECT_SERVICE - 3)}...` : short;
}

/** The anomaly itself: the SNS message parsed, or the event when it is a bare anomaly. */
function anomalyOf(event: unknown): unknown {
  const notification = snsNotificationOf(event);
  return notification ? jsonMessageOf(notification) : event;
}

/** Whether the event is, or wraps, a Cost Anomaly Detection anomaly. */
export function isCostAnomaly(event: unknown): boolean {
  const anomaly = anomalyOf(event);
  return isObject(anomaly) && stringAt(anomaly, 'anomalyId') !== undefined
    && (stringAt(anomaly, 'monitorArn') !== undefined || isObject(fieldAt(anomaly, 'impact')));
}

/** One root cause as a line: service, region, account, usage type, and its share of the impact when given. */
function describeRootCause(cause: unknown): string {
  const account = stringAt(cause, 'linkedAccount');
  const accountName = stringAt(cause, 'linkedAccountName');
  const contribution = numberAt(cause, 'impact.contribution');
  return [
    stringAt(cause, 'service') ?? 'unknown service',
    stringAt(cause, 'region') && `in ${stringAt(cause, 'region')}`,
    account && `account ${account}${accountName ? ` (${accountName})` : ''}`,
    stringAt(cause, 'usageType') && `usage type ${stringAt(cause, 'usageType')}`,
    contribution !== undefined && `contributing ${usd(contribution)}`,
  ].filter(Boolean).join(', ');
}

/** The alert for an anomaly. Throws `MalformedEventError` when it lacks its total impact. */
export function anomalyAlert(event: unknown): Alert {
  const anomaly = anomalyOf(event);
  const anomalyId = stringAt(anomaly, 'anomalyId')!;
  const totalImpact = numberAt(anomaly, 'impact.totalImpact');
  if (totalImpact === undefined) throw new MalformedEventError(`Cost anomaly ${anomalyId} without a numeric \`impact.totalImpact\``);

  const detection = catalogDetection('cost-anomaly');
  const percentage = numberAt(anomaly, 'impact.totalImpactPercentage');
  const actual = numberAt(anomaly, 'impact.totalActualSpend');
  const expected = numberAt(anomaly, 'impact.totalExpectedSpend');
  const maxImpact = numberAt(anomaly, 'impact.maxImpact');
  const rootCauses = fieldAt(anomaly, 'rootCauses');
  const causes = Array.isArray(rootCauses) ? rootCauses : [];
  const services = [...new Set(causes.map((c) => stringAt(c, 'service')).filter((s): s is string => s !== undefined))];
  const regions = [...new Set(causes.map((c) => stringAt(c, 'region')).filter((r): r is string => r !== undefined))];
  const subject = services[0] ?? stringAt(anomaly, 'dimensionalValue') ?? 'unknown service';
  const start = stringAt(anomaly, 'anomalyStartDate');
  const end = stringAt(anomaly, 'anomalyEndDate');
  const account = stringAt(anomaly, 'accountId');
  const detailsLink = stringAt(anomaly, 'anomalyDetailsLink');

  const impact = [
    `Total impact ${usd(totalImpact)}`,
    percentage !== undefined && `(+${percentage.toFixed(1)}% over expected)`,
    actual !== undefined && expected !== undefined && `: ${usd(actual)} spent where ${usd(expected)} was expected`,
    maxImpact !== undefined && `; largest daily impact ${usd(maxImpact)}`,
  ].filter(Boolean).join(' ').replace(' :', ':').replace(' ;', ';');

  const links: AlertLink[] = detailsLink ? [{ label: 'Cost anomaly', url: detailsLink }] : [];
  const refs: Record<string, string> = { anomalyId };
  const monitorArn = stringAt(anomaly, 'monitorArn');
  if (monitorArn) refs.monitorArn = monitorArn;

  return {
    severity: detection.severity,
    detectionId: detection.id,
    title: detection.title,
    headline: `Cost anomaly +${usd(totalImpact)}${percentage !== undefined ? ` (${times(1 + percentage / 100)})` : ''} in ${shortService(subject)}${regions.length === 1 ? ` ${regions[0]}` : ''}`,
    what: textLines([
      `AWS Cost Anomaly Detection found unusual spend${start ? ` from ${start}${end && end !== start ? ` to ${end}` : ''}` : ''}.`,
      `${impact}.`,
      services.length > 0 ? `Services: ${services.join(', ')}.` : undefined,
      stringAt(anomaly, 'anomalyScore.currentScore') ? `Anomaly score ${stringAt(anomaly, 'anomalyScore.currentScore')} (max ${stringAt(anomaly, 'anomalyScore.maxScore') ?? '?'}).` : undefined,
    ]),
    who: causes.length > 0
      ? causes.slice(0, MAX_ROOT_CAUSES).map((c) => `Root cause: ${describeRootCause(c)}`)
        .concat(causes.length > MAX_ROOT_CAUSES ? [`... and ${causes.length - MAX_ROOT_CAUSES} more root causes: see the anomaly.`] : [])
      : ['Cost Anomaly Detection named no root cause: see the anomaly.'],
    where: [account ? `Account ${account}` : 'The monitored account', regions.length > 0 ? `region ${regions.join(', ')}` : 'all regions'].join(', '),
    why: detection.rationale,
    done: ['Notified this channel.'],
    next: detection.nextSteps,
    links,
    refs,
  };
}

/** Cost Anomaly Detection notifications: SNS-wrapped JSON, or the bare anomaly. */
export const COST_ANOMALY_READER: EventReader = { matches: isCostAnomaly, read: anomalyAlert };

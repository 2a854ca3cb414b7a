/**
 * Turns a `CloudWatch Alarm State Change` event of one of the guard's alarms (vCPU usage, dead letters, a failing
 * function, the CIS metric filters) into an alert: which alarm, where, the value against its threshold or band, what it
 * most likely means and what to do. The return to OK is one short alert; other transitions are not alerted.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
 */
import { EventReader, MalformedEventError } from './event-reader';
import { classifyAlarmMetric, Detection, DetectionId } from '../../../lib/catalog';
import type { Alert } from '../alerts/alert';
import { textLines } from '../alerts/alert-text';
import { cloudWatchAlarmUrl } from '../alerts/console-links';
import { drillHeadline, drillLine, isDrillAlarmReason } from '../doctor/drill-labels';
import { fieldAt, isObject, stringAt } from '../events/event-fields';

/** The longest description the alert quotes: CloudWatch allows 1,024 characters. */
const MAX_DESCRIPTION = 500;

/** What the alarm measured, from its `reasonData`: the latest value and the threshold or band it crossed. */
interface Measurement {
  readonly value?: number;
  readonly threshold?: number;
  readonly upper?: number;
}

/** The metric the alarm watches: the first of its metrics with a `metricStat` (a band alarm also has an expression). */
interface WatchedMetric {
  readonly namespace?: string;
  readonly name?: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

export function isAlarmStateChange(event: unknown): boolean {
  return stringAt(event, 'source') === 'aws.cloudwatch' && stringAt(event, 'detail-type') === 'CloudWatch Alarm State Change';
}

function watchedMetric(detail: unknown): WatchedMetric {
  const metrics = fieldAt(detail, 'configuration.metrics');
  const stat = (Array.isArray(metrics) ? metrics : []).map((m) => fieldAt(m, 'metricStat.metric')).find(isObject);
  const dimensions = fieldAt(stat, 'dimensions');
  return {
    namespace: stringAt(stat, 'namespace'),
    name: stringAt(stat, 'name'),
    dimensions: isObject(dimensions)
      ? Object.fromEntries(Object.entries(dimensions).filter((e): e is [string, string] => typeof e[1] === 'string'))
      : {},
  };
}

function lastNumber(value: unknown): number | undefined {
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof last === 'number' && Number.isFinite(last) ? last : undefined;
}

function measurement(state: unknown): Measurement {
  const text = stringAt(state, 'reasonData');
  if (!text) return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return {};
  }
  return {
    value: lastNumber(fieldAt(data, 'recentDatapoints')),
    threshold: lastNumber(fieldAt(data, 'threshold')),
    upper: lastNumber(fieldAt(data, 'recentUpperThresholds')),
  };
}

/** A figure as people read it: whole numbers whole, others with up to two decimals. */
function figure(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** What the metric counts, in words that follow its value: `G/OnDemand vCPUs running`, `events in dead-letter queue X`. */
function measuredThing(detection: Detection<DetectionId>, metric: WatchedMetric): string {
  switch (detection.signal.kind) {
    case 'alarm':
      if (metric.dimensions.Class) return `${metric.dimensions.Class} vCPUs running`;
      if (metric.dimensions.QueueName) return `events in dead-letter queue ${metric.dimensions.QueueName}`;
      if (metric.dimensions.FunctionName) return `failed runs of ${metric.dimensions.FunctionName}`;
      return metric.name ?? 'on the alarm\'s metric';
    case 'metric-filter':
      return `events of CIS ${detection.signal.control}: ${detection.title}`;
    default:
      return metric.name ? `${metric.namespace ?? ''} ${metric.name}`.trim() : 'on the alarm\'s metric';
  }
}

/** The value and what it crossed, value first so it leads the subject: `96 G/OnDemand vCPUs running (threshold 4)`. */
function measuredLine(m: Measurement, thing: string): string {
  const limit = m.threshold !== undefined ? ` (threshold ${figure(m.threshold)})` : m.upper !== undefined ? ` (top of usual band ${figure(m.upper)})` : '';
  return m.value === undefined ? thing : `${figure(m.value)} ${thing}${limit}`;
}

/** The alert for an alarm state change, or undefined for a transition nobody needs to hear about (a new alarm's first OK). */
export function alarmAlert(event: unknown): Alert | undefined {
  const detail = fieldAt(event, 'detail');
  const alarmName = stringAt(detail, 'alarmName');
  const state = stringAt(detail, 'state.value');
  if (!alarmName || !state) throw new MalformedEventError('alarm state change without alarmName or state.value');
  const previous = stringAt(detail, 'previousState.value');
  const backToOk = state === 'OK' && previous === 'ALARM';
  if (state !== 'ALARM' && !backToOk) return undefined;

  const metric = watchedMetric(detail);
  const detection = classifyAlarmMetric(metric.namespace, metric.name);
  const region = stringAt(event, 'region') ?? 'unknown-region';
  const account = stringAt(event, 'account') ?? 'unknown account';
  const partition = /^arn:([^:]+):/.exec(stringAt(event, 'resources.0') ?? '')?.[1] ?? 'aws';
  const measured = measurement(fieldAt(detail, 'state'));
  const measuredText = measuredLine(measured, measuredThing(detection, metric));
  const reason = stringAt(detail, 'state.reason');
  const description = stringAt(detail, 'configuration.description');
  const time = stringAt(detail, 'state.timestamp') ?? stringAt(event, 'time');
  const refs: Record<string, string> = { alarmName };
  const eventId = stringAt(event, 'id');
  if (eventId) refs.eventId = eventId;
  const links = [{ label: 'CloudWatch alarm', url: cloudWatchAlarmUrl(partition, region, alarmName) }];
  const where = `Account ${account}, region ${region}`;

  if (backToOk) {
    return {
      severity: 'LOW',
      detectionId: detection.id,
      title: detection.title,
      headline: drillHeadline(`Back to OK: ${measuredText} in ${region}`, isDrillAlarmReason(reason)),
      what: textLines([
        drillLine('alarm', isDrillAlarmReason(reason)),
        `CloudWatch alarm ${alarmName} (${detection.title}) returned from ALARM to OK${time ? ` at ${time}` : ''}.${reason ? ` CloudWatch says: ${reason}` : ''}`,
      ]),
      who: ['CloudWatch measured it.'],
      where,
      why: 'The condition of the earlier alert for this alarm no longer holds.',
      done: ['Notified this channel.'],
      next: ['Finish the investigation the earlier alert started: the metric going down does not undo what caused it.'],
      links,
      refs,
    };
  }
  return {
    severity: detection.severity,
    detectionId: detection.id,
    title: detection.title,
    headline: drillHeadline(`${measuredText} in ${region}`, isDrillAlarmReason(reason)),
    what: textLines([
      drillLine('alarm', isDrillAlarmReason(reason)),
      `CloudWatch alarm ${alarmName} went from ${previous ?? 'an unknown state'} to ALARM${time ? ` at ${time}` : ''}: ${measuredText}.`,
      description ? `The alarm says: ${description.length > MAX_DESCRIPTION ? `${description.slice(0, MAX_DESCRIPTION)}...` : description}` : undefined,
      reason ? `CloudWatch says: ${reason}` : undefined,
    ]),
    who: ['A CloudWatch alarm: the metric does not name who caused it. CloudTrail does (see what to do next).'],
    where,
    why: detection.rationale,
    done: ['Notified this channel.'],
    next: detection.nextSteps,
    links,
    refs,
  };
}

/** The guard's alarm state changes, as EventBridge delivers them. */
export const ALARM_READER: EventReader = { matches: isAlarmStateChange, read: alarmAlert };

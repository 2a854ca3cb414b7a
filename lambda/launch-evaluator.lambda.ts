/**
 * Launch evaluator handler: judges each launch call, contains it when the policy asks, and alerts once per call. The
 * tamper and credential calls the trail's log group brings it go on to the notifier, which judges those.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { fromEnvironment, resolveLaunchSettings, ResolvedLaunchSettings, SERVICE_NAMES } from '../lib/catalog';
import { onceFor } from './aws/alerts/once-per-event';
import { publishAlert } from './aws/alerts/publish-alert';
import { actContainment, describeOutcomes } from './aws/launch/act-containment';
import { learnLaunchFacts } from './aws/launch/launch-facts';
import { handToNotifier } from './aws/launch/notifier-hand-off';
import { addToWindow, takeClosedWindows } from './aws/launch/storm-window';
import type { Alert } from './core/alerts/alert';
import { toAlertMessage } from './core/alerts/render-alert';
import { unrecognisedAlert } from './core/alerts/unrecognised-alert';
import { CloudTrailRecord, principalName, readRecord } from './core/events/cloudtrail-record';
import { stringAt } from './core/events/event-fields';
import { bundledSpec } from './core/launch/bundled-specs';
import { FailedHandOff, handOffFailedAlert } from './core/launch/hand-off-alert';
import { invocationRecords, isLogsDelivery, UnreadableRecord } from './core/launch/invocation-records';
import { judgeLaunch } from './core/launch/judge-launch';
import { launchAlert } from './core/launch/launch-alert';
import { OFFLINE_NAMED_TYPES } from './core/launch/named-types';
import { NotifierCall, notifierCall } from './core/launch/notifier-calls';
import { describeAction } from './core/launch/plan-containment';
import { stormSummaryAlert, StormWindow } from './core/launch/storm';

const logger = new Logger({ serviceName: SERVICE_NAMES.launchEvaluator });

/** Read once per container: bad settings fail every invocation loudly rather than judging with wrong ones. */
let containerSettings: ResolvedLaunchSettings | undefined;

interface Outcome {
  readonly eventId?: string;
  readonly result: 'malformed' | 'not-selected' | 'within-policy' | 'alerted' | 'folded' | 'duplicate' | 'flushed' | 'handed-off' | 'hand-off-failed' | 'skipped';
}

async function judgeAndAct(
  value: unknown, topicArn: string, settings: ResolvedLaunchSettings, table: string | undefined, lambdaContext?: Context,
): Promise<Outcome> {
  const record = readRecord(value);
  const { specs, named } = typeof record === 'string'
    ? { specs: bundledSpec, named: OFFLINE_NAMED_TYPES }
    : await learnLaunchFacts(record, (reason) => logger.warn('AWS lookup failed; judging with the bundled figures', { eventId: record.eventId, reason }));
  const judgement = judgeLaunch(value, settings, specs, new Date(), named);
  if (judgement.outcome === 'malformed') {
    logger.warn('Unreadable record', { reason: judgement.reason, record: value });
    await publishAlert(topicArn, toAlertMessage(unrecognisedAlert(value, judgement.reason)));
    return { result: 'malformed' };
  }
  if (judgement.outcome === 'not-selected') return { eventId: judgement.record.eventId, result: 'not-selected' };
  const { record: rec, request, verdict, plan } = judgement;
  if (!verdict.flagged) {
    logger.debug('Within policy', { eventId: rec.eventId, reasons: verdict.reasons });
    return { eventId: rec.eventId, result: 'within-policy' };
  }
  // Both delivery paths (EventBridge and the trail's log group) carry the same eventID: act and alert once.
  let result: Outcome['result'] = 'duplicate';
  await onceFor(table, SERVICE_NAMES.launchEvaluator, rec.eventId, async () => {
    const done = settings.dryRun
      ? plan.actions.map((a) => `Dry run, not done: ${describeAction(a)}.`)
      : describeOutcomes(await actContainment(plan));
    const alert = launchAlert(rec, request, verdict, done);
    logger.info('Launch flagged', { eventId: rec.eventId, detection: verdict.detection.id, severity: verdict.severity, headline: alert.headline, done });
    result = await alertOrFold(topicArn, table, rec, alert, verdict.usdPerHour ?? 0);
  }, lambdaContext);
  return { eventId: rec.eventId, result };
}

/** Publishes the alert if it opens its principal's storm window; otherwise folds it into the window's summary. */
async function alertOrFold(topicArn: string, table: string | undefined, rec: CloudTrailRecord, alert: Alert, usdPerHour: number): Promise<Outcome['result']> {
  if (!table) {
    await publishAlert(topicArn, toAlertMessage(alert));
    return 'alerted';
  }
  const eventTime = Number.isNaN(Date.parse(rec.eventTime)) ? new Date() : new Date(rec.eventTime);
  const entry = {
    eventId: rec.eventId,
    eventTime: eventTime.toISOString(),
    region: rec.region,
    detection: alert.detectionId,
    severity: alert.severity,
    summary: alert.headline,
  };
  const { window, closed } = await addToWindow(table, principalName(rec.principalArn), entry, usdPerHour, eventTime);
  if (closed) await publishSummary(topicArn, closed, rec.account);
  if (window.count > 1) return 'folded';
  await publishAlert(topicArn, toAlertMessage(alert));
  return 'alerted';
}

async function publishSummary(topicArn: string, window: StormWindow, account: string): Promise<boolean> {
  const summary = stormSummaryAlert(window, account);
  if (summary) await publishAlert(topicArn, toAlertMessage(summary));
  return summary !== undefined;
}

/** The scheduled flush: summaries of every storm window that closed. */
async function flushStorms(topicArn: string, table: string | undefined, now: Date, account: string): Promise<Outcome[]> {
  if (!table) return [];
  const outcomes: Outcome[] = [];
  for (const window of await takeClosedWindows(table, now)) {
    if (await publishSummary(topicArn, window, account)) outcomes.push({ result: 'flushed' });
  }
  return outcomes;
}

type HandedCall = Extract<NotifierCall, { event: unknown }>;

/**
 * Hands the notifier's calls to it. A call that does not reach it is logged, and all of them are alerted together,
 * unjudged, so none is lost; the rest of the batch goes on either way.
 */
async function handOff(functionName: string | undefined, calls: readonly HandedCall[], topicArn: string): Promise<Outcome[]> {
  if (calls.length === 0) return [];
  const failures = functionName
    ? await handToNotifier(functionName, calls.map((c) => c.event))
    : calls.map((_, index) => ({ index, reason: 'NOTIFIER_FUNCTION is not set: the launch evaluator does not know the notifier' }));
  const failed: FailedHandOff[] = failures.map((f) => ({ call: calls[f.index], reason: f.reason }));
  for (const f of failed) logger.error('Could not hand a call to the notifier', { eventId: f.call.event.id, eventName: f.call.event.detail.eventName, reason: f.reason });
  logger.info('Handed calls to the notifier', { handed: calls.length - failed.length, failed: failed.length });
  const alert = handOffFailedAlert(failed);
  if (alert) await publishAlert(topicArn, toAlertMessage(alert));
  const failedIndexes = new Set(failures.map((f) => f.index));
  return calls.map((c, i) => ({ eventId: c.event.id, result: failedIndexes.has(i) ? 'hand-off-failed' : 'handed-off' }));
}

export const handler = async (event: unknown, lambdaContext?: Context): Promise<{ outcomes: Outcome[] }> => {
  const env = fromEnvironment('launchEvaluator', process.env);
  const topicArn = env.alertTopicArn;
  if (!topicArn) throw new Error('ALERT_TOPIC_ARN is not set: the launch evaluator has nowhere to alert');
  const settings = containerSettings ??= resolveLaunchSettings(JSON.parse(env.launchSettings ?? '{}'));
  const table = env.idempotencyTable;
  if (stringAt(event, 'detail-type') === 'Scheduled Event') {
    const time = stringAt(event, 'time');
    return { outcomes: await flushStorms(topicArn, table, time ? new Date(time) : new Date(), stringAt(event, 'account') ?? 'unknown account') };
  }
  const outcomes: Outcome[] = [];
  const unreadable: UnreadableRecord[] = [];
  const records = invocationRecords(event, (u) => unreadable.push(u));
  // Only the log group brings the notifier's calls here: EventBridge's rules send them to the notifier itself.
  const calls = isLogsDelivery(event) ? records.map(notifierCall) : [];
  const handed: HandedCall[] = [];
  for (const call of calls) {
    if (call && 'unreadable' in call) {
      logger.warn('Skipped a call the notifier judges: a field has the wrong type', { reason: call.unreadable });
      outcomes.push({ result: 'skipped' });
    } else if (call) {
      handed.push(call);
    }
  }
  // Handed over first: they take a moment, and judging launches may take the rest of the invocation.
  outcomes.push(...await handOff(env.notifierFunction, handed, topicArn));
  for (const [i, value] of records.entries()) {
    if (calls[i] === undefined) outcomes.push(await judgeAndAct(value, topicArn, settings, table, lambdaContext));
  }
  // Unreadable parts of the batch are alerted after the rest was judged, never instead of it.
  for (const u of unreadable) {
    logger.warn('Unreadable payload', { reason: u.reason });
    await publishAlert(topicArn, toAlertMessage(unrecognisedAlert(u.value, u.reason)));
    outcomes.push({ result: 'malformed' });
  }
  return { outcomes };
};

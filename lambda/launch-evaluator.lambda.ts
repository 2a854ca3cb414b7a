/**
 * Launch evaluator handler: judges each launch call, alerts once per call, then contains it when the policy asks and
 * alerts what was done and what failed. The tamper and credential calls the trail's log group brings it go on to the
 * notifier, which judges those.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { fromEnvironment, readGuardRoleArns, resolveLaunchSettings, ResolvedLaunchSettings, SERVICE_NAMES } from '../lib/catalog';
import { alertMessage } from './aws/alerts/alert-message';
import { onceFor } from './aws/alerts/once-per-event';
import { publishAlert } from './aws/alerts/publish-alert';
import { ContainmentTarget, containmentAccess, RoleNotAssumed } from './aws/clients/containment-credentials';
import { errorText } from './aws/clients/error-text';
import { AccountAccess, inEventAccount } from './aws/clients/event-account';
import { actContainment, ActionOutcome, describeOutcomes } from './aws/launch/act-containment';
import { learnLaunchFacts } from './aws/launch/launch-facts';
import { permitContainment, Unconfirmed } from './aws/launch/lookup-event';
import { memberName } from './aws/launch/member-names';
import { handToNotifier } from './aws/launch/notifier-hand-off';
import { Admission, admitToWindow, closedWindows, flushWindow, markFirstAlerted, recordOutcome } from './aws/launch/storm-window';
import { GuardMetrics } from './aws/metrics/guard-metrics';
import type { Alert } from './core/alerts/alert';
import { unrecognisedAlert } from './core/alerts/unrecognised-alert';
import { isDrillRecord } from './core/doctor/drill-labels';
import { CloudTrailRecord, principalName, unwrapRecord } from './core/events/cloudtrail-record';
import { stringAt } from './core/events/event-fields';
import {
  AccountPlace, containmentRoleArn, foreignAccount, onceKey, ownAccountOf, roleRefusedLine, windowAccount, windowPrincipal, withAccountNamed,
} from './core/launch/acting-account';
import { bundledSpec } from './core/launch/bundled-specs';
import { isAwsServiceEvent } from './core/launch/confirm-record';
import { FailedHandOff, handOffFailedAlert } from './core/launch/hand-off-alert';
import { invocationRecords, isLogsDelivery, UnreadableRecord } from './core/launch/invocation-records';
import { judgeLaunch, Judgement } from './core/launch/judge-launch';
import { duplicatesNote, launchAlert, outcomeAlert, plannedLines, stormUnavailableNote } from './core/launch/launch-alert';
import { NotifierCall, notifierCall } from './core/launch/notifier-calls';
import { ContainmentPlan, describeAction } from './core/launch/plan-containment';
import { stormSummaryAlert, StormWindow } from './core/launch/storm';

const logger = new Logger({ serviceName: SERVICE_NAMES.launchEvaluator });
/** Detections and containment outcomes, emitted at the end of each invocation. */
const metrics = new GuardMetrics(SERVICE_NAMES.launchEvaluator);

/** A containment step's outcome as the `ContainmentActions` metric counts it: nothing to do is a step skipped. */
function countedOutcome(outcome: ActionOutcome['outcome']): 'done' | 'failed' | 'skipped' {
  return outcome === 'done' || outcome === 'failed' ? outcome : 'skipped';
}

/** The longest value from an event that a log line quotes. */
const LOGGED_LENGTH = 200;

/** A value from an event, cut short for a log line: a forged record may hold anything, at any length. */
function cut(text: string): string {
  return text.length > LOGGED_LENGTH ? `${text.slice(0, LOGGED_LENGTH)}...` : text;
}

/** Read once per container: bad settings fail every invocation loudly rather than judging with wrong ones. */
let containerSettings: ResolvedLaunchSettings | undefined;
/** The evaluator's own account, from its function's ARN (or its role's), once per container. */
let containerAccount: AccountPlace | undefined;

/**
 * Where an event is judged and contained when the evaluator is an organization's central one (its containment role
 * name is set): another account's event through that account's containment role, the evaluator's own as ever.
 */
interface Acting {
  /** The event's account, when it is not the evaluator's own. */
  readonly foreign?: string;
  /** How the event's calls act in that account, and the role they assume. */
  readonly access?: AccountAccess;
  readonly roleArn?: string;
}

/** Where an event acts: undefined without a containment role name, or when the evaluator's own account is unknown. */
function actingFor(value: unknown, roleName: string | undefined, own: AccountPlace | undefined): Acting | undefined {
  if (!roleName || !own) return undefined;
  const record = unwrapRecord(value);
  const foreign = foreignAccount(stringAt(record, 'recipientAccountId'), stringAt(value, 'account'), own.account);
  if (!foreign) return {};
  const target: ContainmentTarget = {
    partition: own.partition,
    account: foreign,
    roleName,
    region: stringAt(record, 'awsRegion') ?? stringAt(value, 'region') ?? process.env.AWS_REGION ?? 'us-east-1',
    eventId: stringAt(record, 'eventID') ?? stringAt(value, 'id') ?? 'event',
  };
  return { foreign, access: containmentAccess(target), roleArn: containmentRoleArn(target, roleName) };
}

/**
 * Contains in the event's account: another account's plan only once its containment role is assumed. A role that
 * cannot be assumed fails every step, with why and what to deploy, and the alert still goes out.
 */
async function containIn(plan: ContainmentPlan, acting: Acting | undefined): Promise<ActionOutcome[]> {
  if (acting?.access && acting.foreign && acting.roleArn) {
    const { foreign, roleArn } = acting;
    const refused = await acting.access.credentials().then(
      () => undefined,
      (error: unknown) => roleRefusedLine(foreign, roleArn, error instanceof RoleNotAssumed ? error.reason : errorText(error)),
    );
    if (refused) {
      logger.error('Containment role not assumed', { account: foreign, roleArn, reason: cut(refused) });
      return plan.actions.map((action) => ({ action, outcome: 'failed', detail: refused }));
    }
  }
  return actContainment(plan);
}

interface Outcome {
  readonly eventId?: string;
  readonly result: 'malformed' | 'not-selected' | 'within-policy' | 'alerted' | 'folded' | 'duplicate' | 'flushed' | 'handed-off' | 'hand-off-failed' | 'skipped' | 'unconfirmed';
}

async function judgeAndAct(
  value: unknown, topicArn: string, settings: ResolvedLaunchSettings, table: string | undefined, unforgeable: boolean, lambdaContext?: Context,
  acting?: Acting,
): Promise<Outcome> {
  const now = new Date();
  // The drill's synthetic record is judged as a dry run whatever the policy: a drill contains nothing.
  if (isDrillRecord(stringAt(unwrapRecord(value), 'eventID'))) settings = { ...settings, dryRun: true };
  // Judged offline first, so a record that cannot be judged costs no AWS lookup; then again with what AWS says.
  let judgement = judgedOrUnreadable(() => judgeLaunch(value, settings, bundledSpec, now));
  if (judgement.outcome === 'judged') {
    const { record } = judgement;
    const { specs, named } = await learnLaunchFacts(record, (reason) => logger.warn('AWS lookup failed; judging with the bundled figures', { eventId: cut(record.eventId), reason }));
    judgement = judgedOrUnreadable(() => judgeLaunch(value, settings, specs, now, named));
  }
  if (judgement.outcome === 'malformed') {
    // Ids and names only, cut short: the record is attacker-controlled, and may be large.
    const named = (path: string) => {
      const text = stringAt(unwrapRecord(value), path);
      return text === undefined ? undefined : cut(text);
    };
    logger.warn('Unreadable record', { reason: cut(judgement.reason), eventId: named('eventID'), eventName: named('eventName') });
    const unreadableAlert = unrecognisedAlert(value, judgement.reason);
    await publishAlert(topicArn, alertMessage(unreadableAlert));
    metrics.detection(unreadableAlert.detectionId, unreadableAlert.severity);
    return { result: 'malformed' };
  }
  if (judgement.outcome === 'not-selected') return { eventId: judgement.record.eventId, result: 'not-selected' };
  const { record: rec, request, verdict, plan } = judgement;
  if (!verdict.flagged) {
    logger.debug('Within policy', { eventId: cut(rec.eventId), reasons: verdict.reasons.map(cut) });
    return { eventId: rec.eventId, result: 'within-policy' };
  }
  // Both delivery paths (EventBridge and the trail's log group) carry the same eventID: act and alert once.
  let result: Outcome['result'] = 'duplicate';
  // An organization's alerts name the account: its name, when Organizations tells it.
  const accountName = acting && await memberName(rec.account, (reason) => logger.warn('Account name not known', { account: cut(rec.account), reason: cut(reason) }));
  await onceFor(table, SERVICE_NAMES.launchEvaluator, onceKey(rec.eventId, acting?.foreign), async (once) => {
    const notes = once.reason ? [duplicatesNote(once.reason)] : [];
    // Only real AWS events contain: a record from the log group is first confirmed with CloudTrail.
    const remainingMs = lambdaContext?.getRemainingTimeInMillis();
    const permit = await permitContainment(judgement, { unforgeable, dryRun: settings.dryRun, remainingMs });
    const contain = permit.contain && !settings.dryRun && plan.actions.length > 0;
    const planned = settings.dryRun
      ? plan.actions.map((a) => `Dry run, not done: ${describeAction(a)}.`)
      : contain ? plannedLines(plan.actions.map(describeAction)) : permit.contain ? [] : permit.done;
    const written = launchAlert(rec, request, verdict, [...planned, ...notes]);
    const alert = acting ? withAccountNamed(written, rec.account, accountName, acting.foreign !== undefined) : written;
    logger.info('Launch flagged', { eventId: cut(rec.eventId), detection: verdict.detection.id, severity: verdict.severity, headline: cut(alert.headline), steps: plan.actions.length });
    // The alert goes out before containment, which may take long: a person knows at once what is being done.
    // A drill's alert always goes out on its own, now: folded into a window (a second drill within minutes) it would
    // never reach the drill's queue, and it must not swell a real storm's count.
    const storm = await alertOrFold(topicArn, isDrillRecord(rec.eventId) ? undefined : table, rec, alert, verdict.usdPerHour ?? 0, acting?.foreign);
    result = storm.role === 'first' ? 'alerted' : 'folded';
    // A folded detection is counted too: its alert is the window's summary, but it was detected all the same.
    metrics.detection(verdict.detection.id, verdict.severity);
    // Failing the work gives the event's mark back, so its real EventBridge delivery, if it comes, still contains.
    if (!permit.contain && permit.unconfirmed) throw new Unconfirmed(permit.done.join(' '));
    if (!contain) {
      metrics.containment(settings.dryRun ? 'dry-run' : 'skipped', plan.actions.length);
      return;
    }
    const outcomes = await containIn(plan, acting);
    for (const o of outcomes) metrics.containment(countedOutcome(o.outcome));
    const steps = describeOutcomes(outcomes).map((line, i) => ({ line, failed: outcomes[i]?.outcome === 'failed' }));
    const failures = steps.filter((step) => step.failed).map((step) => step.line);
    logger.info('Contained', { eventId: cut(rec.eventId), steps: steps.length, failed: failures.length, failures: failures.slice(0, 100).map(cut) });
    const folded = storm.role === 'folded' && table !== undefined
      && await recordOutcome(table, storm.principal, storm.windowStart, steps.length, failures);
    // The first detection's outcome is its own alert; a folded one's goes into the summary, unless its window was
    // published meanwhile: then its failures are alerted on their own, never left only in the logs.
    if (!folded && (storm.role === 'first' || failures.length > 0)) {
      await publishAlert(topicArn, alertMessage(outcomeAlert(alert, steps, [...notes, ...storm.notes])));
    }
  }, lambdaContext).catch((error: unknown) => {
    if (!(error instanceof Unconfirmed)) throw error;
    result = 'unconfirmed';
  });
  return { eventId: rec.eventId, result };
}

/**
 * The judgement of one record, or, when judging it throws (a field of a shape no reader expected), the record as
 * unreadable: it is alerted as such, and the rest of the batch is judged.
 */
function judgedOrUnreadable(judge: () => Judgement): Judgement {
  try {
    return judge();
  } catch (error) {
    return { outcome: 'malformed', reason: `it could not be judged (${errorText(error)})` };
  }
}

/** Where a detection stands in its principal's storm window, and what the alert must say about it. */
interface StormPlace {
  readonly role: 'first' | 'folded';
  readonly principal: string;
  readonly windowStart: string;
  readonly notes: readonly string[];
}

/**
 * Publishes the alert if it opens its principal's storm window (once, even when the event is retried); otherwise
 * folds it into the window's summary. Windows are timed by when detections arrive, so a burst the log group delivers
 * late still folds. A storm table that cannot be reached never silences an alert: it is published on its own.
 */
async function alertOrFold(
  topicArn: string, table: string | undefined, rec: CloudTrailRecord, alert: Alert, usdPerHour: number, foreign?: string,
): Promise<StormPlace> {
  // Another account's principals have windows of their own: the same role name, or root, in two accounts is two principals.
  const principal = windowPrincipal(principalName(rec.principalArn), foreign);
  if (!table) {
    await publishAlert(topicArn, alertMessage(alert));
    return { role: 'first', principal, windowStart: '', notes: [] };
  }
  const arrived = new Date();
  const entry = {
    eventId: rec.eventId,
    eventTime: Number.isNaN(Date.parse(rec.eventTime)) ? arrived.toISOString() : new Date(rec.eventTime).toISOString(),
    region: rec.region,
    detection: alert.detectionId,
    severity: alert.severity,
    summary: alert.headline,
  };
  let admission: Admission;
  let summaryFailed = false;
  const publishClosed = (closed: StormWindow) => publishSummary(topicArn, closed, rec.account).catch((error) => {
    summaryFailed = true;
    throw error;
  });
  try {
    admission = await admitToWindow(table, principal, entry, usdPerHour, arrived, publishClosed);
  } catch (error) {
    // SNS refusing the previous window's summary fails the invocation, to be retried; only the table's failures degrade.
    if (summaryFailed) throw error;
    const reason = errorText(error);
    logger.error('Storm window unavailable: alerting on its own', { eventId: cut(rec.eventId), reason });
    const notes = [stormUnavailableNote(reason)];
    await publishAlert(topicArn, alertMessage({ ...alert, done: [...alert.done, ...notes] }));
    return { role: 'first', principal, windowStart: '', notes };
  }
  const place = { role: admission.role, principal, windowStart: admission.windowStart, notes: [] };
  if (admission.role === 'folded' || admission.alerted) return place;
  await publishAlert(topicArn, alertMessage(alert));
  // Remembered so that a retry of this event (its outcome alert failed, say) does not send the first alert again.
  await markFirstAlerted(table, rec.eventId).catch((error) => logger.warn('Could not remember that the first alert was sent', { eventId: cut(rec.eventId), reason: errorText(error) }));
  return place;
}

/** Publishes a closed window's summary; a window of one detection has nothing more to say. Throws when SNS refuses. */
async function publishSummary(topicArn: string, window: StormWindow, account: string): Promise<void> {
  const summary = stormSummaryAlert(window, windowAccount(window.principal) ?? account);
  if (summary) await publishAlert(topicArn, alertMessage(summary));
}

/** The scheduled flush: summaries of every storm window that closed, each published before it is deleted. */
async function flushStorms(topicArn: string, table: string | undefined, now: Date, account: string): Promise<Outcome[]> {
  if (!table) return [];
  const outcomes: Outcome[] = [];
  for (const window of await closedWindows(table, now)) {
    if (window.count > 1 && await flushWindow(table, window, (claimed) => publishSummary(topicArn, claimed, account))) outcomes.push({ result: 'flushed' });
    else if (window.count <= 1) await flushWindow(table, window, async () => undefined);
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
  for (const f of failed) logger.error('Could not hand a call to the notifier', { eventId: cut(f.call.event.id), eventName: f.call.event.detail.eventName, reason: f.reason });
  logger.info('Handed calls to the notifier', { handed: calls.length - failed.length, failed: failed.length });
  const alert = handOffFailedAlert(failed);
  if (alert) await publishAlert(topicArn, alertMessage(alert));
  const failedIndexes = new Set(failures.map((f) => f.index));
  return calls.map((c, i) => ({ eventId: c.event.id, result: failedIndexes.has(i) ? 'hand-off-failed' : 'handed-off' }));
}

/**
 * The notifier's call in a record, undefined when it is none, or null when telling throws: the record is then added to
 * the unreadable ones, alerted after the rest of the batch.
 */
function notifierCallOrUnreadable(record: unknown, unreadable: UnreadableRecord[]): NotifierCall | undefined | null {
  try {
    return notifierCall(record);
  } catch (error) {
    unreadable.push({ value: record, reason: `it could not be judged (${errorText(error)})` });
    return null;
  }
}

async function evaluate(event: unknown, lambdaContext?: Context): Promise<{ outcomes: Outcome[] }> {
  const env = fromEnvironment('launchEvaluator', process.env);
  const topicArn = env.alertTopicArn;
  if (!topicArn) throw new Error('ALERT_TOPIC_ARN is not set: the launch evaluator has nowhere to alert');
  const settings = containerSettings ??= {
    ...resolveLaunchSettings(JSON.parse(env.launchSettings ?? '{}')),
    guardRoleArns: readGuardRoleArns(env.guardRoleArn),
  };
  const table = env.idempotencyTable;
  const roleName = env.containmentRoleName;
  const own = roleName ? containerAccount ??= ownAccountOf([lambdaContext?.invokedFunctionArn, env.guardRoleArn]) : undefined;
  if (roleName && !own) logger.warn('Own account unknown: every event is looked up and contained in this account', { roleName: cut(roleName) });
  if (stringAt(event, 'detail-type') === 'Scheduled Event') {
    const time = stringAt(event, 'time');
    return { outcomes: await flushStorms(topicArn, table, time ? new Date(time) : new Date(), stringAt(event, 'account') ?? 'unknown account') };
  }
  const outcomes: Outcome[] = [];
  const unreadable: UnreadableRecord[] = [];
  const records = invocationRecords(event, (u) => unreadable.push(u));
  // Only the log group brings the notifier's calls here: EventBridge's rules send them to the notifier itself.
  const calls = isLogsDelivery(event) ? records.map((record) => notifierCallOrUnreadable(record, unreadable)) : [];
  const handed: HandedCall[] = [];
  for (const call of calls) {
    if (call === null) continue;
    if (call && 'unreadable' in call) {
      logger.warn('Skipped a call the notifier judges: a field has the wrong type', { reason: cut(call.unreadable) });
      outcomes.push({ result: 'skipped' });
    } else if (call) {
      handed.push(call);
    }
  }
  // Handed over first: they take a moment, and judging launches may take the rest of the invocation.
  outcomes.push(...await handOff(env.notifierFunction, handed, topicArn));
  for (const [i, value] of records.entries()) {
    if (calls[i] !== undefined) continue;
    const acting = actingFor(value, roleName, own);
    const judged = () => judgeAndAct(value, topicArn, settings, table, isAwsServiceEvent(event), lambdaContext, acting);
    outcomes.push(await inEventAccount(acting?.access, judged));
  }
  // Unreadable parts of the batch are alerted after the rest was judged, never instead of it.
  for (const u of unreadable) {
    logger.warn('Unreadable payload', { reason: cut(u.reason) });
    const unreadableAlert = unrecognisedAlert(u.value, u.reason);
    await publishAlert(topicArn, alertMessage(unreadableAlert));
    metrics.detection(unreadableAlert.detectionId, unreadableAlert.severity);
    outcomes.push({ result: 'malformed' });
  }
  return { outcomes };
}

export const handler = async (event: unknown, lambdaContext?: Context): Promise<{ outcomes: Outcome[] }> => {
  try {
    return await evaluate(event, lambdaContext);
  } finally {
    // Flushed whatever the outcome: what was alerted and contained before a later record failed was still done.
    metrics.flush();
  }
};

/** Launch evaluator handler: judges each launch call, contains it when the policy asks, and alerts once per call. */
import { Logger } from '@aws-lambda-powertools/logger';
import { actContainment, describeOutcomes } from './aws/act-containment';
import { resolveSpecs } from './aws/instance-specs';
import { onceFor } from './aws/once-per-event';
import { publishAlert } from './aws/publish-alert';
import { launchPolicy, LaunchPolicy } from '../lib/catalog';
import { bundledSpec } from './core/launch/bundled-specs';
import { readRecord } from './core/launch/cloudtrail-record';
import { invocationRecords, UnreadableRecord } from './core/launch/invocation-records';
import { judgeLaunch } from './core/launch/judge-launch';
import { launchAlert } from './core/launch/launch-alert';
import { describeLaunch } from './core/launch/launch-request';
import { describeAction } from './core/launch/plan-containment';
import { toAlertMessage } from './core/render-alert';
import { unrecognisedAlert } from './core/unrecognised-alert';

const logger = new Logger({ serviceName: 'mining-guard-launch-evaluator' });

/** Read once per container: a bad policy fails every invocation loudly rather than judging with a wrong one. */
let containerPolicy: LaunchPolicy | undefined;

interface Outcome {
  readonly eventId?: string;
  readonly result: 'malformed' | 'not-selected' | 'within-policy' | 'alerted' | 'duplicate';
}

async function judgeAndAct(value: unknown, topicArn: string, policy: LaunchPolicy): Promise<Outcome> {
  const record = readRecord(value);
  const region = typeof record === 'string' ? undefined : record.region;
  const types = typeof record === 'string' ? [] : describeLaunch(record).instanceTypes.map((t) => t.type);
  const specs = region && types.length > 0 ? await resolveSpecs(region, types) : bundledSpec;
  const judgement = judgeLaunch(value, policy, specs, new Date());
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
  const first = await onceFor(rec.eventId, async () => {
    const done = policy.dryRun
      ? plan.actions.map((a) => `Dry run, not done: ${describeAction(a)}.`)
      : describeOutcomes(await actContainment(plan));
    const message = toAlertMessage(launchAlert(rec, request, verdict, done));
    await publishAlert(topicArn, message);
    logger.info('Launch flagged', { eventId: rec.eventId, detection: verdict.detection.id, severity: verdict.severity, subject: message.subject, done });
  });
  return { eventId: rec.eventId, result: first ? 'alerted' : 'duplicate' };
}

export const handler = async (event: unknown): Promise<{ outcomes: Outcome[] }> => {
  const topicArn = process.env.ALERT_TOPIC_ARN;
  if (!topicArn) throw new Error('ALERT_TOPIC_ARN is not set: the launch evaluator has nowhere to alert');
  const policy = containerPolicy ??= launchPolicy(JSON.parse(process.env.LAUNCH_POLICY ?? '{}'));
  const outcomes: Outcome[] = [];
  const unreadable: UnreadableRecord[] = [];
  for (const value of invocationRecords(event, (u) => unreadable.push(u))) {
    outcomes.push(await judgeAndAct(value, topicArn, policy));
  }
  // Unreadable parts of the batch are alerted after the rest was judged, never instead of it.
  for (const u of unreadable) {
    logger.warn('Unreadable payload', { reason: u.reason });
    await publishAlert(topicArn, toAlertMessage(unrecognisedAlert(u.value, u.reason)));
    outcomes.push({ result: 'malformed' });
  }
  return { outcomes };
};

/**
 * The detections of what reaches the notifier without a more specific one: another GuardDuty finding, another Config
 * rule, another alarm of the guard's, or an event nobody can read. Each is shown, never dropped.
 */
import { Detection } from './types';

export const CATCH_ALL_DETECTIONS = [
  {
    id: 'guardduty-other',
    title: 'GuardDuty finding',
    severity: 'LOW',
    signal: { kind: 'catch-all', of: 'guardduty' },
    rationale: 'GuardDuty reported a finding that is not one of MiningGuard\'s crypto-mining or credential detections.',
    nextSteps: ['Read the finding in the GuardDuty console and follow its remediation guidance.'],
    references: { urls: ['https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_remediate.html'] },
    responses: ['NOTIFY'],
    latency: '~5 min (new finding), updates every 15 min',
  },
  {
    id: 'config-rule',
    title: 'Config rule non-compliant',
    severity: 'MEDIUM',
    signal: { kind: 'catch-all', of: 'config' },
    rationale: 'An AWS Config rule routed to MiningGuard found a resource non-compliant.',
    nextSteps: ['Open the rule\'s compliance page and follow its remediation guidance.'],
    references: { urls: ['https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config.html'] },
    responses: ['NOTIFY'],
    latency: 'minutes after the change',
  },
  {
    id: 'alarm-other',
    title: 'MiningGuard alarm',
    severity: 'MEDIUM',
    signal: { kind: 'catch-all', of: 'alarm' },
    rationale: 'An alarm named as one of the guard\'s changed state, on a metric none of its detections watches.',
    nextSteps: ['Open the alarm in CloudWatch and read its description and metric.', 'If nobody made it, find who did (CloudTrail PutMetricAlarm) and delete it.'],
    references: { urls: ['https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html'] },
    responses: ['NOTIFY'],
    latency: 'as the alarm changes state',
  },
  {
    id: 'unrecognised-event',
    title: 'Unrecognised event',
    severity: 'MEDIUM',
    signal: { kind: 'catch-all', of: 'unreadable' },
    rationale: 'A rule routed this event to MiningGuard, so it may be a detection that was not understood. It is shown rather than dropped.',
    nextSteps: [
      'Check which rule sent it (source and detail-type) and whether the event shape changed.',
      'If it is a real detection, report the event shape so the notifier learns it.',
    ],
    references: {},
    responses: ['NOTIFY'],
    latency: 'as the event arrives',
  },
] as const satisfies readonly Detection[];

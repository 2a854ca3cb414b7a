/** Detections for the guard's own health: events it could not handle, and a function that keeps failing. */
import { Detection } from './types';

const LATENCY = '1-3 min (1-minute alarm)';

export const GUARD_HEALTH_DETECTIONS = [
  {
    id: 'guard-dead-letters',
    title: 'MiningGuard could not handle events',
    severity: 'HIGH',
    signal: { kind: 'alarm', namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible' },
    rationale: 'One of the guard\'s functions gave up on events after every retry and put them in its dead-letter queue: each one is a detection, containment or alert that did not happen.',
    nextSteps: [
      'Read the messages in the dead-letter queue the alarm names: each is an event the guard did not handle.',
      'Read the function\'s logs around the alarm\'s time for the error (permissions, throttling, a changed event shape), fix it, then judge the events by hand.',
    ],
    references: { urls: ['https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html'] },
    responses: ['NOTIFY'],
    latency: LATENCY,
  },
  {
    id: 'guard-function-failing',
    title: 'MiningGuard function keeps failing',
    severity: 'HIGH',
    signal: { kind: 'alarm', namespace: 'AWS/Lambda', metricName: 'Errors' },
    rationale: 'A guard function failed every run for hours: the signal it watches (such as the spend evaluator\'s reading of the budgets) is blind until it is fixed.',
    nextSteps: ['Read the function\'s logs for the error (throttling, permissions, a deleted budget), and fix it.'],
    references: { urls: ['https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html'] },
    responses: ['NOTIFY'],
    latency: 'after three failed hourly runs',
  },
] as const satisfies readonly Detection[];

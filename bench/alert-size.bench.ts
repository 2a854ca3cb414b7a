/**
 * The size of the alerts containment sends, in the bytes SNS counts (message and attributes; limit 262,144), and the
 * time to render them, for 200 and 10,000 instances of one RunInstances call:
 * - the alert published before containment, listing what will be done;
 * - the outcome alert, every stop failed, with AWS's error text (the worst case: nothing is summarised as done);
 * - the storm summary of a burst of as many detections, its failures kept word for word up to the window's list.
 * Target: every message under 256 KB. Run with `npx projen bench:alert-size`; figures are printed, never asserted.
 */
import { MAX_SNS_MESSAGE_BYTES, snsMessageBytes, toAlertMessage, utf8Bytes } from '../lambda/core/alerts/render-alert';
import { readRecord } from '../lambda/core/events/cloudtrail-record';
import { bundledSpec } from '../lambda/core/launch/bundled-specs';
import { judgeLaunch } from '../lambda/core/launch/judge-launch';
import { launchAlert, outcomeAlert, plannedLines, StepLine } from '../lambda/core/launch/launch-alert';
import { describeAction } from '../lambda/core/launch/plan-containment';
import { STORM_FAILURES_LISTED, STORM_SAMPLE_SIZE, stormSummaryAlert } from '../lambda/core/launch/storm';
import { resolveLaunchSettings } from '../lib/catalog';
import { runInstances } from '../test/fixtures/documented-cloudtrail';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The median milliseconds of `render`, and what it rendered. */
function timed<T>(render: () => T): { ms: number; value: T } {
  const times: number[] = [];
  let value = render();
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    value = render();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { ms: Number(median(times).toFixed(2)), value };
}

function figures(name: string, instances: number, render: () => ReturnType<typeof toAlertMessage>): object {
  const { ms, value } = timed(render);
  const bytes = snsMessageBytes(value);
  const body = JSON.parse(value.message) as Record<string, string>;
  return {
    message: name,
    instances,
    snsBytes: bytes,
    emailBytes: utf8Bytes(body.email),
    chatBytes: utf8Bytes(body.https),
    renderMs: ms,
    limit: MAX_SNS_MESSAGE_BYTES,
    withinLimit: bytes <= MAX_SNS_MESSAGE_BYTES,
  };
}

function measure(instances: number): object[] {
  const ids = Array.from({ length: instances }, (_, i) => `i-0${i.toString(16).padStart(16, '0')}`);
  const record = runInstances('p4d.24xlarge', instances, ids, { principalArn: 'arn:aws:iam::123456789012:user/ci-bot', region: 'sa-east-1' });
  const judged = judgeLaunch(record, resolveLaunchSettings({ responses: { 'ec2-instance-launch': 'STOP' } }), bundledSpec, new Date());
  if (judged.outcome !== 'judged') throw new Error(`not judged: ${judged.outcome}`);
  const read = readRecord(record);
  if (typeof read === 'string') throw new Error(read);
  const first = launchAlert(read, judged.request, judged.verdict, plannedLines(judged.plan.actions.map(describeAction)));
  // One failed step per instance, each with AWS's answer, as the actor reports a stop it could not make.
  const steps: StepLine[] = ids.map((id) => ({
    line: `FAILED: stop instance ${id} (turning off stop/termination protection first): UnauthorizedOperation: You are not authorized to perform this `
      + 'operation. User: arn:aws:sts::123456789012:assumed-role/mining-guard-launch-evaluator/session is not authorized. Do it by hand.',
    failed: true,
  }));
  const entries = Array.from({ length: Math.min(instances, STORM_SAMPLE_SIZE) }, (_, i) => ({
    eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    eventTime: new Date().toISOString(),
    region: 'sa-east-1',
    detection: 'ec2-instance-launch' as const,
    severity: 'CRITICAL' as const,
    summary: first.headline,
  }));
  const window = {
    principal: 'user/ci-bot',
    windowStart: new Date().toISOString(),
    count: instances,
    usdPerHour: 32.77 * instances,
    regions: ['sa-east-1'],
    detections: ['ec2-instance-launch' as const],
    entries,
    steps: instances,
    failedSteps: instances,
    failures: steps.slice(0, STORM_FAILURES_LISTED).map((s) => s.line),
  };
  return [
    figures('first alert (before containment)', instances, () => toAlertMessage(first)),
    figures('outcome alert (every stop failed)', instances, () => toAlertMessage(outcomeAlert(first, steps))),
    figures('storm summary (every folded stop failed)', instances, () => toAlertMessage(stormSummaryAlert(window, '123456789012')!)),
  ];
}

for (const instances of [200, 10_000]) {
  for (const row of measure(instances)) console.log(JSON.stringify(row));
}

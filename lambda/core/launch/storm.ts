/**
 * Alert storm control: the detections of one principal within a window fold into one alert. The first detection of a
 * window alerts at once; the rest are counted and summarised when the window closes, with every containment step that
 * failed for them. Containment is not folded, and windows are timed by when detections arrive, not by their records.
 */
import type { DetectionId, Severity } from '../../../lib/catalog';
import { LAUNCH_BURST, maxSeverity } from '../../../lib/catalog';
import type { Alert } from '../alerts/alert';
import { oneLine } from '../alerts/alert-text';

/** How long one principal's detections fold together. */
export const STORM_WINDOW_MS = 5 * 60 * 1000;

/** How many detections a summary lists one by one; the rest are counted. */
export const STORM_SAMPLE_SIZE = 50;

/** One folded detection, as the summary lists it. */
export interface StormEntry {
  readonly eventId: string;
  readonly eventTime: string;
  readonly region: string;
  readonly detection: DetectionId;
  readonly severity: Severity;
  readonly summary: string;
}

/** One principal's open window, as the table keeps it. */
export interface StormWindow {
  readonly principal: string;
  readonly windowStart: string;
  /** Detections in the window, the first (already alerted) included. */
  readonly count: number;
  readonly usdPerHour: number;
  readonly regions: readonly string[];
  readonly detections: readonly DetectionId[];
  /** The first detections, up to STORM_SAMPLE_SIZE. */
  readonly entries: readonly StormEntry[];
  /** Containment steps taken for the folded detections, and how many of them failed. */
  readonly steps?: number;
  readonly failedSteps?: number;
  /** The first failed steps, as the evaluator described them, up to STORM_FAILURES_LISTED. */
  readonly failures?: readonly string[];
}

/** How many failed steps a window keeps word for word; the rest are counted. */
export const STORM_FAILURES_LISTED = 50;

/** Whether a window that started at `windowStart` is closed at `now`. */
export function windowClosed(windowStart: string, now: Date, windowMs = STORM_WINDOW_MS): boolean {
  const started = Date.parse(windowStart);
  // A start nobody can read is no reason to keep a window open for ever: its summary goes out with the next flush.
  return Number.isNaN(started) || now.getTime() - started >= windowMs;
}

/** The summary of a closed window: every detection after the first, counted; the first ones listed. */
export function stormSummaryAlert(window: StormWindow, account: string): Alert | undefined {
  const folded = window.count - 1;
  if (folded <= 0) return undefined;
  const listed = window.entries.slice(1);
  const severity = listed.reduce<Severity>((s, e) => maxSeverity(s, e.severity), LAUNCH_BURST.severity);
  const minutes = Math.round(STORM_WINDOW_MS / 60000);
  return {
    severity,
    detectionId: LAUNCH_BURST.id,
    title: LAUNCH_BURST.title,
    headline: `${folded} more launch detections by ${window.principal} in ${window.regions.length} region${window.regions.length === 1 ? '' : 's'} within ${minutes} min`,
    what: [
      `After the first alert of this burst (${window.entries[0]?.summary ?? 'see the previous alert'}), ${window.principal} caused ${folded} more detections`
      + ` that arrived within ${minutes} minutes of ${window.windowStart}: ${window.detections.join(', ')}.`,
      `Estimated on-demand cost of what was launched: ~$${Math.round(window.usdPerHour).toLocaleString('en-US')}/h.`,
      '',
      ...listed.map((e) => `${e.eventTime} ${e.region} ${e.detection} [${e.severity}] ${e.summary} (event ${e.eventId})`),
      ...(folded > listed.length ? [`... and ${folded - listed.length} more, in CloudTrail.`] : []),
    ].map(oneLine).join('\n'),
    who: [`Principal: ${window.principal}`],
    where: `Account ${account}, regions ${window.regions.join(', ')}`,
    why: LAUNCH_BURST.rationale,
    done: foldedOutcome(window),
    next: LAUNCH_BURST.nextSteps,
    links: [],
    refs: { principal: window.principal, windowStart: window.windowStart, detections: String(window.count) },
  };
}

/** What was done for the folded detections: the failures first, word for word, then the count of the rest. */
function foldedOutcome(window: StormWindow): string[] {
  const steps = window.steps ?? 0;
  const failed = window.failedSteps ?? 0;
  if (steps === 0) return ['No containment step was taken for the folded detections (notify only, or a dry run).'];
  const failures = window.failures ?? [];
  return [
    failed > 0
      ? `${failed} of ${steps} containment steps FAILED for the folded detections; each needs a hand:`
      : `All ${steps} containment steps for the folded detections were done.`,
    ...failures,
    ...(failed > failures.length ? [`... and ${failed - failures.length} more failed steps, in the evaluator's logs.`] : []),
  ];
}

/** The alert: what every evaluator produces and every channel renders, as plain data. */
import type { DetectionId, Severity } from '../../../lib/catalog';

/** A link a person can open from the alert. */
export interface AlertLink {
  readonly label: string;
  readonly url: string;
}

/**
 * One alert, as MiningGuard sends it to people. Every text is one line, except `what`: its line breaks are the
 * guard's own, so readers write it with `textLines`, which keeps any line break an event wrote from starting a line.
 * Text may quote events as it is; the renderer makes it inert and bounded (see `render-alert`).
 */
export interface Alert {
  readonly severity: Severity;
  /** The catalog id of the detection. */
  readonly detectionId: DetectionId;
  /** The detection's title. */
  readonly title: string;
  /** One line naming what happened, to what, where; becomes the subject after the `[MiningGuard][SEVERITY]` tag. */
  readonly headline: string;
  /** What happened, in sentences; the one text of several lines (written with `textLines`). */
  readonly what: string;
  /** Who did it or what it came from: principal, source IP, user agent. One item a line. */
  readonly who: readonly string[];
  /** Account and region. */
  readonly where: string;
  /** Why it matters. */
  readonly why: string;
  /** What MiningGuard did about it. */
  readonly done: readonly string[];
  /** What to do next, most urgent first. */
  readonly next: readonly string[];
  readonly links: readonly AlertLink[];
  /** Ids that let a person find the source event: finding id, event id. */
  readonly refs: Readonly<Record<string, string>>;
}

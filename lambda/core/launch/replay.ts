/** Replays CloudTrail records through the catalog and the launch evaluator: one line per flagged call, then a summary. */
import type { SpecLookup } from './evaluate-launch';
import { judgeLaunch } from './judge-launch';
import { describeAction } from './plan-containment';
import { TemplateMemory } from './template-memory';
import type { ResolvedLaunchSettings } from '../../../lib/catalog';

/** One flagged call, as the replay command prints it. */
export interface ReplayLine {
  readonly eventID: string;
  readonly eventTime: string;
  readonly eventName: string;
  readonly detection: string;
  readonly severity: string;
  readonly wouldDo: string;
  readonly reason: string;
  readonly estimatedUsdPerHour: number | null;
  /** Whether a vCPU or price figure comes from the size rule instead of the bundled table. */
  readonly estimated: boolean;
}

export interface ReplaySummary {
  readonly summary: true;
  readonly events: number;
  readonly selected: number;
  readonly flagged: number;
  readonly malformed: number;
  readonly byDetection: Record<string, number>;
  readonly flaggedUsdPerHour: number;
}

/** Judges every record; `onLine` receives each flagged call as it is found, the summary comes back at the end. */
export function replay(
  records: Iterable<unknown>, settings: ResolvedLaunchSettings, specs: SpecLookup, onLine: (line: ReplayLine) => void, now = new Date(),
): ReplaySummary {
  let events = 0;
  let selected = 0;
  let flagged = 0;
  let malformed = 0;
  let flaggedUsdPerHour = 0;
  const byDetection: Record<string, number> = {};
  const templates = new TemplateMemory();
  for (const value of records) {
    events++;
    const judgement = judgeLaunch(value, settings, specs, now, templates);
    if (judgement.outcome === 'malformed') {
      malformed++;
      continue;
    }
    if (judgement.outcome === 'not-selected') continue;
    selected++;
    const { record, request, verdict, plan } = judgement;
    templates.remember(record, request);
    if (!verdict.flagged) continue;
    flagged++;
    byDetection[verdict.detection.id] = (byDetection[verdict.detection.id] ?? 0) + 1;
    flaggedUsdPerHour += verdict.failed ? 0 : verdict.usdPerHour ?? 0;
    const actions = plan.actions.map(describeAction);
    onLine({
      eventID: record.eventId,
      eventTime: record.eventTime,
      eventName: record.eventName,
      detection: verdict.detection.id,
      severity: verdict.severity,
      wouldDo: ['notify', ...actions].join('; ') + (settings.dryRun && actions.length > 0 ? ' (dry run)' : ''),
      reason: verdict.reasons.join('; '),
      estimatedUsdPerHour: verdict.usdPerHour === undefined ? null : Math.round(verdict.usdPerHour * 100) / 100,
      estimated: verdict.estimated,
    });
  }
  return { summary: true, events, selected, flagged, malformed, byDetection, flaggedUsdPerHour: Math.round(flaggedUsdPerHour * 100) / 100 };
}

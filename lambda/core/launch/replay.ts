/**
 * Replays CloudTrail records through the judges the deployed guard runs: the notifier's for tamper and credential
 * calls, the launch evaluator's for launches. One line per flagged call, then a summary.
 */
import type { SpecLookup } from './evaluate-launch';
import { judgeLaunch } from './judge-launch';
import { notifierCall } from './notifier-calls';
import { describeAction } from './plan-containment';
import type { UnreadablePart } from './read-log-file';
import { TemplateMemory } from './template-memory';
import { EMPTY_GUARD_CONTEXT } from '../../../lib/catalog';
import type { GuardContext, ResolvedLaunchSettings } from '../../../lib/catalog';
import type { Alert } from '../alerts/alert';
import { unwrapRecord } from '../events/cloudtrail-record';
import { stringAt } from '../events/event-fields';
import { policiesToLookUp, policyDocumentsIn } from '../notifier/admin-policy';
import { alertForEvent } from '../notifier/alert-for-event';
import type { LookedUpFacts, PolicyLookup } from '../notifier/event-reader';

/** One flagged call, as the replay command prints it: the same fields for every detection. */
export interface ReplayLine {
  readonly eventID: string;
  readonly eventTime: string;
  readonly eventName: string;
  readonly detection: string;
  readonly severity: string;
  readonly wouldDo: string;
  readonly reason: string;
  /** Null for calls that start no compute, and for launches whose price is unknown. */
  readonly estimatedUsdPerHour: number | null;
  /** Whether a vCPU or price figure comes from the size rule instead of the bundled table. */
  readonly estimated: boolean;
}

export interface ReplaySummary {
  readonly summary: true;
  readonly events: number;
  readonly selected: number;
  readonly flagged: number;
  readonly byDetection: Record<string, number>;
  readonly flaggedUsdPerHour: number;
  /** Files that could not be read at all (missing, a directory, empty, a gzip cut short). */
  readonly unreadableFiles: number;
  /** Lines that are not JSON, and records that are not CloudTrail records or could not be judged. */
  readonly unreadableRecords: number;
  /** The first {@link LISTED_UNREADABLE} unreadable files and records, each with why; the counts hold them all. */
  readonly unreadable: readonly UnreadablePart[];
}

/** How many unreadable parts the summary names: a log of a million broken lines keeps a summary of one line. */
export const LISTED_UNREADABLE = 20;

/** What the replay needs besides the records: the launch policy, how to weigh instance types, and the guard's context. */
export interface ReplayJudges {
  readonly settings: ResolvedLaunchSettings;
  readonly specs: SpecLookup;
  /** What the notifier knows of the deployed guard: its resources and deployer. Offline, by default, nothing. */
  readonly context?: GuardContext;
  readonly now?: Date;
}

/** The words of an alert that say why the call was flagged: its first sentence, without the detection's title. */
function reasonOf(alert: Alert): string {
  const first = alert.what.split('\n')[0];
  const reasons = first.startsWith(`${alert.title}: `) ? first.slice(alert.title.length + 2) : first;
  return reasons.replace(/\.$/, '');
}

/**
 * Judges records as the deployed guard would: a tamper or credential call by the notifier's `alertForEvent`, on the
 * event EventBridge would deliver for it; any other call by the launch evaluator. `onLine` receives each flagged call
 * as it is found, once per eventID (both delivery paths of the deployed guard alert once per eventID); `unreadable`
 * each file, line or record that cannot be read or judged. Never throws on a record.
 */
export class Replay {
  private events = 0;
  private selected = 0;
  private flagged = 0;
  private unreadableFiles = 0;
  private unreadableRecords = 0;
  private flaggedUsdPerHour = 0;
  private readonly listed: UnreadablePart[] = [];
  private readonly byDetection: Record<string, number> = {};
  private readonly seen = new Set<string>();
  private readonly templates = new TemplateMemory();
  /** The customer-managed policies the replayed records created, in place of the notifier's IAM lookup. */
  private readonly policies = new Map<string, PolicyLookup>();
  private readonly settings: ResolvedLaunchSettings;
  private readonly specs: SpecLookup;
  private readonly context: GuardContext;
  private readonly now: Date;

  constructor(
    judges: ReplayJudges,
    private readonly onLine: (line: ReplayLine) => void,
    private readonly onUnreadable: (part: UnreadablePart) => void = () => undefined,
  ) {
    this.settings = judges.settings;
    this.specs = judges.specs;
    this.context = judges.context ?? EMPTY_GUARD_CONTEXT;
    this.now = judges.now ?? new Date();
  }

  /** A file that could not be read at all; the other files are still read. */
  public unreadableFile(part: UnreadablePart): void {
    this.unreadableFiles++;
    this.list(part);
  }

  /** A line of a file that is not JSON. */
  public unreadableLine(part: UnreadablePart): void {
    this.unreadableRecords++;
    this.list(part);
  }

  /** Judges one record; `where` names it in the summary when it cannot be read. */
  public judge(value: unknown, where = `record ${this.events + 1}`): void {
    this.events++;
    try {
      this.judgeRecord(value, where);
    } catch (error) {
      // The deployed evaluators alert such a record as unreadable and judge the rest: so does the replay.
      this.refuse(where, value, `could not be judged: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  public summary(): ReplaySummary {
    return {
      summary: true,
      events: this.events,
      selected: this.selected,
      flagged: this.flagged,
      byDetection: { ...this.byDetection },
      flaggedUsdPerHour: Math.round(this.flaggedUsdPerHour * 100) / 100,
      unreadableFiles: this.unreadableFiles,
      unreadableRecords: this.unreadableRecords,
      unreadable: [...this.listed],
    };
  }

  private judgeRecord(value: unknown, where: string): void {
    for (const [arn, document] of policyDocumentsIn([value])) this.policies.set(arn, document);
    const call = notifierCall(unwrapRecord(value));
    if (call && 'unreadable' in call) return this.refuse(where, value, call.unreadable);
    if (call) {
      this.selected++;
      const read = alertForEvent(call.event, this.context, this.factsFor(call.event));
      if (!read.recognised) return this.refuse(where, value, read.reason ?? 'the notifier could not read it');
      if (!read.alert) return;
      return this.print({
        eventID: call.event.id,
        eventTime: call.event.time,
        eventName: String(call.event.detail.eventName),
        detection: read.alert.detectionId,
        severity: read.alert.severity,
        wouldDo: 'notify',
        reason: reasonOf(read.alert),
        estimatedUsdPerHour: null,
        estimated: false,
      }, 0);
    }
    const judgement = judgeLaunch(value, this.settings, this.specs, this.now, this.templates);
    if (judgement.outcome === 'malformed') return this.refuse(where, value, judgement.reason);
    if (judgement.outcome === 'not-selected') return;
    this.selected++;
    const { record, request, verdict, plan } = judgement;
    this.templates.remember(record, request);
    if (!verdict.flagged) return;
    const actions = plan.actions.map(describeAction);
    this.print({
      eventID: record.eventId,
      eventTime: record.eventTime,
      eventName: record.eventName,
      detection: verdict.detection.id,
      severity: verdict.severity,
      wouldDo: ['notify', ...actions].join('; ') + (this.settings.dryRun && actions.length > 0 ? ' (dry run)' : ''),
      reason: verdict.reasons.join('; '),
      estimatedUsdPerHour: verdict.usdPerHour === undefined ? null : Math.round(verdict.usdPerHour * 100) / 100,
      estimated: verdict.estimated,
    }, verdict.failed ? 0 : verdict.usdPerHour ?? 0);
  }

  /**
   * What the notifier would have looked up for the event, when the replayed records hold all of it: the documents of
   * the customer-managed policies they created. Otherwise none, and the judge says it did not read the policy.
   */
  private factsFor(event: unknown): LookedUpFacts | undefined {
    const wanted = policiesToLookUp(event);
    return wanted.length > 0 && wanted.every((arn) => this.policies.has(arn)) ? { policyDocuments: this.policies } : undefined;
  }

  private print(line: ReplayLine, usdPerHour: number): void {
    if (this.seen.has(line.eventID)) return;
    this.seen.add(line.eventID);
    this.flagged++;
    this.byDetection[line.detection] = (this.byDetection[line.detection] ?? 0) + 1;
    this.flaggedUsdPerHour += usdPerHour;
    this.onLine(line);
  }

  private refuse(where: string, value: unknown, reason: string): void {
    this.unreadableRecords++;
    this.list({ where: `${where}${eventIdOf(value)}`, reason });
  }

  private list(part: UnreadablePart): void {
    if (this.listed.length < LISTED_UNREADABLE) this.listed.push(part);
    this.onUnreadable(part);
  }
}

/** Judges every record and returns the summary; `onLine` receives each flagged call as it is found. */
export function replay(
  records: Iterable<unknown>, judges: ReplayJudges, onLine: (line: ReplayLine) => void, unreadable?: (part: UnreadablePart) => void,
): ReplaySummary {
  const run = new Replay(judges, onLine, unreadable);
  for (const value of records) run.judge(value);
  return run.summary();
}

/** ` (eventID ...)` when the record has a usable one, for the reader of the summary. */
function eventIdOf(value: unknown): string {
  const id = stringAt(unwrapRecord(value), 'eventID');
  return id ? ` (eventID ${id.slice(0, 64)})` : '';
}

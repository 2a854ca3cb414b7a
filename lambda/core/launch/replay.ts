/**
 * Replays CloudTrail records through the judges the deployed guard runs: the notifier's for tamper and credential
 * calls, the launch evaluator's for launches. One line per flagged call, then a summary.
 */
import type { SpecLookup } from './evaluate-launch';
import { judgeLaunch } from './judge-launch';
import { accountOfRecord } from './log-account';
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
  /** The account the call was made in: the record's `recipientAccountId`, or its log file's account folder. */
  readonly account: string;
  readonly detection: string;
  readonly severity: string;
  readonly wouldDo: string;
  readonly reason: string;
  /** Null for calls that start no compute, and for launches whose price is unknown. */
  readonly estimatedUsdPerHour: number | null;
  /** Whether a vCPU or price figure comes from the size rule instead of the bundled table. */
  readonly estimated: boolean;
}

/** What the replay counted of one account's records, with the same meaning as the summary's own counts. */
export interface AccountCounts {
  readonly events: number;
  readonly selected: number;
  readonly flagged: number;
  readonly byDetection: Record<string, number>;
  readonly flaggedUsdPerHour: number;
}

export interface ReplaySummary extends AccountCounts {
  readonly summary: true;
  /** The counts of each account, by account id in ascending order; `unknown` for records that name none and lie in no account's folder. */
  readonly byAccount: Record<string, AccountCounts>;
  /** Records counted under another account than the folder their log file lies in (see `misfiled`). */
  readonly misfiledRecords: number;
  /** The first {@link LISTED_UNREADABLE} files that lie in one account's folder but hold records of another, each with whose. */
  readonly misfiled: readonly UnreadablePart[];
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
  private readonly total = newTally();
  private readonly accounts = new Map<string, Tally>();
  private unreadableFiles = 0;
  private unreadableRecords = 0;
  private misfiledRecords = 0;
  private readonly listed: UnreadablePart[] = [];
  private readonly misfiled: UnreadablePart[] = [];
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

  /**
   * A file that lies in one account's folder but holds `records` records of another account, counted under theirs.
   * Named in the summary, not refused: every record of it was judged.
   */
  public misfiledFile(part: UnreadablePart, records: number): void {
    this.misfiledRecords += records;
    if (this.misfiled.length < LISTED_UNREADABLE) this.misfiled.push(part);
  }

  /**
   * Judges one record; `where` names it in the summary when it cannot be read. It is counted under its own
   * `recipientAccountId`, or `folderAccount` (where its log file was delivered) when it names none; returns which.
   */
  public judge(value: unknown, where = `record ${this.total.events + 1}`, folderAccount?: string): string {
    const account = accountOfRecord(value, folderAccount);
    const tallies = [this.total, this.tallyOf(account)];
    for (const t of tallies) t.events++;
    try {
      this.judgeRecord(value, where, account, tallies);
    } catch (error) {
      // The deployed evaluators alert such a record as unreadable and judge the rest: so does the replay.
      this.refuse(where, value, `could not be judged: ${error instanceof Error ? error.message : String(error)}`);
    }
    return account;
  }

  public summary(): ReplaySummary {
    const byAccount = [...this.accounts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, t]) => [id, countsOf(t)]);
    return {
      summary: true,
      ...countsOf(this.total),
      unreadableFiles: this.unreadableFiles,
      unreadableRecords: this.unreadableRecords,
      unreadable: [...this.listed],
      misfiledRecords: this.misfiledRecords,
      misfiled: [...this.misfiled],
      byAccount: Object.fromEntries(byAccount) as Record<string, AccountCounts>,
    };
  }

  private tallyOf(account: string): Tally {
    let tally = this.accounts.get(account);
    if (!tally) this.accounts.set(account, tally = newTally());
    return tally;
  }

  private judgeRecord(value: unknown, where: string, account: string, tallies: readonly Tally[]): void {
    for (const [arn, document] of policyDocumentsIn([value])) this.policies.set(arn, document);
    const call = notifierCall(unwrapRecord(value));
    if (call && 'unreadable' in call) return this.refuse(where, value, call.unreadable);
    if (call) {
      for (const t of tallies) t.selected++;
      const read = alertForEvent(call.event, this.context, this.factsFor(call.event));
      if (!read.recognised) return this.refuse(where, value, read.reason ?? 'the notifier could not read it');
      if (!read.alert) return;
      return this.print({
        eventID: call.event.id,
        eventTime: call.event.time,
        eventName: String(call.event.detail.eventName),
        account,
        detection: read.alert.detectionId,
        severity: read.alert.severity,
        wouldDo: 'notify',
        reason: reasonOf(read.alert),
        estimatedUsdPerHour: null,
        estimated: false,
      }, 0, tallies);
    }
    const judgement = judgeLaunch(value, this.settings, this.specs, this.now, this.templates);
    if (judgement.outcome === 'malformed') return this.refuse(where, value, judgement.reason);
    if (judgement.outcome === 'not-selected') return;
    for (const t of tallies) t.selected++;
    const { record, request, verdict, plan } = judgement;
    this.templates.remember(record, request);
    if (!verdict.flagged) return;
    const actions = plan.actions.map(describeAction);
    this.print({
      eventID: record.eventId,
      eventTime: record.eventTime,
      eventName: record.eventName,
      account,
      detection: verdict.detection.id,
      severity: verdict.severity,
      wouldDo: ['notify', ...actions].join('; ') + (this.settings.dryRun && actions.length > 0 ? ' (dry run)' : ''),
      reason: verdict.reasons.join('; '),
      estimatedUsdPerHour: verdict.usdPerHour === undefined ? null : Math.round(verdict.usdPerHour * 100) / 100,
      estimated: verdict.estimated,
    }, verdict.failed ? 0 : verdict.usdPerHour ?? 0, tallies);
  }

  /**
   * What the notifier would have looked up for the event, when the replayed records hold all of it: the documents of
   * the customer-managed policies they created. Otherwise none, and the judge says it did not read the policy.
   */
  private factsFor(event: unknown): LookedUpFacts | undefined {
    const wanted = policiesToLookUp(event);
    return wanted.length > 0 && wanted.every((arn) => this.policies.has(arn)) ? { policyDocuments: this.policies } : undefined;
  }

  private print(line: ReplayLine, usdPerHour: number, tallies: readonly Tally[]): void {
    if (this.seen.has(line.eventID)) return;
    this.seen.add(line.eventID);
    for (const t of tallies) {
      t.flagged++;
      t.byDetection[line.detection] = (t.byDetection[line.detection] ?? 0) + 1;
      t.flaggedUsdPerHour += usdPerHour;
    }
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

/** Counts as the replay adds to them: the whole run's, and each account's. */
type Tally = { -readonly [K in keyof AccountCounts]: AccountCounts[K] };

function newTally(): Tally {
  return { events: 0, selected: 0, flagged: 0, byDetection: {}, flaggedUsdPerHour: 0 };
}

function countsOf(tally: Tally): AccountCounts {
  return { ...tally, byDetection: { ...tally.byDetection }, flaggedUsdPerHour: Math.round(tally.flaggedUsdPerHour * 100) / 100 };
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

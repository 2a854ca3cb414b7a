/**
 * `mining-guard replay [--policy policy.json] FILE|FOLDER...`: judges past CloudTrail logs offline with the judges the
 * deployed guard runs (the notifier's for tamper and credential calls, the launch evaluator's for launches), and prints
 * one JSON line per call it would flag, then a summary line, with each account's counts. It makes no AWS call.
 */
import { readdirSync, readFileSync } from 'fs';
import { doctor } from './doctor/doctor-command';
import { EMPTY_GUARD_CONTEXT, GuardContext, readGuardContext, resolveLaunchSettings, ResolvedLaunchSettings } from '../../lib/catalog';
import { bundledSpec } from '../core/launch/bundled-specs';
import { FolderEntry, replayFiles } from '../core/launch/replay-files';

/** The exit statuses, as the usage documents them. */
export const EXIT = { judged: 0, failed: 1, usage: 2, unreadable: 3 } as const;

const USAGE = 'usage: mining-guard replay [--policy policy.json] FILE|FOLDER...\n'
  + '       mining-guard doctor [--stack NAME] [--region REGION] [--json] [--drill] (mining-guard doctor --help)\n'
  + '  FILE: CloudTrail logs as delivered to S3 ({"Records": [...]}, .json or .json.gz), JSON lines of records, or EventBridge events.\n'
  + '    Each file is read on its own: one that cannot be read (missing, empty, a gzip cut short) is named in the summary.\n'
  + '  FOLDER: read whole, as CloudTrail delivers to S3 (AWSLogs/ACCOUNT/CloudTrail/... or, for an organization trail,\n'
  + '    AWSLogs/o-ID/ACCOUNT/CloudTrail/...): every .json, .json.gz, .jsonl and .jsonl.gz file in it and its folders, but\n'
  + '    CloudTrail-Digest. The summary counts each account (byAccount) by the records\' recipientAccountId, or by the\n'
  + '    folder when a record names none; a file in one account\'s folder holding another\'s records is named (misfiled).\n'
  + '  --policy: the MiningGuard props that judge, as JSON: {"computePolicy": {...}, "launchWatch": {"responses": {...}, "dryRun": true},\n'
  + '    "guardContext": {...}}; fields not given keep the construct\'s defaults. guardContext is what the deployed notifier knows of its\n'
  + '    guard, copied from the GUARD_CONTEXT environment variable of its notifier function, e.g. {"guardArns": [...], "trailBuckets": [...]},\n'
  + '    each field a list of strings; without it, no resource is taken for the guard\'s own.\n'
  + '  exit status: 0 every file and record was read and judged (flagged calls or not); 1 the command could not run (a policy file\n'
  + '    that cannot be read or is refused, with the reason); 2 wrong usage; 3 judged what could be read, but some files or records\n'
  + '    could not be (the summary counts and names them).';

/** What a policy file may hold. */
const POLICY_KEYS = ['computePolicy', 'launchWatch', 'guardContext'];

/** Whether the notifier reads a guard context field: its own reader keeps every field it knows when given a list. */
function isGuardContextField(key: string): boolean {
  return Object.hasOwn(readGuardContext(JSON.stringify({ [key]: [] })), key);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The guard context a policy file gives, checked: the notifier's own reader takes it from there. */
function guardContextOf(given: unknown): GuardContext {
  if (given === undefined) return EMPTY_GUARD_CONTEXT;
  if (!isPlainObject(given)) throw new Error(`guardContext must be an object, e.g. {"guardNamePrefixes": ["MiningGuard-"]}, got ${JSON.stringify(given)}`);
  for (const [key, value] of Object.entries(given)) {
    if (!isGuardContextField(key)) {
      throw new Error(`guardContext.${key}: the notifier reads no such field. Copy the GUARD_CONTEXT environment variable of the deployed notifier function`);
    }
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      throw new Error(`guardContext.${key} must be a list of strings, got ${JSON.stringify(value)}. Write e.g. ${key}: ["..."]`);
    }
  }
  return readGuardContext(JSON.stringify(given));
}

/** What a policy file holding MiningGuard's props judges with: `computePolicy`, `launchWatch`'s responses and dry run, and the guard's context. */
function settingsOf(props: unknown): { settings: ResolvedLaunchSettings; context: GuardContext } {
  if (!isPlainObject(props)) {
    throw new Error('the policy file must hold a JSON object: {"computePolicy": {...}, "launchWatch": {...}, "guardContext": {...}}');
  }
  const unknown = Object.keys(props).filter((k) => !POLICY_KEYS.includes(k));
  if (unknown.length > 0) throw new Error(`the policy file has ${unknown.join(', ')}: only ${POLICY_KEYS.join(', ')} judge calls`);
  const { computePolicy, launchWatch, guardContext } = props;
  if (launchWatch !== undefined && !isPlainObject(launchWatch)) {
    throw new Error(`launchWatch must be an object, e.g. {"responses": {"ec2-instance-launch": "STOP"}, "dryRun": true}, got ${JSON.stringify(launchWatch)}`);
  }
  const { responses, dryRun, ...other } = launchWatch ?? {};
  if (Object.keys(other).length > 0) throw new Error(`launchWatch has ${Object.keys(other).join(', ')}: replay reads only responses and dryRun`);
  return { settings: resolveLaunchSettings({ computePolicy, responses, dryRun }), context: guardContextOf(guardContext) };
}

/** The policy file's JSON, or why it cannot be had. */
function policyOf(path: string, io: CliIo): unknown {
  let text: string;
  try {
    text = io.readFile(path).toString('utf8');
  } catch (error) {
    throw new Error(`cannot read the policy file ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new Error(`the policy file ${path} is not JSON: ${(error as Error).message}`);
  }
}

/** Where the command reads and writes: the process's, or a test's. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly readFile: (path: string) => Buffer;
  /** What a folder holds; without it, a folder given is reported as unreadable. */
  readonly listFolder?: (path: string) => readonly FolderEntry[];
}

const PROCESS_IO: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  readFile: (path) => readFileSync(path),
  listFolder: (path) => readdirSync(path, { withFileTypes: true }).map((e) => ({ name: e.name, folder: e.isDirectory() })),
};

function main(argv: readonly string[], io: CliIo): number {
  const [command, ...rest] = argv;
  if (command !== 'replay') {
    io.err(`${USAGE}\n`);
    return command === '--help' || command === '-h' ? EXIT.judged : EXIT.usage;
  }
  let policyFile: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--policy') policyFile = rest[++i];
    else files.push(rest[i]);
  }
  if (files.length === 0 || (rest.includes('--policy') && !policyFile)) {
    io.err(`${USAGE}\n`);
    return EXIT.usage;
  }
  const { settings, context } = policyFile
    ? settingsOf(policyOf(policyFile, io))
    : { settings: resolveLaunchSettings({}), context: EMPTY_GUARD_CONTEXT };
  const summary = replayFiles(
    files, io, { settings, specs: bundledSpec, context },
    (line) => io.out(`${JSON.stringify(line)}\n`),
    (part) => io.err(`skipped ${part.where}: ${part.reason}\n`),
  );
  for (const part of summary.misfiled) io.err(`misfiled ${part.where}: ${part.reason}\n`);
  io.out(`${JSON.stringify(summary)}\n`);
  return summary.unreadableFiles + summary.unreadableRecords > 0 ? EXIT.unreadable : EXIT.judged;
}

/**
 * Runs the command and returns its exit status: 0 everything judged, 1 failed (the reason on stderr), 2 wrong usage,
 * 3 judged, but some input could not be read.
 */
export function run(argv: readonly string[], io: CliIo = PROCESS_IO): number {
  try {
    return main(argv, io);
  } catch (error) {
    io.err(`mining-guard: ${(error as Error).message}\n`);
    return EXIT.failed;
  }
}

/**
 * Runs the command the arguments name: `doctor` (which talks to AWS) or `replay`, and returns its exit status.
 * SIGINT and SIGTERM abort a running doctor, whose drill then removes what it created before the process exits.
 */
export async function runCommand(argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  if (argv[0] !== 'doctor') return run(argv, io);
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  try {
    return await doctor(argv.slice(1), { out: io.out, err: io.err, signal: controller.signal });
  } finally {
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
  }
}

if (require.main === module) void runCommand(process.argv.slice(2)).then((status) => { process.exitCode = status; });

/**
 * `mining-guard replay [--policy policy.json] FILE...`: judges past CloudTrail logs with the launch evaluator, offline,
 * and prints one JSON line per call it would flag, then a summary line. It makes no AWS call.
 */
import { readFileSync } from 'fs';
import { resolveLaunchSettings } from '../../lib/catalog';
import { bundledSpec } from '../core/launch/bundled-specs';
import { recordsOfLogFile } from '../core/launch/read-log-file';
import { replay } from '../core/launch/replay';

const USAGE = 'usage: mining-guard replay [--policy policy.json] FILE...\n'
  + '  FILE: CloudTrail logs as delivered to S3 ({"Records": [...]}, .json or .json.gz), JSON lines of records, or EventBridge events.\n'
  + '  --policy: the MiningGuard props that judge launches, as JSON: {"computePolicy": {...}, "launchWatch": {"responses": {...}, "dryRun": true}};\n'
  + '    fields not given keep the construct\'s defaults.';

/** The settings of a policy file holding MiningGuard's props: `computePolicy`, and `launchWatch`'s responses and dry run. */
function settingsOf(props: unknown): ReturnType<typeof resolveLaunchSettings> {
  if (props === null || typeof props !== 'object' || Array.isArray(props)) {
    throw new Error('the policy file must hold a JSON object: {"computePolicy": {...}, "launchWatch": {...}}');
  }
  const { computePolicy, launchWatch, ...rest } = props as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new Error(`the policy file has ${unknown.join(', ')}: only computePolicy and launchWatch judge launches`);
  const { responses, dryRun, ...other } = (launchWatch ?? {}) as Record<string, unknown>;
  if (Object.keys(other).length > 0) throw new Error(`launchWatch has ${Object.keys(other).join(', ')}: replay reads only responses and dryRun`);
  return resolveLaunchSettings({ computePolicy, responses, dryRun });
}

/** Where the command reads and writes: the process's, or a test's. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly readFile: (path: string) => Buffer;
}

const PROCESS_IO: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  readFile: (path) => readFileSync(path),
};

function main(argv: readonly string[], io: CliIo): number {
  const [command, ...rest] = argv;
  if (command !== 'replay') {
    io.err(`${USAGE}\n`);
    return command === '--help' || command === '-h' ? 0 : 2;
  }
  let policyFile: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--policy') policyFile = rest[++i];
    else files.push(rest[i]);
  }
  if (files.length === 0 || (rest.includes('--policy') && !policyFile)) {
    io.err(`${USAGE}\n`);
    return 2;
  }
  const settings = policyFile ? settingsOf(JSON.parse(io.readFile(policyFile).toString('utf8'))) : resolveLaunchSettings({});
  function* records(): Generator<unknown> {
    for (const file of files) {
      yield* recordsOfLogFile(file, io.readFile(file), (part) => io.err(`skipped ${part.where}: ${part.reason}\n`));
    }
  }
  const summary = replay(records(), settings, bundledSpec, (line) => io.out(`${JSON.stringify(line)}\n`));
  io.out(`${JSON.stringify(summary)}\n`);
  return 0;
}

/** Runs the command and returns its exit status: 0 done, 1 failed (the reason on stderr), 2 wrong usage. */
export function run(argv: readonly string[], io: CliIo = PROCESS_IO): number {
  try {
    return main(argv, io);
  } catch (error) {
    io.err(`mining-guard: ${(error as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = run(process.argv.slice(2));

/**
 * How much MiningGuard adds to `cdk synth`: the wall time of synthesizing examples/basic against an app with one
 * empty stack, both through the CDK CLI, alternated over several runs in this one invocation. Prints the medians
 * and their ratio (target: at most 1.25), and the milliseconds the guard adds with and without aws-cdk-lib's
 * built-in template validation (`cdk synth --no-validation`), so the validation's share of them shows.
 * Run with `npx projen bench:synth` after `npx projen bundle`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET = 1.25;
const EMPTY = 'bench/empty-app.ts';
const BASIC = 'examples/basic/app.ts';

function synthMillis(app: string, extraArgs: string[] = []): number {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mining-guard-bench-'));
  const started = process.hrtime.bigint();
  const result = spawnSync(path.join(ROOT, 'node_modules/.bin/cdk'), ['synth', '--no-notices', '--quiet', ...extraArgs, '--app', `npx tsx ${app}`, '-o', out], {
    cwd: ROOT,
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
    encoding: 'utf8',
  });
  const millis = Number(process.hrtime.bigint() - started) / 1e6;
  fs.rmSync(out, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`cdk synth of ${app} failed:\n${result.stderr}`);
  return millis;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const series = {
  empty: [] as number[],
  basic: [] as number[],
  emptyUnvalidated: [] as number[],
  basicUnvalidated: [] as number[],
};
// Warm the file system cache and tsx's compile cache.
synthMillis(EMPTY);
synthMillis(BASIC);
for (let i = 0; i < RUNS; i++) {
  // Alternate, so drift in the machine's load falls on every series alike.
  series.empty.push(synthMillis(EMPTY));
  series.basic.push(synthMillis(BASIC));
  series.emptyUnvalidated.push(synthMillis(EMPTY, ['--no-validation']));
  series.basicUnvalidated.push(synthMillis(BASIC, ['--no-validation']));
}
const ms = (values: number[]) => Math.round(median(values));
const ratio = median(series.basic) / median(series.empty);
console.log(JSON.stringify({
  runs: RUNS,
  emptyStackMedianMs: ms(series.empty),
  basicExampleMedianMs: ms(series.basic),
  ratio: Number(ratio.toFixed(3)),
  target: TARGET,
  withinTarget: ratio <= TARGET,
  // What the guard adds, with and without the built-in validation: the difference is the validation of its template.
  addedMs: ms(series.basic) - ms(series.empty),
  addedWithoutTemplateValidationMs: ms(series.basicUnvalidated) - ms(series.emptyUnvalidated),
}));

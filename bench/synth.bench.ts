/**
 * How much MiningGuard adds to `cdk synth`: the wall time of synthesizing examples/basic against an app with one
 * empty stack, both through the CDK CLI, alternated over several runs in this one invocation. Prints the medians
 * and their ratio (target: at most 1.25). Run with `npx projen bench:synth` after `npx projen bundle`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET = 1.25;

function synthMillis(app: string): number {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mining-guard-bench-'));
  const started = process.hrtime.bigint();
  const result = spawnSync(path.join(ROOT, 'node_modules/.bin/cdk'), ['synth', '--no-notices', '--quiet', '--app', `npx tsx ${app}`, '-o', out], {
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

const baseline: number[] = [];
const guard: number[] = [];
synthMillis('bench/empty-app.ts'); // warm the file system cache and tsx's compile cache
for (let i = 0; i < RUNS; i++) {
  // Alternate, so drift in the machine's load falls on both sides.
  baseline.push(synthMillis('bench/empty-app.ts'));
  guard.push(synthMillis('examples/basic/app.ts'));
}
const ratio = median(guard) / median(baseline);
console.log(JSON.stringify({
  runs: RUNS,
  emptyStackMedianMs: Math.round(median(baseline)),
  basicExampleMedianMs: Math.round(median(guard)),
  ratio: Number(ratio.toFixed(3)),
  target: TARGET,
  withinTarget: ratio <= TARGET,
}));

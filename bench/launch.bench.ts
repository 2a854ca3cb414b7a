/**
 * LaunchWatch's figures, each against a baseline measured in this same run:
 * - events per second of the pure evaluator on the public fixture logs (target: at least 20,000/s on one core),
 *   against a loop that only reads each record;
 * - each handler's minified bundle size: the entry file that a cold start loads, and all chunks;
 * - each handler's cold module load against a bare `node -e 0` (target: at most 2.0 for the notify path).
 * Run with `npx projen bench:launch` after `npx projen bundle`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readRecord } from '../lambda/core/events/cloudtrail-record';
import { bundledSpec } from '../lambda/core/launch/bundled-specs';
import { judgeLaunch } from '../lambda/core/launch/judge-launch';
import { recordsOfLogFile } from '../lambda/core/launch/read-log-file';
import { resolveLaunchSettings } from '../lib/catalog';

const ROOT = path.join(__dirname, '..');
const FIXTURES = path.join(ROOT, 'test/fixtures/cloudtrail');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function eventsPerSecond(records: unknown[], work: (r: unknown) => unknown): number {
  const passes = 5;
  const started = process.hrtime.bigint();
  for (let p = 0; p < passes; p++) for (const r of records) work(r);
  return (records.length * passes) / (Number(process.hrtime.bigint() - started) / 1e9);
}

function throughput(): object {
  const files = ['attack/invictus_stratus_2023-07-10.jsonl', 'attack/stratus_detonation_logs.jsonl', 'benign/invictus_terraform_setup_teardown.jsonl', 'benign/invictus_aws_service_background.jsonl'];
  const records = files.flatMap((f) => recordsOfLogFile(f, fs.readFileSync(path.join(FIXTURES, f)), () => undefined));
  const policy = resolveLaunchSettings({});
  const now = new Date();
  eventsPerSecond(records, (r) => judgeLaunch(r, policy, bundledSpec, now)); // warm-up
  const baseline = eventsPerSecond(records, readRecord);
  const evaluator = eventsPerSecond(records, (r) => judgeLaunch(r, policy, bundledSpec, now));
  return {
    events: records.length,
    evaluatorPerSecond: Math.round(evaluator),
    readOnlyBaselinePerSecond: Math.round(baseline),
    ratioToBaseline: Number((evaluator / baseline).toFixed(3)),
    target: 20_000,
    withinTarget: evaluator >= 20_000,
  };
}

function bundleSizes(handler: string): object {
  const dir = path.join(ROOT, 'assets/lambda', `${handler}.lambda`);
  const files = fs.readdirSync(dir);
  const total = files.reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0);
  return { entryBytes: fs.statSync(path.join(dir, 'index.mjs')).size, allChunksBytes: total, files: files.length };
}

function wallMillis(args: string[], env: NodeJS.ProcessEnv = {}): number {
  const started = process.hrtime.bigint();
  const out = spawnSync(process.execPath, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(out.stderr);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function coldLoad(handler: string): object {
  const entry = path.join(ROOT, 'assets/lambda', `${handler}.lambda`, 'index.mjs');
  const bare: number[] = [];
  const load: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(wallMillis(['-e', '0']));
    load.push(wallMillis(['--input-type=module', '-e', `await import(${JSON.stringify(entry)})`], { ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:x' }));
  }
  const ratio = median(load) / median(bare);
  return {
    bareNodeMedianMs: Math.round(median(bare)),
    moduleLoadMedianMs: Math.round(median(load)),
    ratio: Number(ratio.toFixed(3)),
    target: 2.0,
    withinTarget: ratio <= 2.0,
  };
}

console.log(JSON.stringify({ throughput: throughput() }));
for (const handler of ['notifier', 'launch-evaluator']) {
  console.log(JSON.stringify({ handler, bundle: bundleSizes(handler), coldLoad: coldLoad(handler) }));
}

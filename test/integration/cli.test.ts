/**
 * The `mining-guard` command as the package ships it: the bundle the build writes, run by Node with no sources beside
 * it. The build bundles before it tests; alone, run `npx projen bundle` first.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fixturePath } from '../fixtures/real-events';
import { REPO_ROOT } from '../harness/paths';

const packageJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const BIN = path.join(REPO_ROOT, packageJson.bin['mining-guard']);

function shipped(args: string[]): { status: number | null; stdout: string; stderr: string } {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npx projen bundle\` (the build does it before the tests)`);
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: REPO_ROOT });
}

describe('the shipped mining-guard command', () => {
  test('replays a public attack log and prints the flagged calls and a summary', () => {
    const { status, stdout } = shipped(['replay', fixturePath('cloudtrail/attack/invictus_stratus_2023-07-10.jsonl')]);
    expect(status).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[lines.length - 1]).toMatchObject({ summary: true, events: 2900, flagged: lines.length - 1 });
    expect(lines[0]).toMatchObject({ eventName: 'RunInstances', detection: 'ec2-instance-launch' });
  });

  test('exits 2 with the usage when called wrongly', () => {
    const { status, stderr, stdout } = shipped([]);
    expect(status).toBe(2);
    expect(stderr).toMatch(/^usage: mining-guard replay/);
    expect(stdout).toBe('');
  });
});

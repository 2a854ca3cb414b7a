/**
 * The `mining-guard` command as the package ships it: the bundle the build writes, run by Node with no sources beside
 * it. The build bundles before it tests; alone, run `npx projen bundle` first.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { fixturePath, readJsonLines } from '../fixtures/real-events';
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
    expect(lines).toContainEqual(expect.objectContaining({ eventName: 'RunInstances', detection: 'ec2-instance-launch' }));
  });

  test('flags every in-scope Stratus Red Team technique, with the judges of the deployed notifier and launch evaluator', () => {
    const { status, stdout } = shipped(['replay', fixturePath('cloudtrail/attack/stratus_detonation_logs.jsonl')]);
    expect(status).toBe(0);
    const techniques = new Map(readJsonLines('cloudtrail/attack/stratus_detonation_logs.index.jsonl').map((i) => [i.eventID as string, i.technique as string]));
    const flagged = new Set(stdout.trim().split('\n').map((l) => techniques.get((JSON.parse(l) as { eventID?: string }).eventID ?? '')));
    // The techniques "the Stratus Red Team detonations this guard covers" (judge-cloudtrail.test.ts), and the launch.
    for (const technique of [
      'aws.defense-evasion.cloudtrail-stop', 'aws.defense-evasion.cloudtrail-delete', 'aws.defense-evasion.cloudtrail-event-selectors',
      'aws.defense-evasion.organizations-leave', 'aws.defense-evasion.vpc-remove-flow-logs', 'aws.defense-evasion.dns-delete-logs',
      'aws.initial-access.console-login-without-mfa', 'aws.persistence.iam-backdoor-user', 'aws.persistence.iam-create-admin-user',
      'aws.persistence.iam-create-backdoor-role', 'aws.persistence.iam-backdoor-role', 'aws.persistence.iam-create-user-login-profile',
      'aws.privilege-escalation.iam-update-user-login-profile', 'aws.persistence.sts-federation-token', 'aws.execution.ec2-launch-unusual-instances',
    ]) expect([technique, flagged.has(technique)]).toEqual([technique, true]);
  });

  test('flags nothing in the AWS-service background activity', () => {
    const { status, stdout } = shipped(['replay', fixturePath('cloudtrail/benign/invictus_aws_service_background.jsonl')]);
    expect(status).toBe(0);
    expect(stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ summary: true, events: 353, flagged: 0, unreadableFiles: 0, unreadableRecords: 0 }),
    ]);
  });

  test('on a folder holding a gzip cut short, a folder with no log and a deeply nested file, counts them in the summary and exits 3', () => {
    // GIVEN
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mining-guard-replay-'));
    try {
      const whole = gzipSync(fs.readFileSync(fixturePath('cloudtrail/attack/stratus_detonation_logs.jsonl')));
      fs.writeFileSync(path.join(dir, 'cut.json.gz'), whole.subarray(0, 100));
      fs.mkdirSync(path.join(dir, 'older'));
      fs.writeFileSync(path.join(dir, 'deep.json'), `${'['.repeat(20000)}1${']'.repeat(20000)}`);
      fs.copyFileSync(fixturePath('cloudtrail/attack/stratus_detonation_logs.jsonl'), path.join(dir, 'stratus.jsonl'));
      // WHEN
      const { status, stdout, stderr } = shipped(['replay', ...fs.readdirSync(dir).sort().map((f) => path.join(dir, f))]);
      // THEN
      expect(status).toBe(3);
      const summary = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
      expect(summary).toMatchObject({ summary: true, events: 1 + 310, unreadableFiles: 1, unreadableRecords: 1 });
      expect(stderr).toContain(`skipped ${path.join(dir, 'cut.json.gz')}: not a readable gzip file`);
      expect(stderr).not.toContain(path.join(dir, 'older'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('reads an organization trail\'s folder as delivered to S3 and counts each account', () => {
    // GIVEN the lab account's public log in its member-account folder of an organization trail, gzipped
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mining-guard-org-'));
    try {
      const folder = path.join(dir, 'AWSLogs', 'o-a1b2c3d4e5', '123837392027', 'CloudTrail', 'us-east-1', '2023', '07', '10');
      fs.mkdirSync(folder, { recursive: true });
      const records = readJsonLines('cloudtrail/attack/invictus_stratus_2023-07-10.jsonl');
      fs.writeFileSync(path.join(folder, '123837392027_CloudTrail_us-east-1_20230710T1200Z_a1.json.gz'), gzipSync(JSON.stringify({ Records: records })));
      // WHEN
      const { status, stdout } = shipped(['replay', dir]);
      // THEN
      expect(status).toBe(0);
      const summary = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
      expect(summary).toMatchObject({ events: 2900 });
      expect(summary.byAccount).toEqual({ 123837392027: expect.objectContaining({ events: 2900, flagged: summary.flagged }) });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('exits 2 with the usage when called wrongly', () => {
    const { status, stderr, stdout } = shipped([]);
    expect(status).toBe(2);
    expect(stderr).toMatch(/^usage: mining-guard replay/);
    expect(stdout).toBe('');
  });
});

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { CliIo, run, runCommand } from '../../../lambda/cli/mining-guard-cli';
import type { ComputePolicy } from '../../../lib';
import { FAMILY_CASES, PRINCIPAL_CASES, userIdentityOf } from '../../fixtures/compute-policy-cases';
import { cloudTrailRecord, createTrainingJob, runInstances } from '../../fixtures/documented-cloudtrail';
import { fixturePath, readJsonLines } from '../../fixtures/real-events';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mining-guard-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the command in-process with files of this test, and returns its exit status and what it printed. */
function cli(argv: string[]): { status: number; lines: Array<Record<string, unknown>>; stderr: string } {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    out: (t) => { stdout += t; },
    err: (t) => { stderr += t; },
    readFile: (p) => fs.readFileSync(p),
    listFolder: (p) => fs.readdirSync(p, { withFileTypes: true }).map((e) => ({ name: e.name, folder: e.isDirectory() })),
  };
  const status = run(argv, io);
  return { status, lines: stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>), stderr };
}

let written = 0;
function file(contents: unknown, ext = '.json'): string {
  const name = path.join(dir, `f${written++}${ext}`);
  fs.writeFileSync(name, typeof contents === 'string' ? contents : JSON.stringify(contents));
  return name;
}

function policyFile(computePolicy: ComputePolicy, launchWatch?: object): string {
  return file({ computePolicy, ...(launchWatch ? { launchWatch } : {}) });
}

describe('mining-guard replay', () => {
  test('judges a delivered log file and prints one line per flagged call, then the summary', () => {
    // GIVEN the public attack log, with its GPU launches refused for the vCPU limit
    const log = fixturePath('cloudtrail/attack/invictus_stratus_2023-07-10.jsonl');
    // WHEN
    const { status, lines } = cli(['replay', log]);
    // THEN
    expect(status).toBe(0);
    const summary = lines[lines.length - 1];
    expect(summary).toMatchObject({ summary: true, events: 2900 });
    expect(lines.slice(0, -1).length).toBe(summary.flagged);
    expect(lines.some((l) => l.detection === 'ec2-instance-launch' && String(l.reason).includes('p2.xlarge is in the denied family p'))).toBe(true);
  });

  test('reads the responses and dry run from the launchWatch props, and says what containment would do', () => {
    const policy = policyFile({}, { responses: { 'ec2-instance-launch': 'STOP' }, dryRun: true });
    const { lines } = cli(['replay', '--policy', policy, file(runInstances('p3.2xlarge', 2, ['i-0aaa', 'i-0bbb']))]);
    expect(lines[0].wouldDo).toBe('notify; stop 2 instances: i-0aaa, i-0bbb (turning off stop/termination protection first) (dry run)');
  });

  test.each<[string, unknown, RegExp]>([
    ['a policy that is not an object', [1], /^mining-guard: the policy file must hold a JSON object/],
    ['launch props at the top level', { maxVcpusPerCall: 4 }, /^mining-guard: the policy file has maxVcpusPerCall: only computePolicy, launchWatch, guardContext judge calls/],
    ['a count written as text', { computePolicy: { maxRunningVcpus: '64' } },
      /^mining-guard: computePolicy\.maxRunningVcpus must be a whole number above 0, got "64"\. Write e\.g\. maxRunningVcpus: 128\./],
    ['a list written as text', { computePolicy: { allowedRegions: 'eu-west-1' } }, /^mining-guard: computePolicy\.allowedRegions must be a list of strings, got "eu-west-1"/],
    ['dry run written as text', { launchWatch: { dryRun: 'yes' } }, /^mining-guard: dryRun must be true or false, got "yes"\./],
    ['launchWatch that is not an object', { launchWatch: 'STOP' }, /^mining-guard: launchWatch must be an object, e\.g\. \{"responses"/],
    ['guardContext that is not an object', { guardContext: ['MiningGuard-'] }, /^mining-guard: guardContext must be an object/],
    ['a guardContext field that is not a list of strings', { guardContext: { trailBuckets: 'trail-logs' } },
      /^mining-guard: guardContext\.trailBuckets must be a list of strings, got "trail-logs"\. Write e\.g\. trailBuckets: \["\.\.\."\]/],
    ['a guardContext field it does not have', { guardContext: { trailBucket: ['trail-logs'] } },
      /^mining-guard: guardContext\.trailBucket: the notifier reads no such field\. Copy the GUARD_CONTEXT environment variable/],
    ['a name every object inherits as a guardContext field', { guardContext: { constructor: ['x'] } }, /^mining-guard: guardContext\.constructor: the notifier reads no such field/],
    ['a field the policy does not have', { computePolicy: { maxVcpus: 4 } }, /^mining-guard: computePolicy\.maxVcpus: no such field\./],
    ['the construct\'s own message for a bad count', { computePolicy: { maxVcpusPerCall: 0 } },
      /^mining-guard: computePolicy\.maxVcpusPerCall must be a whole number above 0, got 0\. Write e\.g\. maxVcpusPerCall: 64\./],
    ['a response the detection does not allow', { launchWatch: { responses: { 'service-quota-increase': 'STOP' } } },
      /^mining-guard: responses: 'service-quota-increase' allows NOTIFY, not STOP\./],
    ['other launchWatch props', { launchWatch: { trailLogGroup: 'x' } }, /^mining-guard: launchWatch has trailLogGroup: replay reads only responses and dryRun/],
  ])('refuses %s with the same message as the construct, and status 1', (_name, props, message) => {
    const { status, stderr, lines } = cli(['replay', '--policy', file(props), file(runInstances('t3.micro', 1))]);
    expect(status).toBe(1);
    expect(stderr).toMatch(message);
    expect(lines).toEqual([]);
  });

  test('reads an organization trail\'s folder as delivered to S3, and reports each account', () => {
    // GIVEN the public lab account's log, and the Stratus records of another account, in the organization layout
    const root = path.join(dir, 'org-trail');
    const deliver = (account: string, records: unknown[]) => {
      const folder = path.join(root, 'AWSLogs', 'o-a1b2c3d4e5', account, 'CloudTrail', 'us-east-1', '2026', '11', '30');
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, `${account}_CloudTrail_us-east-1_20261130T0000Z_abc.json.gz`), gzipSync(JSON.stringify({ Records: records })));
    };
    const lab = readJsonLines('cloudtrail/attack/invictus_stratus_2023-07-10.jsonl');
    const stratus = readJsonLines('cloudtrail/attack/stratus_detonation_logs.jsonl').filter((r) => r.recipientAccountId === '056392974792');
    deliver('123837392027', lab);
    deliver('056392974792', [...stratus, lab[0]]); // one record of the lab account lies in the other's folder
    // WHEN
    const { status, lines, stderr } = cli(['replay', root]);
    // THEN
    expect(status).toBe(0);
    const summary = lines[lines.length - 1] as { byAccount: Record<string, { events: number; flagged: number; byDetection: object }> };
    expect(summary).toMatchObject({ events: lab.length + stratus.length + 1, misfiledRecords: 1 });
    expect(Object.keys(summary.byAccount)).toEqual(['056392974792', '123837392027']);
    expect(summary.byAccount['056392974792'].events).toBe(stratus.length);
    expect(summary.byAccount['123837392027'].events).toBe(lab.length + 1);
    expect(lines.slice(0, -1).every((l) => l.account === '056392974792' || l.account === '123837392027')).toBe(true);
    expect(stderr).toBe(`misfiled ${path.join(root, 'AWSLogs', 'o-a1b2c3d4e5', '056392974792', 'CloudTrail', 'us-east-1', '2026', '11', '30', '056392974792_CloudTrail_us-east-1_20261130T0000Z_abc.json.gz')}: `
      + 'lies in the folder of account 056392974792 but holds records (recipientAccountId) 1 of account 123837392027: each is counted under its own account\n');
  });

  test('wrong usage prints the usage and exits 2; --help exits 0', () => {
    expect(cli([]).status).toBe(2);
    expect(cli(['replay']).status).toBe(2);
    expect(cli(['replay', '--policy']).status).toBe(2);
    const help = cli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stderr).toMatch(/^usage: mining-guard replay \[--policy policy\.json\] FILE\|FOLDER\.\.\./);
  });

  test('a line that is not JSON is skipped and reported, the rest is judged, and the status says input was lost', () => {
    const log = file(`${JSON.stringify(runInstances('p4d.24xlarge', 4))}\nnot json\n`, '.jsonl');
    const { status, lines, stderr } = cli(['replay', log]);
    expect(status).toBe(3);
    expect(stderr).toMatch(new RegExp(`^skipped ${log.replace(/[.]/g, '\\.')}:2: `));
    expect(lines[lines.length - 1]).toMatchObject({ events: 1, flagged: 1, unreadableRecords: 1 });
  });

  test('a file that cannot be read is named in the summary and the other files are read, with status 3', () => {
    const whole = gzipSync(JSON.stringify({ Records: [runInstances('p4d.24xlarge', 1)] }));
    const cut = path.join(dir, 'cut.json.gz');
    fs.writeFileSync(cut, whole.subarray(0, 20));
    const { status, lines, stderr } = cli(['replay', cut, path.join(dir, 'missing.json'), file(runInstances('p4d.24xlarge', 4))]);
    expect(status).toBe(3);
    expect(stderr).toContain(`skipped ${cut}: not a readable gzip file`);
    expect(lines[lines.length - 1]).toMatchObject({ events: 1, flagged: 1, unreadableFiles: 2, unreadableRecords: 0 });
  });

  test('a policy file that is missing or not JSON fails with status 1 and says which', () => {
    expect(cli(['replay', '--policy', path.join(dir, 'nope.json'), file(runInstances('t3.micro', 1))])).toMatchObject({
      status: 1, stderr: expect.stringMatching(/^mining-guard: cannot read the policy file .*nope\.json: ENOENT/),
    });
    expect(cli(['replay', '--policy', file('{"computePolicy": '), file(runInstances('t3.micro', 1))])).toMatchObject({
      status: 1, stderr: expect.stringMatching(/^mining-guard: the policy file .* is not JSON: /),
    });
  });

  test('the guard\'s context from the policy file judges as the deployed notifier does', () => {
    // Documented shape: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
    const log = file(cloudTrailRecord('s3.amazonaws.com', 'PutBucketLifecycle', { bucketName: 'org-trail-logs', lifecycle: '' }));
    expect(cli(['replay', log]).lines).toEqual([expect.objectContaining({ flagged: 0 })]);
    const { status, lines } = cli(['replay', '--policy', file({ guardContext: { trailBuckets: ['org-trail-logs'] } }), log]);
    expect(status).toBe(0);
    expect(lines[0]).toMatchObject({ eventName: 'PutBucketLifecycle', detection: 'trail-bucket-tampering', wouldDo: 'notify', estimatedUsdPerHour: null });
  });

  test('takes every field the deployed notifier reads from GUARD_CONTEXT, optional ones included', () => {
    const context = { deployPrincipals: [], guardNamePrefixes: [], guardArns: [], trailBuckets: ['org-trail-logs'], guardedRegions: ['eu-west-1'] };
    expect(cli(['replay', '--policy', file({ guardContext: context }), file(runInstances('t3.micro', 1))]).status).toBe(0);
  });

  test('the usage documents the policy file\'s guardContext and every exit status', () => {
    const { stderr } = cli(['--help']);
    expect(stderr).toContain('guardContext');
    for (const status of ['0 every file and record was read and judged', '1 the command could not run', '2 wrong usage', '3 judged what could be read']) expect(stderr).toContain(status);
  });
});

describe('the compute policy case table, on the replay command', () => {
  test.each(FAMILY_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // GIVEN one small instance of the type, so only its family can flag it
    const record = c.instanceType.startsWith('ml.') ? createTrainingJob('job', c.instanceType, 1) : runInstances(c.instanceType, 1, ['i-0aaa']);
    // WHEN
    const { lines } = cli(['replay', '--policy', policyFile({ ...c.policy, maxVcpusPerCall: 1000 }), file(record)]);
    // THEN
    expect(lines.some((l) => String(l.reason).includes(`instance type ${c.instanceType} `))).toBe(!c.allowed);
  });

  test.each(PRINCIPAL_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const record = { ...runInstances('p5.48xlarge', 50, ['i-0aaa']), userIdentity: userIdentityOf(c) };
    const { lines } = cli(['replay', '--policy', policyFile({ exemptPrincipals: c.exemptPrincipals }), file(record)]);
    expect(lines[lines.length - 1]).toMatchObject({ selected: 1, flagged: c.exempt ? 0 : 1 });
  });
});

describe('mining-guard doctor, dispatched', () => {
  test('runCommand hands doctor its arguments: wrong usage exits 2 without calling AWS', async () => {
    let stderr = '';
    const io: CliIo = { out: () => undefined, err: (t) => { stderr += t; }, readFile: (p) => fs.readFileSync(p) };
    expect(await runCommand(['doctor', '--region'], io)).toBe(2);
    expect(stderr).toContain('usage: mining-guard doctor');
    expect(await runCommand(['--help'], io)).toBe(0);
  });
});

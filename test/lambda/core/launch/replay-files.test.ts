import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { bundledSpec } from '../../../../lambda/core/launch/bundled-specs';
import type { UnreadablePart } from '../../../../lambda/core/launch/read-log-file';
import { replay, ReplayLine } from '../../../../lambda/core/launch/replay';
import { LogFileSource, MAX_FOLDER_DEPTH, replayFiles, whyUnopened } from '../../../../lambda/core/launch/replay-files';
import { resolveLaunchSettings } from '../../../../lib/catalog';
import { runInstances } from '../../../fixtures/documented-cloudtrail';
import { fixturePath, readJsonLines } from '../../../fixtures/real-events';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-files-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Buffer | string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

const JUDGES = { settings: resolveLaunchSettings({}), specs: bundledSpec };
/** The file system as the command reads it, folders included. */
const FILE_SYSTEM: LogFileSource = {
  readFile: (p) => fs.readFileSync(p),
  listFolder: (p) => fs.readdirSync(p, { withFileTypes: true }).map((e) => ({ name: e.name, folder: e.isDirectory() })),
};

interface Replayed { lines: ReplayLine[]; heard: UnreadablePart[]; summary: ReturnType<typeof replayFiles> }

function replayed(files: string[], source: LogFileSource = { readFile: (p) => fs.readFileSync(p) }): Replayed {
  const lines: ReplayLine[] = [];
  const heard: UnreadablePart[] = [];
  const summary = replayFiles(files, source, JUDGES, (l) => lines.push(l), (u) => heard.push(u));
  return { lines, heard, summary };
}

/** Writes `records` as CloudTrail delivers a log file to S3: `{"Records": [...]}`, gzipped, at `key` under `root`. */
function deliver(root: string, key: string, records: readonly unknown[]): string {
  const file = path.join(root, ...key.split('/'));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, gzipSync(JSON.stringify({ Records: records })));
  return file;
}

const ORG = 'o-a1b2c3d4e5';
/** Real records of two accounts, chosen by their own recipientAccountId, and two from the CloudTrail documentation. */
const LAB = readJsonLines('cloudtrail/attack/invictus_stratus_2023-07-10.jsonl'); // all of account 123837392027
const STRATUS = readJsonLines('cloudtrail/attack/stratus_detonation_logs.jsonl').filter((r) => r.recipientAccountId === '017622104382');
const DOCS = readJsonLines('cloudtrail/benign/awsdocs_cloudtrail_examples.jsonl');
const DOCS_UNNAMED = DOCS.find((r) => r.eventName === 'ConsoleLogin' && r.recipientAccountId === undefined)!;
const DOCS_UPDATE_TRAIL = DOCS.find((r) => r.eventName === 'UpdateTrail')!; // of account 123456789012
const DOCS_NAMED = DOCS.filter((r) => r.recipientAccountId === '111122223333');

describe('replayFiles', () => {
  test('a folder holding a gzip cut short, a directory, an empty file and a 20,000-deep document: each counted and named, the good file judged', () => {
    // GIVEN
    const whole = gzipSync(Buffer.from(JSON.stringify({ Records: [runInstances('p4d.24xlarge', 1)] })));
    const cut = write('cut.json.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    const sub = path.join(dir, 'sub');
    fs.mkdirSync(sub);
    const empty = write('empty.json', '');
    const deep = write('deep.json', `${'{"Records":['.repeat(10000)}1${']}'.repeat(10000)}`);
    const good = write('good.json', JSON.stringify(runInstances('p4d.24xlarge', 2)));
    const missing = path.join(dir, 'missing.json');
    // WHEN
    const { lines, summary, heard } = replayed([cut, sub, empty, deep, missing, good]);
    // THEN
    expect(lines.map((l) => l.eventName)).toEqual(['RunInstances']);
    expect(summary).toMatchObject({ events: 2, flagged: 1, unreadableFiles: 4, unreadableRecords: 1 });
    expect(summary.unreadable).toEqual([
      { where: cut, reason: expect.stringMatching(/^not a readable gzip file: /), wholeFile: true },
      { where: sub, reason: `${sub} is a directory: name the files in it instead, e.g. ${sub}/*.json.gz`, wholeFile: true },
      { where: empty, reason: 'the file is empty', wholeFile: true },
      { where: `${deep} record 1`, reason: 'not a CloudTrail record (no eventName and eventSource)' },
      { where: missing, reason: 'no such file', wholeFile: true },
    ]);
    expect(heard).toEqual(summary.unreadable);
  });

  test('names each record by its file, and reads the files in the order given', () => {
    const log = fixturePath('cloudtrail/attack/stratus_detonation_logs.jsonl');
    const notes = write('notes.jsonl', `${JSON.stringify({ note: 'not a record' })}\nnot json\n`);
    const { summary } = replayed([notes, log]);
    expect(summary.events).toBe(1 + 310);
    expect(summary.unreadable.slice(0, 2)).toEqual([
      { where: `${notes}:2`, reason: expect.stringMatching(/JSON/) },
      { where: `${notes} record 1`, reason: 'not a CloudTrail record (no eventName and eventSource)' },
    ]);
  });
});

describe('replayFiles on the folders CloudTrail delivers to', () => {
  const root = path.join(dir, 'bucket');
  deliver(root, `AWSLogs/${ORG}/123837392027/CloudTrail/us-east-1/2023/07/10/123837392027_CloudTrail_us-east-1_20230710T1200Z_a1.json.gz`, LAB);
  // The record that names no account is counted under this folder's; the UpdateTrail record names another account.
  const stratus = deliver(root, `AWSLogs/${ORG}/017622104382/CloudTrail/us-east-1/2026/11/30/017622104382_CloudTrail_us-east-1_20261130T0000Z_abc.json.gz`,
    [...STRATUS, DOCS_UNNAMED, DOCS_UPDATE_TRAIL]);
  // A trail of one account, in the same bucket.
  deliver(root, 'AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/30/111122223333_CloudTrail_eu-west-1_20261130T0000Z_def.json.gz', DOCS_NAMED);
  // Neither is read: a digest folder (whose files hold no records) and a file that is no log.
  const digest = path.join(root, 'AWSLogs', ORG, '123837392027', 'CloudTrail-Digest', 'us-east-1', 'digest.json.gz');
  fs.mkdirSync(path.dirname(digest), { recursive: true });
  fs.writeFileSync(digest, 'not a log');
  fs.writeFileSync(path.join(root, 'README.txt'), 'synced from s3://org-trail-logs');

  const { lines, summary, heard } = replayed([root], FILE_SYSTEM);

  test('reads every log file of the organization layout and of the account layout, and nothing else', () => {
    expect(heard).toEqual([]);
    expect(summary).toMatchObject({ events: LAB.length + STRATUS.length + 2 + DOCS_NAMED.length, unreadableFiles: 0, unreadableRecords: 0 });
    expect(Object.keys(summary.byAccount)).toEqual(['017622104382', '111122223333', '123456789012', '123837392027']);
  });

  test('counts each account as the replay of its records alone does', () => {
    // GIVEN the same records replayed account by account
    const alone = (records: readonly unknown[]) => {
      const s = replay(records, JUDGES, () => undefined);
      return { events: s.events, selected: s.selected, flagged: s.flagged, byDetection: s.byDetection, flaggedUsdPerHour: s.flaggedUsdPerHour };
    };
    // THEN
    expect(summary.byAccount).toEqual({
      '017622104382': alone([...STRATUS, DOCS_UNNAMED]),
      '111122223333': alone(DOCS_NAMED),
      '123456789012': alone([DOCS_UPDATE_TRAIL]),
      '123837392027': alone(LAB),
    });
    expect(summary.byAccount['123837392027']).toMatchObject({ events: 2900, byDetection: expect.objectContaining({ 'ec2-instance-launch': 2, 'cloudtrail-tampering': 8 }) });
    expect(summary.byAccount['123456789012']).toEqual({ events: 1, selected: 1, flagged: 1, byDetection: { 'cloudtrail-tampering': 1 }, flaggedUsdPerHour: 0 });
    expect(summary.flagged).toBe(Object.values(summary.byAccount).reduce((n, a) => n + a.flagged, 0));
  });

  test('trusts the record\'s own account over its folder\'s, and names the file that holds another account\'s records', () => {
    expect(lines.find((l) => l.eventID === DOCS_UPDATE_TRAIL.eventID)).toMatchObject({ eventName: 'UpdateTrail', account: '123456789012' });
    expect(summary.misfiledRecords).toBe(1);
    expect(summary.misfiled).toEqual([{
      where: stratus,
      reason: 'lies in the folder of account 017622104382 but holds records (recipientAccountId) 1 of account 123456789012: each is counted under its own account',
    }]);
  });

  test('names the account of every flagged call', () => {
    const launches = lines.filter((l) => l.detection === 'ec2-instance-launch');
    expect(launches.length).toBeGreaterThan(0);
    expect(new Set(launches.map((l) => l.account))).toEqual(new Set(['123837392027']));
    expect(lines.filter((l) => !/^\d{12}$/.test(l.account))).toEqual([]);
  });

  test('records kept outside the delivery layout, with no recipientAccountId, are counted as unknown', () => {
    const file = write('unnamed.jsonl', `${JSON.stringify(DOCS_UNNAMED)}\n`);
    expect(replayed([file]).summary.byAccount).toEqual({ unknown: expect.objectContaining({ events: 1 }) });
  });

  test('a folder that cannot be listed, and one that loops, are named; the rest is read', () => {
    // GIVEN a source whose folder "loop" holds itself, and whose folder "locked" refuses to be listed
    const good = gzipSync(JSON.stringify({ Records: LAB }));
    const source: LogFileSource = {
      readFile: (p) => {
        if (p.endsWith('.json.gz')) return good;
        throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
      },
      listFolder: (p) => {
        if (p.endsWith('locked')) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
        return [{ name: 'loop', folder: true }];
      },
    };
    // WHEN
    const { summary: s } = replayed(['locked', 'loop', 'lab.json.gz'], source);
    // THEN
    expect(s.unreadable).toEqual([
      { where: 'locked', reason: 'not permitted to read it', wholeFile: true },
      { where: path.join('loop', ...Array<string>(MAX_FOLDER_DEPTH).fill('loop')), reason: `more than ${MAX_FOLDER_DEPTH} folders deep: a link that loops back? Name the folders to read instead`, wholeFile: true },
    ]);
    expect(s.events).toBe(2900);
  });
});

describe('whyUnopened', () => {
  test('says what to do about the common errors, and passes any other on', () => {
    expect(whyUnopened('logs/', Object.assign(new Error('EISDIR'), { code: 'EISDIR' }))).toBe('logs/ is a directory: name the files in it instead, e.g. logs/*.json.gz');
    expect(whyUnopened('x', Object.assign(new Error('EACCES'), { code: 'EACCES' }))).toBe('not permitted to read it');
    expect(whyUnopened('x', new Error('disk on fire'))).toBe('disk on fire');
    expect(whyUnopened('x', 'thrown text')).toBe('thrown text');
  });
});

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { bundledSpec } from '../../../../lambda/core/launch/bundled-specs';
import type { UnreadablePart } from '../../../../lambda/core/launch/read-log-file';
import type { ReplayLine } from '../../../../lambda/core/launch/replay';
import { replayFiles, whyUnopened } from '../../../../lambda/core/launch/replay-files';
import { resolveLaunchSettings } from '../../../../lib/catalog';
import { runInstances } from '../../../fixtures/documented-cloudtrail';
import { fixturePath } from '../../../fixtures/real-events';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-files-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Buffer | string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

function replayed(files: string[]): { lines: ReplayLine[]; heard: UnreadablePart[]; summary: ReturnType<typeof replayFiles> } {
  const lines: ReplayLine[] = [];
  const heard: UnreadablePart[] = [];
  const judges = { settings: resolveLaunchSettings({}), specs: bundledSpec };
  const summary = replayFiles(files, (p) => fs.readFileSync(p), judges, (l) => lines.push(l), (u) => heard.push(u));
  return { lines, heard, summary };
}

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

describe('whyUnopened', () => {
  test('says what to do about the common errors, and passes any other on', () => {
    expect(whyUnopened('logs/', Object.assign(new Error('EISDIR'), { code: 'EISDIR' }))).toBe('logs/ is a directory: name the files in it instead, e.g. logs/*.json.gz');
    expect(whyUnopened('x', Object.assign(new Error('EACCES'), { code: 'EACCES' }))).toBe('not permitted to read it');
    expect(whyUnopened('x', new Error('disk on fire'))).toBe('disk on fire');
    expect(whyUnopened('x', 'thrown text')).toBe('thrown text');
  });
});

import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import * as fc from 'fast-check';
import { recordsOfLogFile, UnreadablePart } from '../../../../lambda/core/launch/read-log-file';
import { eventBridgeEvent } from '../../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../../fixtures/real-events';

const FILE = 'cloudtrail/attack/stratus_detonation_logs.jsonl';
const BYTES = fs.readFileSync(path.join(__dirname, '../../../fixtures', FILE));
const RECORDS = readJsonLines(FILE);

function read(name: string, bytes: Buffer): { records: unknown[]; unreadable: UnreadablePart[] } {
  const unreadable: UnreadablePart[] = [];
  const records = recordsOfLogFile(name, bytes, (part) => unreadable.push(part));
  return { records, unreadable };
}

describe('recordsOfLogFile', () => {
  test('reads every record of the real Stratus JSON-lines file', () => {
    const { records, unreadable } = read(FILE, BYTES);
    expect(records).toHaveLength(310);
    expect(records).toEqual(RECORDS);
    expect(unreadable).toEqual([]);
  });

  test('reads the same records from the file gzipped', () => {
    expect(read('stratus.jsonl.gz', gzipSync(BYTES))).toEqual({ records: RECORDS, unreadable: [] });
  });

  test('reads the same records as CloudTrail delivers them to S3: one gzipped `{"Records": [...]}` document', () => {
    const delivered = gzipSync(Buffer.from(JSON.stringify({ Records: RECORDS })));
    expect(read('123456789012_CloudTrail_us-east-1_20240801T1205Z_abc.json.gz', delivered)).toEqual({ records: RECORDS, unreadable: [] });
  });

  test('reads a JSON array of EventBridge events, of S3 documents, or of records', () => {
    const [a, b, c] = RECORDS;
    const text = JSON.stringify([eventBridgeEvent(a), { Records: [b] }, c]);
    expect(read('mixed.json', Buffer.from(text)).records).toEqual([a, b, c]);
  });

  test('reads JSON lines of EventBridge events, with Windows line ends and blank lines', () => {
    const text = `${JSON.stringify(eventBridgeEvent(RECORDS[0]))}\r\n\r\n${JSON.stringify(eventBridgeEvent(RECORDS[1]))}\r\n`;
    expect(read('events.jsonl', Buffer.from(text))).toEqual({ records: [RECORDS[0], RECORDS[1]], unreadable: [] });
  });

  test('reports each line that is not JSON, by file and line number, and keeps the others', () => {
    // GIVEN a JSON-lines file whose second and fourth lines were cut
    const lines = RECORDS.slice(0, 4).map((r) => JSON.stringify(r));
    lines[1] = lines[1].slice(0, 40);
    lines[3] = 'not json';
    // WHEN
    const { records, unreadable } = read('cut.jsonl', Buffer.from(lines.join('\n')));
    // THEN
    expect(records).toEqual([RECORDS[0], RECORDS[2]]);
    expect(unreadable.map((u) => u.where)).toEqual(['cut.jsonl:2', 'cut.jsonl:4']);
    for (const u of unreadable) expect(u.reason).toMatch(/JSON/);
  });

  test('an empty file, or one of blank lines, is reported whole: a download that wrote nothing is not a quiet log', () => {
    for (const bytes of [Buffer.alloc(0), Buffer.from('\n \r\n'), gzipSync(Buffer.alloc(0))]) {
      expect(read('empty.json', bytes)).toEqual({ records: [], unreadable: [{ where: 'empty.json', reason: 'the file is empty', wholeFile: true }] });
    }
  });

  test('a document nested 20,000 deep is one value for the judge to refuse, not a crash', () => {
    const deep = `${'['.repeat(20000)}1${']'.repeat(20000)}\n${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}`;
    const { records, unreadable } = read('deep.jsonl', Buffer.from(deep));
    expect(records).toHaveLength(2);
    expect(unreadable).toEqual([]);
  });

  test('JSON that is no record is passed on for the judge to refuse', () => {
    expect(read('values.jsonl', Buffer.from('5\nnull\n"text"')).records).toEqual([5, null, 'text']);
  });

  test('any bytes without the gzip header are read or reported line by line, never thrown', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 500 }).filter((b) => !(b[0] === 0x1f && b[1] === 0x8b)).map((b) => Buffer.from(b)),
      fc.array(fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.string({ unit: 'binary', maxLength: 80 })), { maxLength: 20 })
        .map((lines) => Buffer.from(lines.join('\n'))),
    );
    fc.assert(fc.property(bytes, (b) => {
      const { records, unreadable } = read('any', b);
      expect(Array.isArray(records)).toBe(true);
      for (const u of unreadable) expect(u.where).toMatch(u.wholeFile ? /^any$/ : /^any:\d+$/);
    }), { numRuns: 300 });
  });

  test('a gzip file cut short is reported whole, and reading goes on', () => {
    // GIVEN a delivered file whose download stopped halfway
    const whole = gzipSync(Buffer.from(JSON.stringify({ Records: RECORDS })));
    // WHEN
    const { records, unreadable } = read('cut.json.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    // THEN
    expect(records).toEqual([]);
    expect(unreadable).toEqual([{ where: 'cut.json.gz', reason: expect.stringMatching(/^not a readable gzip file: /), wholeFile: true }]);
  });

  test('a document that starts with a UTF-8 byte-order mark is read as one document', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ Records: RECORDS }))]);
    expect(read('bom.json', withBom)).toEqual({ records: RECORDS, unreadable: [] });
  });
});

/** Reads the records of a CloudTrail log in any of the shapes people keep: S3 delivery files, JSON lines, EventBridge events. */
import { gunzipSync } from 'zlib';
import { recordsIn } from '../events/cloudtrail-record';

/** A file, line or record that cannot be read or judged; counted and reported, never fatal. */
export interface UnreadablePart {
  readonly where: string;
  readonly reason: string;
  /** Whether the whole file is lost (not gzip, empty), not one line of it. */
  readonly wholeFile?: true;
}

/**
 * Every record in a file's bytes: gunzipped when gzip-compressed, then read as one JSON document (`{"Records": [...]}`,
 * an array, an EventBridge event or a record) or, failing that, as JSON lines of any of those. A file that cannot be
 * gunzipped (cut short, corrupt) or holds nothing is reported whole, and the other files are still read.
 */
export function recordsOfLogFile(name: string, bytes: Buffer, unreadable: (part: UnreadablePart) => void): unknown[] {
  let text: string;
  try {
    text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (error) {
    unreadable({ where: name, reason: `not a readable gzip file: ${(error as Error).message}`, wholeFile: true });
    return [];
  }
  // Editors on some systems start a UTF-8 file with a byte-order mark, which JSON.parse refuses.
  text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    unreadable({ where: name, reason: 'the file is empty', wholeFile: true });
    return [];
  }
  try {
    const whole: unknown = JSON.parse(text);
    return Array.isArray(whole) ? whole.flatMap(recordsIn) : recordsIn(whole);
  } catch {
    const records: unknown[] = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        records.push(...recordsIn(JSON.parse(line)));
      } catch (error) {
        unreadable({ where: `${name}:${i + 1}`, reason: (error as Error).message });
      }
    });
    return records;
  }
}

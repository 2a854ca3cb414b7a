/** Replays log files one by one: a file that cannot be read is counted and named in the summary, and the others are read. */
import { recordsOfLogFile } from './read-log-file';
import type { UnreadablePart } from './read-log-file';
import { Replay, ReplayJudges, ReplayLine, ReplaySummary } from './replay';

/** Why a file could not be opened, in words a person can act on. */
export function whyUnopened(path: string, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EISDIR') return `${path} is a directory: name the files in it instead, e.g. ${path.replace(/\/$/, '')}/*.json.gz`;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'not permitted to read it';
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reads each file with `readFile` and judges its records, in the order given. A file that cannot be opened, is empty
 * or is a gzip cut short is reported whole; a line that is not JSON, or a record that cannot be judged, alone.
 */
export function replayFiles(
  files: readonly string[], readFile: (path: string) => Buffer, judges: ReplayJudges,
  onLine: (line: ReplayLine) => void, onUnreadable: (part: UnreadablePart) => void = () => undefined,
): ReplaySummary {
  const run = new Replay(judges, onLine, onUnreadable);
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = readFile(file);
    } catch (error) {
      run.unreadableFile({ where: file, reason: whyUnopened(file, error), wholeFile: true });
      continue;
    }
    const records = recordsOfLogFile(file, bytes, (part) => (part.wholeFile ? run.unreadableFile(part) : run.unreadableLine(part)));
    records.forEach((value, i) => run.judge(value, `${file} record ${i + 1}`));
  }
  return run.summary();
}

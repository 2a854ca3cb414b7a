/**
 * Replays log files one by one, and the log files of folders as CloudTrail delivers them to S3: a file that cannot be
 * read is counted and named in the summary, and the others are read.
 */
import { join } from 'path';
import { accountOfLogPath } from './log-account';
import { recordsOfLogFile } from './read-log-file';
import type { UnreadablePart } from './read-log-file';
import { Replay, ReplayJudges, ReplayLine, ReplaySummary } from './replay';

/** One name in a folder, and whether it is a folder itself. */
export interface FolderEntry {
  readonly name: string;
  readonly folder: boolean;
}

/** Where the replay reads: the process's file system, or a test's. */
export interface LogFileSource {
  /** The bytes of a file; throws as `fs.readFileSync` does, with `code` `EISDIR` for a folder. */
  readonly readFile: (path: string) => Buffer;
  /** What a folder holds; without it, a folder is reported as unreadable. */
  readonly listFolder?: (path: string) => readonly FolderEntry[];
}

/** The names of the log files a folder's walk reads: CloudTrail's `.json.gz`, and the shapes `readFile` takes. */
const LOG_FILE = /\.jsonl?(\.gz)?$/i;

/** CloudTrail's digest files sit beside the logs and hold no records. */
const DIGEST_FOLDER = 'CloudTrail-Digest';

/**
 * How deep a folder's walk goes: an organization trail's files lie 8 folders below `AWSLogs`; deeper is a link that
 * loops back.
 */
export const MAX_FOLDER_DEPTH = 32;

/** Why a file could not be opened, in words a person can act on. */
export function whyUnopened(path: string, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EISDIR') return `${path} is a directory: name the files in it instead, e.g. ${path.replace(/\/$/, '')}/*.json.gz`;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'not permitted to read it';
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reads each path with `source` and judges its records, in the order given. A folder is walked, its names in
 * order, reading every `.json`, `.json.gz`, `.jsonl` and `.jsonl.gz` file in it and in its folders but
 * `CloudTrail-Digest`. A file that cannot be opened, is empty or is a gzip cut short is reported whole; a line that is
 * not JSON, or a record that cannot be judged, alone. Each record is counted under its account (see `log-account.ts`),
 * and a file whose records name another account than its folder is named in the summary's `misfiled`.
 */
export function replayFiles(
  paths: readonly string[], source: LogFileSource, judges: ReplayJudges,
  onLine: (line: ReplayLine) => void, onUnreadable: (part: UnreadablePart) => void = () => undefined,
): ReplaySummary {
  const run = new Replay(judges, onLine, onUnreadable);

  const replayFile = (file: string, bytes: Buffer): void => {
    const folderAccount = accountOfLogPath(file);
    const elsewhere = new Map<string, number>();
    const records = recordsOfLogFile(file, bytes, (part) => (part.wholeFile ? run.unreadableFile(part) : run.unreadableLine(part)));
    records.forEach((value, i) => {
      const account = run.judge(value, `${file} record ${i + 1}`, folderAccount);
      if (folderAccount !== undefined && account !== folderAccount) elsewhere.set(account, (elsewhere.get(account) ?? 0) + 1);
    });
    if (elsewhere.size === 0) return;
    const whose = [...elsewhere].map(([account, n]) => `${n} of account ${account}`).join(', ');
    const count = [...elsewhere.values()].reduce((a, b) => a + b, 0);
    run.misfiledFile({
      where: file,
      reason: `lies in the folder of account ${folderAccount} but holds records (recipientAccountId) ${whose}: each is counted under its own account`,
    }, count);
  };

  const replayPath = (path: string, depth: number): void => {
    let bytes: Buffer;
    try {
      bytes = source.readFile(path);
    } catch (error) {
      const isFolder = (error as { code?: unknown } | null)?.code === 'EISDIR';
      if (isFolder && source.listFolder) return replayFolder(path, depth);
      return run.unreadableFile({ where: path, reason: whyUnopened(path, error), wholeFile: true });
    }
    replayFile(path, bytes);
  };

  const replayFolder = (folder: string, depth: number): void => {
    if (depth >= MAX_FOLDER_DEPTH) {
      return run.unreadableFile({ where: folder, reason: `more than ${MAX_FOLDER_DEPTH} folders deep: a link that loops back? Name the folders to read instead`, wholeFile: true });
    }
    let entries: readonly FolderEntry[];
    try {
      entries = source.listFolder!(folder);
    } catch (error) {
      return run.unreadableFile({ where: folder, reason: whyUnopened(folder, error), wholeFile: true });
    }
    for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(folder, entry.name);
      if (entry.folder && entry.name !== DIGEST_FOLDER) replayFolder(path, depth + 1);
      else if (!entry.folder && LOG_FILE.test(entry.name)) replayPath(path, depth + 1);
    }
  };

  for (const path of paths) replayPath(path, 0);
  return run.summary();
}

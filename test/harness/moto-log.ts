/** Reads moto_server's log to explain an HTTP 500: moto writes the Python traceback only there, never in the response. */
import * as fs from 'fs';

/** The log named by MOTO_LOG_FILE, which the global setup sets when it starts the server. */
function logFile(): string | undefined {
  const file = process.env.MOTO_LOG_FILE;
  return file && fs.existsSync(file) ? file : undefined;
}

/** The log's current length: take it before a request so that only that request's traceback is read back. */
export function motoLogOffset(): number {
  const file = logFile();
  return file ? fs.statSync(file).size : 0;
}

/**
 * Summarises the first traceback written after `offset`, e.g.
 * `KeyError: 'BucketName' (moto/s3/models.py:1607 in update_from_cloudformation_json)`.
 *
 * Waits for it, up to ten seconds on a loaded machine, because the server answers the 500 before it logs the
 * traceback. Workers share the server, so under concurrent failures this may be another test's: a hint, not proof.
 */
export async function motoTracebackSince(offset: number, waitMs = 10_000): Promise<string | undefined> {
  const file = logFile();
  if (!file) return undefined;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const summary = summarise(readFrom(file, offset));
    if (summary || Date.now() >= deadline) return summary;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function readFrom(file: string, offset: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const length = Math.max(0, fs.fstatSync(fd).size - offset);
    const buffer = Buffer.alloc(length);
    fs.readSync(fd, buffer, 0, length, offset);
    return buffer.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** Returns the exception line of the first complete traceback, with the innermost moto frame. */
function summarise(text: string): string | undefined {
  const lines = text.split('\n');
  const start = lines.indexOf('Traceback (most recent call last):');
  if (start < 0) return undefined;
  let frame: string | undefined;
  for (const line of lines.slice(start + 1)) {
    const file = /^ {2}File ".*\/site-packages\/(moto\/[^"]+)", line (\d+), in (\S+)/.exec(line);
    if (file) {
      frame = `${file[1]}:${file[2]} in ${file[3]}`;
    } else if (line.length > 0 && !line.startsWith(' ')) {
      return frame ? `${line} (${frame})` : line;
    }
  }
  return undefined;
}

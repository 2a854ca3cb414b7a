/** Remembers which moto_server the global setup started, so the teardown stops that one and never an external server. */
import * as fs from 'fs';
import * as path from 'path';
import { OUT_DIR } from './paths';

/** Written for people cleaning up after an interrupted run; the teardown itself trusts only the in-process record. */
export const MOTO_PID_FILE = path.join(OUT_DIR, 'moto.pid');

// jest runs globalSetup and globalTeardown in the same process but loads modules afresh for each, so only globalThis survives.
const KEY = Symbol.for('mining-guard.test-harness.moto-pid');
type Holder = { [KEY]?: number };

export function rememberStartedMoto(pid: number): void {
  (globalThis as Holder)[KEY] = pid;
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(MOTO_PID_FILE, `${pid}\n`);
}

/** Returns the pid recorded by {@link rememberStartedMoto} in this process, clearing the record. */
export function forgetStartedMoto(): number | undefined {
  const holder = globalThis as Holder;
  const pid = holder[KEY];
  delete holder[KEY];
  if (pid !== undefined && readPidFile() === pid) {
    fs.rmSync(MOTO_PID_FILE, { force: true });
  }
  return pid;
}

function readPidFile(): number | undefined {
  try {
    return Number(fs.readFileSync(MOTO_PID_FILE, 'utf8').trim());
  } catch {
    return undefined;
  }
}

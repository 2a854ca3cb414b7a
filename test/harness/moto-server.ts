/** Starts and stops the local moto_server process that stands in for AWS during the tests. */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { requirePythonTool } from './python-tools';

/** moto_server with DynamoDB transactions that back up only the items they touch (see the script's docstring). */
const LEAN_TRANSACTIONS = path.join(__dirname, 'moto_lean_transactions.py');

export interface MotoServer {
  readonly endpoint: string;
  readonly pid: number;
}

export interface StartMotoServerOptions {
  /** File that receives the server's stdout and stderr. */
  readonly logFile: string;
  /** How long to wait for the server to answer. */
  readonly readyTimeoutMs?: number;
}

/** Asks the kernel for an unused loopback port, so parallel runs on one machine do not collide. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('could not read the probe port'))));
    });
  });
}

export async function startMotoServer(options: StartMotoServerOptions): Promise<MotoServer> {
  // Checked for its install message; started through the wrapper that keeps DynamoDB transactions fast.
  requirePythonTool('moto_server');
  const python = requirePythonTool('python3');
  const port = await findFreePort();
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.openSync(options.logFile, 'w');
  // No stdin, and left in jest's process group so that Ctrl-C in a terminal stops it along with jest.
  const child = spawn(python, [LEAN_TRANSACTIONS, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  child.unref();
  if (child.pid === undefined) {
    throw new Error(`moto_server did not start; see ${options.logFile}`);
  }

  let exited: string | undefined;
  child.on('exit', (code, signal) => {
    exited = `exited with ${signal ?? `code ${code}`}`;
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (exited) {
      throw new Error(`moto_server ${exited} before answering:\n${tail(options.logFile)}`);
    }
    if (await answers(`${endpoint}/moto-api/`)) {
      return { endpoint, pid: child.pid };
    }
    await sleep(200);
  }
  stopMotoServer(child.pid);
  throw new Error(`moto_server did not answer on ${endpoint} within ${options.readyTimeoutMs ?? 30_000} ms:\n${tail(options.logFile)}`);
}

export function stopMotoServer(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone: nothing to stop
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** jest global setup: starts (or reuses) the local moto server and synthesizes every example app once for all test files. */
import * as path from 'path';
import { exampleNames } from './examples';
import { rememberStartedMoto } from './moto-process';
import { startMotoServer, stopMotoServer } from './moto-server';
import { OUT_DIR } from './paths';
import { synthExamples } from './synth-examples';

export default async function globalSetup(): Promise<void> {
  const startedPid = await provideMoto();
  try {
    await synthExamples(exampleNames());
  } catch (error) {
    // jest skips the teardown when setup throws, so stop the server here or it outlives the run.
    if (startedPid !== undefined) stopMotoServer(startedPid);
    throw error;
  }
}

/** Resolves to the pid of a server started here, or undefined when an external MOTO_ENDPOINT is reused. */
async function provideMoto(): Promise<number | undefined> {
  const external = process.env.MOTO_ENDPOINT;
  if (external) {
    await assertAnswers(external);
    return undefined;
  }
  const logFile = path.join(OUT_DIR, 'moto.log');
  const server = await startMotoServer({ logFile });
  // Test workers are forked after global setup and inherit this environment.
  process.env.MOTO_ENDPOINT = server.endpoint;
  // Read by motoTracebackSince(): moto explains its HTTP 500s only in this log.
  process.env.MOTO_LOG_FILE = logFile;
  rememberStartedMoto(server.pid);
  return server.pid;
}

async function assertAnswers(endpoint: string): Promise<void> {
  try {
    const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
    if (response.ok) return;
    throw new Error(`HTTP ${response.status}`);
  } catch (error) {
    throw new Error(`MOTO_ENDPOINT is set to ${endpoint}, but no moto server answers there (${(error as Error).message}); unset it to let the tests start their own`);
  }
}

/** jest global teardown: stops the moto server that the global setup started, leaving an external one running. */
import { forgetStartedMoto } from './moto-process';
import { stopMotoServer } from './moto-server';

export default async function globalTeardown(): Promise<void> {
  const pid = forgetStartedMoto();
  if (pid === undefined) return;
  stopMotoServer(pid);
  // In watch mode the next run's setup would otherwise mistake the stopped server for an external one.
  delete process.env.MOTO_ENDPOINT;
  delete process.env.MOTO_LOG_FILE;
}

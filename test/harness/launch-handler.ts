/** The launch evaluator's handler as tests run it: a fresh copy per settings, in a mocked or emulated AWS environment. */
import { HANDLER_ENVIRONMENT, LaunchSettings } from '../../lib/catalog';

export type LaunchHandler = (event: unknown) => Promise<{ outcomes: Array<{ result: string }> }>;

/**
 * A fresh copy of the handler, as a new Lambda container with these settings would run it: it reads its settings once,
 * and caches instance specs, prices and template types, so each test that needs a clean start takes a new one.
 */
export async function launchHandlerWith(settings: Partial<LaunchSettings> = {}): Promise<LaunchHandler> {
  process.env[HANDLER_ENVIRONMENT.launchEvaluator.launchSettings] = JSON.stringify(settings);
  let handler: LaunchHandler | undefined;
  await jest.isolateModulesAsync(async () => {
    handler = (await import('../../lambda/launch-evaluator.lambda')).handler;
  });
  return handler!;
}

/** The launch evaluator's handler as tests run it: a fresh copy per policy, in a mocked or emulated AWS environment. */

export type LaunchHandler = (event: unknown) => Promise<{ outcomes: Array<{ result: string }> }>;

/**
 * A fresh copy of the handler, as a new Lambda container with this policy would run it: it reads its policy once,
 * and caches instance specs, prices and template types, so each test that needs a clean start takes a new one.
 */
export async function launchHandlerWith(policy: object = {}): Promise<LaunchHandler> {
  process.env.LAUNCH_POLICY = JSON.stringify(policy);
  let handler: LaunchHandler | undefined;
  await jest.isolateModulesAsync(async () => {
    handler = (await import('../../lambda/launch-evaluator.lambda')).handler;
  });
  return handler!;
}

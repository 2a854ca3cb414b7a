/** What the unit tests of the AWS adapters share: errors as the SDK throws them, a mocked call's region, a fresh module copy, a set clock. */

/**
 * An error as the SDK throws it for a service's error response. A mocked client never runs the SDK's retry, so a
 * throttling error stands for one that outlasted every attempt.
 */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode } });
}

/** The region of the client a mocked call was sent through. */
export function regionOf(call: { thisValue: unknown }): Promise<string> {
  return (call.thisValue as { config: { region: () => Promise<string> } }).config.region();
}

/**
 * A fresh copy of a module and of what it imports, as a new Lambda container loads it: its clients and caches start
 * empty. The SDK it imports on first use, after this returns, is the shared one that `mockClient` mocks.
 */
export async function freshModule<T>(load: () => Promise<T>): Promise<T> {
  let loaded: T | undefined;
  await jest.isolateModulesAsync(async () => {
    loaded = await load();
  });
  return loaded!;
}

/** Sets the time `Date` reads, and only that: promises, timers and the SDK run as usual. Undone by `jest.useRealTimers()`. */
export function clockAt(iso: string): void {
  jest.useFakeTimers({
    now: new Date(iso),
    doNotFake: [
      'nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'queueMicrotask', 'hrtime',
      'performance',
    ],
  });
}

/**
 * Jest's fake clock without its fake timers: `Date` says what a test sets, while timeouts, the SDK's retries and the
 * emulator's answers keep real time. For tests whose outcome depends on when events arrive, on a machine of any speed.
 */
type DoNotFake = NonNullable<Extract<Parameters<typeof jest.useFakeTimers>[0], { doNotFake?: unknown }>['doNotFake']>;

/** Every API jest can fake except `Date`. */
const REAL_TIMERS: DoNotFake = [
  'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback',
  'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout',
];

/** Runs `work` with the clock at `at` (ms since the epoch); `work` may move it with `jest.setSystemTime`. */
export async function atTime<T>(at: number, work: () => Promise<T>): Promise<T> {
  jest.useFakeTimers({ doNotFake: REAL_TIMERS, now: at });
  try {
    return await work();
  } finally {
    jest.useRealTimers();
  }
}

import { LAUNCH_DETECTIONS } from '../../lib/catalog';
import { launchSubscriptionPattern, MAX_FILTER_PATTERN_LENGTH } from '../../lib/launches/subscription-pattern';

describe('launchSubscriptionPattern', () => {
  const pattern = launchSubscriptionPattern();

  test('selects every launch call by name, once, in catalog order', () => {
    const names = LAUNCH_DETECTIONS.flatMap((d) => d.signal.eventNames);
    expect(pattern).toBe(`{ ${names.map((n) => `$.eventName = "${n}"`).join(' || ')} }`);
    expect(pattern.startsWith('{ $.eventName = "RunInstances" || $.eventName = "StartInstances" || ')).toBe(true);
  });

  test('can leave out the event source: no launch call name belongs to two sources', () => {
    const sourcesByName = new Map<string, Set<string>>();
    for (const d of LAUNCH_DETECTIONS) {
      for (const name of d.signal.eventNames) sourcesByName.set(name, new Set([...sourcesByName.get(name) ?? [], d.signal.eventSource]));
    }
    for (const [name, sources] of sourcesByName) expect([name, sources.size]).toEqual([name, 1]);
  });

  test('fits CloudWatch Logs\' limit', () => {
    expect(MAX_FILTER_PATTERN_LENGTH).toBe(1024);
    expect(pattern.length).toBeLessThanOrEqual(MAX_FILTER_PATTERN_LENGTH);
  });

  test('refuses to build a pattern CloudWatch Logs would refuse', async () => {
    // GIVEN: a catalog whose launch calls are too many for one filter pattern
    const names = Array.from({ length: 60 }, (_, i) => `LaunchCall${String(i).padStart(2, '0')}`);
    const length = `{ ${names.map((n) => `$.eventName = "${n}"`).join(' || ')} }`.length;
    await jest.isolateModulesAsync(async () => {
      jest.doMock('../../lib/catalog', () => ({
        ...jest.requireActual('../../lib/catalog'),
        cloudTrailSelections: () => new Map([['ec2.amazonaws.com', names]]),
      }));
      const isolated = await import('../../lib/launches/subscription-pattern');
      // THEN
      expect(() => isolated.launchSubscriptionPattern()).toThrow(
        `The launch filter pattern is ${length} characters, more than CloudWatch Logs allows (1024).`,
      );
    });
    jest.dontMock('../../lib/catalog');
  });
});

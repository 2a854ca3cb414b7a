import * as fc from 'fast-check';
import { toAlertMessage } from '../../../../lambda/core/alerts/render-alert';
import { STORM_SAMPLE_SIZE, STORM_WINDOW_MS, StormEntry, stormSummaryAlert, StormWindow, windowClosed } from '../../../../lambda/core/launch/storm';
import { LAUNCH_BURST, SEVERITIES, Severity } from '../../../../lib/catalog';

const PRINCIPAL = 'arn:aws:iam::123456789012:user/ci-bot';
const START = '2026-11-20T03:12:08.000Z';

function entry(i: number, severity: Severity = 'HIGH', region = 'sa-east-1'): StormEntry {
  return {
    eventId: `e-${i}`,
    eventTime: `2026-11-20T03:${String(12 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
    region,
    detection: 'ec2-instance-launch',
    severity,
    summary: `${i + 1} x p4d.24xlarge`,
  };
}

function stormWindow(count: number, entries: StormEntry[], extra: Partial<StormWindow> = {}): StormWindow {
  return {
    principal: PRINCIPAL,
    windowStart: START,
    count,
    usdPerHour: 1310.4,
    regions: ['sa-east-1'],
    detections: ['ec2-instance-launch'],
    entries,
    ...extra,
  };
}

describe('windowClosed', () => {
  const start = Date.parse(START);

  test('a window is open until five minutes have passed, and closed at five minutes exactly', () => {
    expect(STORM_WINDOW_MS).toBe(300_000);
    expect(windowClosed(START, new Date(start))).toBe(false);
    expect(windowClosed(START, new Date(start + STORM_WINDOW_MS - 1))).toBe(false);
    expect(windowClosed(START, new Date(start + STORM_WINDOW_MS))).toBe(true);
    expect(windowClosed(START, new Date(start + STORM_WINDOW_MS + 1))).toBe(true);
  });

  test('a clock behind the window\'s start leaves it open', () => {
    expect(windowClosed(START, new Date(start - 60_000))).toBe(false);
  });

  test('takes another window length when given one', () => {
    expect(windowClosed(START, new Date(start + 59_999), 60_000)).toBe(false);
    expect(windowClosed(START, new Date(start + 60_000), 60_000)).toBe(true);
  });

  test('reads the start as the table writes it, with or without milliseconds', () => {
    expect(windowClosed('2026-11-20T03:12:08Z', new Date(start + STORM_WINDOW_MS))).toBe(true);
  });

  test('for any start and any time, closed exactly when the window length has passed', () => {
    const starts = fc.integer({ min: 0, max: 4e12 });
    fc.assert(fc.property(starts, fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 1, max: 1e8 }), (at, offset, length) => {
      const windowStart = new Date(at).toISOString();
      expect(windowClosed(windowStart, new Date(at + offset), length)).toBe(offset >= length);
    }));
  });

  test.each(['', 'yesterday', 'not a date'])('a window whose start cannot be read (%p) counts as closed, so its summary is not held back', (unreadable) => {
    expect(windowClosed(unreadable, new Date('2026-11-20T03:00:00Z'))).toBe(true);
  });
});

describe('stormSummaryAlert', () => {
  test('nothing folded, nothing to summarise: the first detection was alerted on its own', () => {
    expect(stormSummaryAlert(stormWindow(1, [entry(0)]), '123456789012')).toBeUndefined();
    expect(stormSummaryAlert(stormWindow(0, []), '123456789012')).toBeUndefined();
  });

  test('summarises the detections after the first, each listed with its time, region, severity and event', () => {
    // GIVEN three detections, the first already alerted
    const window = stormWindow(3, [entry(0), entry(1), entry(2, 'CRITICAL', 'us-east-1')], {
      regions: ['sa-east-1', 'us-east-1'], detections: ['ec2-instance-launch', 'ec2-fleet-request'],
    });
    // WHEN
    const alert = stormSummaryAlert(window, '123456789012')!;
    // THEN
    expect(alert).toEqual({
      severity: 'CRITICAL',
      detectionId: 'launch-burst',
      title: LAUNCH_BURST.title,
      headline: `2 more launch detections by ${PRINCIPAL} in 2 regions within 5 min`,
      what: [
        `After the first alert of this burst (1 x p4d.24xlarge), ${PRINCIPAL} caused 2 more detections that arrived within`
          + ` 5 minutes of ${START}: ec2-instance-launch, ec2-fleet-request.`,
        'Estimated on-demand cost of what was launched: ~$1,310/h.',
        '',
        '2026-11-20T03:12:01Z sa-east-1 ec2-instance-launch [HIGH] 2 x p4d.24xlarge (event e-1)',
        '2026-11-20T03:12:02Z us-east-1 ec2-instance-launch [CRITICAL] 3 x p4d.24xlarge (event e-2)',
      ].join('\n'),
      who: [`Principal: ${PRINCIPAL}`],
      where: 'Account 123456789012, regions sa-east-1, us-east-1',
      why: LAUNCH_BURST.rationale,
      done: ['No containment step was taken for the folded detections (notify only, or a dry run).'],
      next: LAUNCH_BURST.nextSteps,
      links: [],
      refs: { principal: PRINCIPAL, windowStart: START, detections: '3' },
    });
    // The principal's ARN is what gets shortened for the subject; the count and the window stay whole.
    expect(toAlertMessage(alert).subject).toBe('[MiningGuard][CRITICAL] 2 more launch detections by arn:aws:i...er/ci-bot in 2 regions within 5 min');
  });

  test('one region is written in the singular', () => {
    expect(stormSummaryAlert(stormWindow(2, [entry(0), entry(1)]), '123456789012')!.headline)
      .toBe(`1 more launch detections by ${PRINCIPAL} in 1 region within 5 min`);
  });

  test('lists the first detections up to the sample size and counts the rest', () => {
    // GIVEN 200 detections, of which the table kept the first STORM_SAMPLE_SIZE
    const entries = Array.from({ length: STORM_SAMPLE_SIZE }, (_, i) => entry(i));
    // WHEN
    const alert = stormSummaryAlert(stormWindow(200, entries), '123456789012')!;
    // THEN
    const lines = alert.what.split('\n');
    const listed = lines.filter((l) => l.includes('(event e-'));
    expect(listed).toHaveLength(STORM_SAMPLE_SIZE - 1);
    expect(listed[0]).toContain('(event e-1)');
    expect(listed[STORM_SAMPLE_SIZE - 2]).toContain(`(event e-${STORM_SAMPLE_SIZE - 1})`);
    expect(lines[lines.length - 1]).toBe(`... and ${199 - (STORM_SAMPLE_SIZE - 1)} more, in CloudTrail.`);
    expect(alert.headline).toBe(`199 more launch detections by ${PRINCIPAL} in 1 region within 5 min`);
    expect(alert.refs.detections).toBe('200');
  });

  test('never ranks below the burst\'s own severity, whatever the folded detections were', () => {
    const low = stormSummaryAlert(stormWindow(3, [entry(0, 'CRITICAL'), entry(1, 'LOW'), entry(2, 'LOW')]), '123456789012')!;
    // The first detection was already alerted at its own severity; the summary ranks by what it folds.
    expect(low.severity).toBe(LAUNCH_BURST.severity);
    expect(LAUNCH_BURST.severity).toBe('MEDIUM');
    expect(stormSummaryAlert(stormWindow(2, [entry(0), entry(1, 'HIGH')]), '123456789012')!.severity).toBe('HIGH');
  });

  test('a window whose entries were not kept still says how many, and points to the previous alert', () => {
    const alert = stormSummaryAlert(stormWindow(4, []), '123456789012')!;
    expect(alert.what).toBe([
      `After the first alert of this burst (see the previous alert), ${PRINCIPAL} caused 3 more detections that arrived within`
        + ` 5 minutes of ${START}: ec2-instance-launch.`,
      'Estimated on-demand cost of what was launched: ~$1,310/h.',
      '',
      '... and 3 more, in CloudTrail.',
    ].join('\n'));
    expect(alert.severity).toBe('MEDIUM');
  });

  test('carries the folded detections\' failed containment steps to the person who reads it, failures first, the rest counted', () => {
    // GIVEN 499 folded detections whose 998 steps failed three times, two of the failures kept word for word
    const failures = ['FAILED: stop instance i-0aaa: UnauthorizedOperation: You are not authorized. Do it by hand.', 'FAILED: stop instance i-0bbb: Throttling.'];
    const window = stormWindow(500, [entry(0), entry(1)], { steps: 998, failedSteps: 3, failures });
    // WHEN
    const alert = stormSummaryAlert(window, '123456789012')!;
    // THEN
    expect(alert.done).toEqual([
      '3 of 998 containment steps FAILED for the folded detections; each needs a hand:',
      ...failures,
      '... and 1 more failed steps, in the evaluator\'s logs.',
    ]);
    const text = JSON.parse(toAlertMessage(alert).message).default as string;
    expect(text).toContain('FAILED: stop instance i-0aaa: UnauthorizedOperation');
  });

  test('says when every step for the folded detections was done', () => {
    expect(stormSummaryAlert(stormWindow(3, [], { steps: 6, failedSteps: 0 }), '123456789012')!.done)
      .toEqual(['All 6 containment steps for the folded detections were done.']);
  });

  test('for any window, the severity is the highest of the floor and the listed ones, and every folded detection is accounted for', () => {
    const windows = fc.record({
      count: fc.integer({ min: 0, max: 500 }),
      severities: fc.array(fc.constantFrom(...SEVERITIES), { maxLength: STORM_SAMPLE_SIZE }),
      principal: fc.string({ unit: 'binary', maxLength: 200 }),
      regions: fc.array(fc.string({ maxLength: 20 }), { maxLength: 20 }),
    });
    fc.assert(fc.property(windows, ({ count, severities, principal, regions }) => {
      const entries = severities.slice(0, Math.max(count, 0)).map((s, i) => entry(i, s));
      const alert = stormSummaryAlert(stormWindow(count, entries, { principal, regions }), '123456789012');
      if (count <= 1) {
        expect(alert).toBeUndefined();
        return;
      }
      const listed = entries.slice(1).map((e) => e.severity);
      const rank = (s: Severity) => SEVERITIES.indexOf(s);
      expect(rank(alert!.severity)).toBe(Math.max(rank('MEDIUM'), ...listed.map(rank)));
      const listedLines = alert!.what.split('\n').filter((l) => / \(event e-\d+\)$/.test(l)).length;
      const more = /\.\.\. and (\d+) more, in CloudTrail\.$/.exec(alert!.what);
      expect(listedLines + (more ? Number(more[1]) : 0)).toBe(count - 1);
      expect(toAlertMessage(alert!).subject.length).toBeLessThan(100);
    }), { numRuns: 500 });
  });
});

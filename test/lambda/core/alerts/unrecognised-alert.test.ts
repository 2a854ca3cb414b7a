import * as fc from 'fast-check';
import { toAlertMessage } from '../../../../lambda/core/alerts/render-alert';
import { excerptOf, unrecognisedAlert } from '../../../../lambda/core/alerts/unrecognised-alert';
import { detection } from '../../../../lib/catalog';
import { guardDutyEvent } from '../../../fixtures/documented-findings';
import { readJsonLines } from '../../../fixtures/real-events';

const UNRECOGNISED = detection('unrecognised-event');

describe('excerptOf', () => {
  test.each([
    ['an object', { a: 1, b: ['x'] }, '{"a":1,"b":["x"]}'],
    ['a string', 'hello', '"hello"'],
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['a BigInt, as its digits', { n: BigInt('12345678901234567890') }, '{"n":"12345678901234567890"}'],
    ['a symbol', Symbol('s'), 'Symbol(s)'],
  ])('quotes %s', (_name, value, excerpt) => {
    expect(excerptOf(value)).toBe(excerpt);
  });

  test('quotes a cyclic value as its string form instead of throwing', () => {
    const cyclic: Record<string, unknown> = { source: 'aws.example' };
    cyclic.self = cyclic;
    expect(excerptOf(cyclic)).toBe('[object Object]');
  });

  test('quotes 2,000 characters of a longer value and says how long it was', () => {
    const long = 'z'.repeat(5000);
    expect(excerptOf(long)).toBe(`"${'z'.repeat(1999)}... (5002 characters in all)`);
    expect(excerptOf('z'.repeat(1998))).toBe(`"${'z'.repeat(1998)}"`);
  });

  test('any value gives a string of at most 2,000 characters and a count', () => {
    fc.assert(fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }), (value) => {
      expect(excerptOf(value).length).toBeLessThanOrEqual(2000 + '... (99999999 characters in all)'.length);
    }), { numRuns: 1000 });
  });

  test('a value nested too deeply for JSON.stringify and String is still quoted, as a note', () => {
    // GIVEN what JSON.parse makes of 10 KB of brackets: a document nested 5,000 levels deep
    const deep = JSON.parse(`${'['.repeat(5_000)}${']'.repeat(5_000)}`) as unknown;
    // WHEN / THEN
    expect(excerptOf(deep)).toBe('(the event is nested too deeply to print)');
    expect(unrecognisedAlert(deep, 'no reader').what).toContain('(the event is nested too deeply to print)');
  });
});

describe('unrecognisedAlert', () => {
  test('names the source, detail type, account, region and event id of an event it could not read', () => {
    // GIVEN a real GuardDuty finding, in the envelope EventBridge adds
    const [finding] = readJsonLines('guardduty/aws_samples_guardduty_findings_raw.jsonl');
    const event = guardDutyEvent(finding);
    // WHEN
    const alert = unrecognisedAlert(event, 'finding without a type');
    // THEN
    expect(alert).toEqual({
      severity: UNRECOGNISED.severity,
      detectionId: 'unrecognised-event',
      title: UNRECOGNISED.title,
      headline: 'Unrecognised event from aws.guardduty / GuardDuty Finding',
      what: `The notifier received an event it could not turn into an alert: finding without a type.\n\nEvent excerpt:\n${excerptOf(event)}`,
      who: ['Unknown: the event could not be read.'],
      where: 'Account 123456789012, region us-east-1',
      why: UNRECOGNISED.rationale,
      done: ['Logged the event and notified this channel.'],
      next: UNRECOGNISED.nextSteps,
      links: [],
      refs: { eventId: event.id },
    });
    expect(toAlertMessage(alert).subject).toBe('[MiningGuard][MEDIUM] Unrecognised event from aws.guardduty / GuardDuty Finding');
  });

  test('a real Config rule invocation, which has none of those fields, is still an alert with its excerpt', () => {
    const [invocation] = readJsonLines('config/config_rule_invocation_events.jsonl');
    const alert = unrecognisedAlert(invocation, 'no reader for this kind of event');
    expect(alert.headline).toBe('Unrecognised event');
    expect(alert.where).toBe('Unknown');
    expect(alert.refs).toEqual({});
    expect(alert.what).toContain('"configRuleName":"change-triggered-config-rule"');
    // Under 2,000 characters, it is quoted whole.
    expect(alert.what.endsWith(`Event excerpt:\n${JSON.stringify(invocation)}`)).toBe(true);
  });

  test('names only what the event has: a source without a detail type, an account without a region', () => {
    const alert = unrecognisedAlert({ source: 'aws.example', account: '111122223333', region: '' }, 'why');
    expect(alert.headline).toBe('Unrecognised event from aws.example');
    expect(alert.where).toBe('Account 111122223333');
  });

  test.each([
    ['null', null],
    ['a number', 42],
    ['a string', 'source'],
    ['an array', [{ source: 'aws.guardduty' }]],
    ['fields of the wrong type', { 'source': { a: 1 }, 'detail-type': ['x'], 'account': true, 'region': null, 'id': {} }],
  ])('%s gives an alert with nothing but the excerpt', (_name, event) => {
    const alert = unrecognisedAlert(event, 'no reader for this kind of event');
    expect(alert.headline).toBe('Unrecognised event');
    expect(alert.where).toBe('Unknown');
    expect(alert.refs).toEqual({});
    expect(alert.what.endsWith(`Event excerpt:\n${excerptOf(event)}`)).toBe(true);
  });

  test('numbers where strings belong are written as strings', () => {
    const alert = unrecognisedAlert({ source: 'aws.example', account: 123456789012, id: 7 }, 'why');
    expect(alert.where).toBe('Account 123456789012');
    expect(alert.refs).toEqual({ eventId: '7' });
  });

  test('a hostile event, with control characters and huge fields, still gives a sendable alert', () => {
    const bells = fc.integer({ min: 10_000, max: 20_000 }).map((n) => '\u0007'.repeat(n));
    const field = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), bells, fc.jsonValue());
    const events = fc.record(
      { 'source': field, 'detail-type': field, 'account': field, 'region': field, 'id': field, 'detail': fc.jsonValue() },
      { requiredKeys: [] },
    );
    fc.assert(fc.property(fc.oneof(events, fc.jsonValue()), fc.string({ maxLength: 100 }), (event, reason) => {
      const alert = unrecognisedAlert(event, reason);
      expect(alert.detectionId).toBe('unrecognised-event');
      const message = toAlertMessage(alert);
      expect(message.subject.length).toBeLessThan(100);
      expect(() => JSON.parse(message.message) as unknown).not.toThrow();
      const excerpt = alert.what.slice(alert.what.indexOf('Event excerpt:\n') + 'Event excerpt:\n'.length);
      expect(excerpt).toBe(excerptOf(event));
    }), { numRuns: 150 });
  });
});

import * as fc from 'fast-check';
import { deepValues, fieldAt, isObject, MAX_SEARCH_DEPTH, numberAt, stringAt } from '../../../../lambda/core/events/event-fields';
import { readJsonLines } from '../../../fixtures/real-events';

const [FINDING] = readJsonLines('guardduty/aws_samples_guardduty_findings_raw.jsonl');

describe('fieldAt', () => {
  test('follows a dotted path through objects and list indexes of a real finding', () => {
    expect(fieldAt(FINDING, 'resource.instanceDetails.instanceId')).toBe('i-05746eb48123455e0');
    expect(fieldAt(FINDING, 'resource.instanceDetails.networkInterfaces.0.subnetId')).toBe('subnet-d58b7123');
    expect(fieldAt(FINDING, 'type')).toBe('Canary:EC2/Stateless.IntegTest');
  });

  test.each([
    ['a missing step', 'resource.nothing.here'],
    ['a step through a string', 'type.length'],
    ['a step through a number', 'severity.x'],
    ['an index past the end', 'resource.instanceDetails.networkInterfaces.9.subnetId'],
  ])('is undefined at %s', (_name, path) => {
    expect(fieldAt(FINDING, path)).toBeUndefined();
  });

  test.each([null, undefined, 'text', 42, true])('is undefined inside %p', (value) => {
    expect(fieldAt(value, 'a')).toBeUndefined();
  });

  test('a null along the way stops the walk', () => {
    expect(fieldAt({ a: null }, 'a')).toBeNull();
    expect(fieldAt({ a: null }, 'a.b')).toBeUndefined();
  });
});

describe('stringAt', () => {
  test.each([
    ['a string', { v: 'x' }, 'x'],
    ['a number, written as a string', { v: 123456789012 }, '123456789012'],
    ['zero', { v: 0 }, '0'],
    ['an empty string', { v: '' }, undefined],
    ['an infinite number', { v: Infinity }, undefined],
    ['NaN', { v: NaN }, undefined],
    ['a boolean', { v: true }, undefined],
    ['an object', { v: { toString: () => 'x' } }, undefined],
    ['a list', { v: ['x'] }, undefined],
    ['nothing', {}, undefined],
  ])('reads %s', (_name, value, expected) => {
    expect(stringAt(value, 'v')).toBe(expected);
  });

  test('does not read the prototype\'s properties as strings', () => {
    expect(stringAt({}, 'constructor')).toBeUndefined();
    expect(stringAt({}, 'toString')).toBeUndefined();
    expect(stringAt({}, '__proto__')).toBeUndefined();
    expect(stringAt({}, 'constructor.name')).toBeUndefined();
  });
});

describe('numberAt', () => {
  test.each([
    ['a number', { v: 8.9 }, 8.9],
    ['a numeric string, as Budgets writes amounts', { v: '123.456' }, 123.456],
    ['a numeric string with spaces', { v: ' 42 ' }, 42],
    ['a negative number', { v: -1 }, -1],
    ['a blank string', { v: '  ' }, undefined],
    ['an empty string', { v: '' }, undefined],
    ['a word', { v: 'twelve' }, undefined],
    ['a number with a unit', { v: '16 vCPU' }, undefined],
    ['an infinite number', { v: 'Infinity' }, undefined],
    ['a boolean', { v: true }, undefined],
    ['null', { v: null }, undefined],
  ])('reads %s', (_name, value, expected) => {
    expect(numberAt(value, 'v')).toBe(expected);
  });
});

describe('isObject', () => {
  test.each([
    [{}, true], [FINDING, true], [[], false], [null, false], [undefined, false], ['x', false], [1, false],
  ])('%p is an object: %p', (value, expected) => {
    expect(isObject(value)).toBe(expected);
  });
});

describe('deepValues', () => {
  test('finds every value of a key at any depth, whatever its case, in document order', () => {
    const request = {
      LaunchTemplateConfigs: { item: [{ Overrides: { item: [{ InstanceType: 'p3.16xlarge' }, { instanceType: 'g5.12xlarge' }] } }] },
      instancetype: 'c5.large',
    };
    expect(deepValues(request, 'instanceType')).toEqual(['p3.16xlarge', 'g5.12xlarge', 'c5.large']);
  });

  test('does not look inside a value it found', () => {
    expect(deepValues({ launchTemplate: { launchTemplate: { id: 1 } } }, 'launchTemplate')).toEqual([{ launchTemplate: { id: 1 } }]);
  });

  test('finds the instance type of a real finding', () => {
    expect(deepValues(FINDING, 'instanceType')).toEqual(['t2.micro']);
  });

  test('finds nothing in what is not JSON structure', () => {
    expect(deepValues(null, 'a')).toEqual([]);
    expect(deepValues('a', 'a')).toEqual([]);
    expect(deepValues(7, 'a')).toEqual([]);
  });

  test('a document nested thousands of levels deep neither exhausts the stack nor is searched past the limit', () => {
    // GIVEN a key at depth 5,000 and one within the limit
    let deep: unknown = { instanceType: 'p5.48xlarge' };
    for (let i = 0; i < 5_000; i++) deep = [deep];
    const request = { near: { instanceType: 'g5.xlarge' }, far: deep };
    // WHEN / THEN
    expect(deepValues(request, 'instanceType')).toEqual(['g5.xlarge']);
    expect(MAX_SEARCH_DEPTH).toBeGreaterThanOrEqual(8);
  });
});

describe('any JSON value, at any path', () => {
  test('no read throws, and each reader returns only its own type', () => {
    const step = fc.oneof(fc.constantFrom('a', '0', 'detail', '__proto__', 'constructor', 'length', ''), fc.string({ maxLength: 5 }));
    const path = fc.array(step, { minLength: 1, maxLength: 4 }).map((steps) => steps.join('.'));
    fc.assert(fc.property(fc.jsonValue(), path, (value, p) => {
      const s = stringAt(value, p);
      expect(s === undefined || (typeof s === 'string' && s.length > 0)).toBe(true);
      const n = numberAt(value, p);
      expect(n === undefined || Number.isFinite(n)).toBe(true);
      expect(Array.isArray(deepValues(value, p))).toBe(true);
    }), { numRuns: 1000 });
  });
});

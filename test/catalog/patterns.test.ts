import { DETECTIONS, guardDutyFindingTypePatterns, matchesPattern, segmentPattern, toEventFilter } from '../../lib/catalog';

describe('patterns', () => {
  test('become the narrowest EventBridge filter', () => {
    expect(toEventFilter('Impact:Runtime/CryptoMinerExecuted')).toBe('Impact:Runtime/CryptoMinerExecuted');
    expect(toEventFilter('CryptoCurrency:*')).toEqual({ prefix: 'CryptoCurrency:' });
    expect(toEventFilter('*:IAMUser/AnomalousBehavior')).toEqual({ suffix: ':IAMUser/AnomalousBehavior' });
    expect(toEventFilter('Execution:*/MaliciousFile*')).toEqual({ wildcard: 'Execution:*/MaliciousFile*' });
  });

  test.each([
    ['Execution:*/MaliciousFile*', 'Execution:EC2/MaliciousFile!Snapshot', true],
    ['Execution:*/MaliciousFile*', 'Execution:EC2/Malicious', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'ac', false],
    ['a*a', 'a', false],
    ['*', '', true],
    ['x', 'xx', false],
  ])('%s matches %s: %s', (pattern, value, expected) => {
    expect(matchesPattern(pattern, value)).toBe(expected);
  });

  test('every GuardDuty detection contributes at least one pattern', () => {
    const patterns = guardDutyFindingTypePatterns();
    for (const d of DETECTIONS) {
      if (d.signal.kind !== 'guardduty') continue;
      expect(d.signal.findingTypes.every((p) => patterns.includes(p))).toBe(true);
      expect(d.signal.findingTypes.length).toBeGreaterThan(0);
    }
  });
});

describe('toEventFilter', () => {
  test.each([
    ['a*b', { wildcard: 'a*b' }],
    ['*a*', { wildcard: '*a*' }],
    ['a**', { wildcard: 'a**' }],
    ['*', { prefix: '' }],
  ])('%s becomes %j', (pattern, filter) => {
    expect(toEventFilter(pattern)).toEqual(filter);
  });

  test.each([
    'Execution:*/MaliciousFile*',
    'CryptoCurrency:*',
    '*:IAMUser/AnomalousBehavior',
    'Impact:EC2/BitcoinDomainRequest.*',
  ])('the filter of %s matches what the pattern matches, as EventBridge reads it', (pattern) => {
    // GIVEN: EventBridge's reading of each filter kind, independent of matchesPattern
    const filter = toEventFilter(pattern);
    const eventBridgeMatches = (value: string): boolean => {
      if (typeof filter === 'string') return value === filter;
      if ('prefix' in filter) return value.startsWith(filter.prefix);
      if ('suffix' in filter) return value.endsWith(filter.suffix);
      const body = filter.wildcard.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*');
      return new RegExp(`^${body}$`, 's').test(value);
    };
    const values = [
      'Execution:EC2/MaliciousFile', 'Execution:EC2/MaliciousFile!Snapshot', 'Execution:EC2/Malicious', 'CryptoCurrency:EC2/BitcoinTool.B',
      'CryptoCurrency:', 'Discovery:IAMUser/AnomalousBehavior', ':IAMUser/AnomalousBehavior', 'Impact:EC2/BitcoinDomainRequest.Reputation',
      'Impact:EC2/BitcoinDomainRequestXReputation', '',
    ];
    // THEN
    for (const value of values) expect([value, eventBridgeMatches(value)]).toEqual([value, matchesPattern(pattern, value)]);
  });
});

describe('matchesPattern', () => {
  test.each([
    ['a.c', 'abc', false],
    ['a.c', 'a.c', true],
    ['a**c', 'ac', true],
    ['ab*ba', 'aba', false],
    ['ab*ba', 'abba', true],
    ['*b*b*', 'ab', false],
    ['*b*b*', 'abxb', true],
    ['(x)*', '(x)y', true],
  ])('%s matches %s: %s, a dot or a bracket being itself', (pattern, value, expected) => {
    expect(matchesPattern(pattern, value)).toBe(expected);
  });
});

describe('segmentPattern', () => {
  const ci = segmentPattern('arn:aws:iam::*:role/ci-*');

  test.each([
    ['arn:aws:iam::111122223333:role/ci-deployer', true],
    ['arn:aws:iam::111122223333:role/ci-', true],
    ['arn:aws:iam::111122223333:role/ci-deployer/extra', false],
    ['arn:aws:iam::111122223333:role/path/ci-deployer', false],
    ['arn:aws:iam::111122223333:user/x:role/ci-deployer', false],
    ['arn:aws:iam::111122223333:user/team/role/ci-deployer', false],
    ['arn:aws:iam::1111:2222:role/ci-deployer', false],
    ['prefix arn:aws:iam::111122223333:role/ci-deployer', false],
  ])('arn:aws:iam::*:role/ci-* against %s: %s', (arn, expected) => {
    expect(ci.test(arn)).toBe(expected);
  });

  test('a star never crosses a colon or a slash, wherever it stands', () => {
    const anyRole = segmentPattern('arn:aws:iam::111122223333:role/*');
    expect(anyRole.test('arn:aws:iam::111122223333:role/deployer')).toBe(true);
    expect(anyRole.test('arn:aws:iam::111122223333:role/team/deployer')).toBe(false);
    expect(segmentPattern('*').test('a:b')).toBe(false);
    expect(segmentPattern('*').test('a/b')).toBe(false);
    expect(segmentPattern('*').test('')).toBe(true);
  });

  test('every other character stands for itself', () => {
    const pattern = segmentPattern('arn:aws:iam::111122223333:role/app.v1+(blue)?[x]{2}$^|\\');
    expect(pattern.test('arn:aws:iam::111122223333:role/app.v1+(blue)?[x]{2}$^|\\')).toBe(true);
    expect(pattern.test('arn:aws:iam::111122223333:role/appXv1+(blue)?[x]{2}$^|\\')).toBe(false);
    expect(pattern.test('arn:aws:iam::111122223333:role/app.v11(blue)[x]xx$^|\\')).toBe(false);
  });
});

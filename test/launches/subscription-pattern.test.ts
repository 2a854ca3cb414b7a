import { cloudTrailSelections, JUDGED_CALL_DETECTIONS, LAUNCH_DETECTIONS } from '../../lib/catalog';
import {
  catalogSubscriptionPattern, MAX_FILTER_PATTERN_LENGTH, MAX_REGEX_PER_PATTERN, WRITES_SELECTED_SOURCES,
} from '../../lib/launches/subscription-pattern';
import { asRoot, cloudTrailRecord } from '../fixtures/documented-cloudtrail';
import { readJsonLines } from '../fixtures/real-events';
import { parseFilterPattern, RegexMode } from '../harness/filter-pattern';

const MODES: readonly RegexMode[] = ['whole-value', 'search'];

/** Every real public record in the fixtures: attacks, Terraform set-up and tear-down, AWS's own activity, AWS's examples. */
const REAL = [
  'cloudtrail/attack/invictus_stratus_2023-07-10.jsonl', 'cloudtrail/attack/stratus_detonation_logs.jsonl',
  'cloudtrail/benign/awsdocs_cloudtrail_examples.jsonl',
].flatMap(readJsonLines);

const SELECTED = cloudTrailSelections([...LAUNCH_DETECTIONS, ...JUDGED_CALL_DETECTIONS]);
const CATALOG_CALLS = [...SELECTED].flatMap(([source, names]) => names.map((name) => [source, name] as const));
const isCatalogCall = (r: Record<string, unknown>) => CATALOG_CALLS.some(([s, n]) => r.eventSource === s && r.eventName === n);

describe('the test-side filter-pattern evaluator, on the examples AWS documents', () => {
  // The documented log event and the filters that match it.
  const EVENT = JSON.stringify({
    eventType: 'UpdateTrail',
    sourceIPAddress: '111.111.111.111',
    arrayKey: ['value', 'another value'],
    objectList: [{ name: 'a', id: 1 }, { name: 'b', id: 2 }],
    SomeObject: null,
    ThisFlag: true,
  });
  const COMPOUND = JSON.stringify({
    user: { id: 1, email: 'John.Stiles@example.com' },
    users: [{ id: 2, email: 'John.Doe@example.com' }, { id: 3, email: 'Jane.Doe@example.com' }],
    actions: ['GET', 'PUT', 'DELETE'],
    coordinates: [[0, 1, 2], [4, 5, 6], [7, 8, 9]],
  });
  const matches = (pattern: string, event: string) => parseFilterPattern(pattern).matches(event);

  test.each([
    '{ $.eventType = "UpdateTrail" }',
    '{ $.sourceIPAddress != 123.123.* }',
    '{ $.arrayKey[0] = "value" }',
    '{ $.objectList[1].id = 2 }',
    '{ $.SomeObject IS NULL }',
    '{ $.SomeOtherObject NOT EXISTS }',
    '{ $.ThisFlag IS TRUE }',
  ])('%s matches the documented event', (pattern) => {
    expect(matches(pattern, EVENT)).toBe(true);
  });

  test.each([
    ['{ $.eventType = "UpdateTrail" }', '{"eventType": "StopLogging"}'],
    ['{ $.ThisFlag IS FALSE }', EVENT],
    ['{ $.SomeObject NOT EXISTS }', EVENT],
    ['{ $.arrayKey[0] = "value" }', '{"arrayKey": "value"}'],
    ['{ $.objectList[1].id = 2 }', '{"objectList": [{"id": 2}]}'],
  ])('%s does not match %s', (pattern, event) => {
    expect(matches(pattern, event)).toBe(false);
  });

  test('compound conditions: parentheses, then && before ||', () => {
    expect(matches('{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', COMPOUND)).toBe(true);
    expect(matches('{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', COMPOUND)).toBe(false);
    expect(matches('{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }', COMPOUND)).toBe(true);
    expect(matches('{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }', COMPOUND)).toBe(false);
  });

  test('OR matching: {$.foo = bar || $.foo = baz} takes both', () => {
    for (const event of ['{"foo": "bar"}', '{"foo": "baz"}']) expect(matches('{$.foo = bar || $.foo = baz }', event)).toBe(true);
    expect(matches('{$.foo = bar }', '{"foo": "baz"}')).toBe(false);
  });

  test('a selector that reaches an array or object fails = and != alike', () => {
    expect(matches('{$.users = 1}', '{"users": [1, 2, 3]}')).toBe(false);
    expect(matches('{$.users != 1}', '{"users": [1, 2, 3]}')).toBe(false);
  });

  test('wildcards at the start or end match any text; one inside is itself', () => {
    expect(matches('{ $.eventName = "*Event" }', '{"eventName": "PutEvent"}')).toBe(true);
    expect(matches('{ $.eventName = "Event*" }', '{"eventName": "EventName"}')).toBe(true);
    expect(matches('{ $.eventName = "Ev*ent" }', '{"eventName": "Event"}')).toBe(false);
    expect(matches('{ $.eventName = "Ev*ent" }', '{"eventName": "Ev*ent"}')).toBe(true);
  });

  test('numeric comparisons', () => {
    for (const pattern of ['{ $.latency >= 500 }', '{ $.errorCode != 500 }', '{ $.latency > +499 }']) expect(matches(pattern, '{"latency": 500, "errorCode": 400}')).toBe(true);
    expect(matches('{ $.latency < 10e3 }', '{"latency": 10001}')).toBe(false);
  });

  test('regular expressions: whole value or searched, and only what CloudWatch Logs accepts', () => {
    const p = parseFilterPattern('{ $.message = %bind: address% }');
    expect(p.matches('{"message": "bind: address already in use"}', 'search')).toBe(true);
    expect(p.matches('{"message": "bind: address already in use"}', 'whole-value')).toBe(false);
    expect(parseFilterPattern('{ $.ip = %\\d{1,3}\\.\\d{1,3}% }').matches('{"ip": "10.24"}', 'whole-value')).toBe(true);
    expect(() => parseFilterPattern('{ $.a = %(x|y)% }')).toThrow(/regular expression of the characters CloudWatch Logs accepts/);
    expect(() => parseFilterPattern('{ $.a = %something!% }')).toThrow(/CloudWatch Logs accepts/);
    expect(() => parseFilterPattern('{ $.a = %x% || $.b = %y% || $.c = %z% }')).toThrow(/at most 2 regular expressions/);
  });

  test('refuses what is not a JSON filter pattern, and reads no event that is not JSON', () => {
    expect(() => parseFilterPattern('ERROR')).toThrow(/expected '\{'/);
    expect(() => parseFilterPattern('{ $.a = 1 ')).toThrow(/expected '\}'/);
    expect(parseFilterPattern('{ $.a = 1 }').matches('a = 1')).toBe(false);
  });
});

describe('catalogSubscriptionPattern', () => {
  const pattern = catalogSubscriptionPattern();
  const filter = parseFilterPattern(pattern);
  const selects = (record: unknown, mode: RegexMode) => filter.matches(JSON.stringify(record), mode);

  test('fits CloudWatch Logs\' limits: 1,024 characters, two regular expressions', () => {
    expect(MAX_FILTER_PATTERN_LENGTH).toBe(1024);
    expect(pattern.length).toBeLessThanOrEqual(MAX_FILTER_PATTERN_LENGTH);
    expect(MAX_REGEX_PER_PATTERN).toBe(2);
    expect(pattern.match(/%/g)).toHaveLength(2 * MAX_REGEX_PER_PATTERN);
  });

  test('names the calls of busy sources and the quiet sources whose writes it selects, from the catalog', () => {
    const [names, sources] = [...pattern.matchAll(/%([^%]*)%/g)].map((m) => m[1].split('|'));
    const whole = (alternative: string) => new RegExp(`^(?:${alternative})$`);
    for (const [source, eventNames] of SELECTED) {
      if (WRITES_SELECTED_SOURCES.includes(source)) expect(sources).toContain(`^${source.replace('.amazonaws.com', '')}\\..*`);
      else for (const name of eventNames) expect([name, names.some((a) => whole(a).test(name))]).toEqual([name, true]);
    }
    // Each alternative stands for a catalog call: none is left over from a call the catalog dropped.
    for (const a of names) expect([a, CATALOG_CALLS.some(([, n]) => whole(a).test(n))]).toEqual([a, true]);
    expect(sources).toHaveLength(WRITES_SELECTED_SOURCES.filter((s) => SELECTED.has(s)).length);
    expect(pattern.startsWith('{ $.eventName = %RunInstances|StartInstances|CreateFleet|')).toBe(true);
  });

  describe.each(MODES)('with regular expressions matched as %s', (mode) => {
    test.each(CATALOG_CALLS)('selects %s %s, with readOnly false and without readOnly', (source, name) => {
      const record = cloudTrailRecord(source, name, {});
      expect(selects(record, mode)).toBe(true);
      const { readOnly: _readOnly, ...oldFormat } = record;
      expect(selects(oldFormat, mode)).toBe(true);
      expect(selects({ ...record, errorCode: 'AccessDenied' }, mode)).toBe(true);
    });

    test('selects every real public record of a catalog call, AWS\'s examples without readOnly included', () => {
      const calls = REAL.filter(isCatalogCall);
      expect(calls.length).toBeGreaterThan(50);
      expect(calls.filter((r) => !selects(r, mode)).map((r) => r.eventID)).toEqual([]);
      expect(calls.some((r) => r.eventName === 'ConsoleLogin' && !('readOnly' in r))).toBe(true);
    });

    test.each([
      ['kms', 'Decrypt'], ['kms', 'GenerateDataKey'], ['kms', 'Encrypt'], ['sts', 'AssumeRole'], ['sts', 'GetCallerIdentity'],
      ['ec2', 'DescribeInstances'], ['ec2', 'DescribeRouteTables'], ['s3', 'GetBucketAcl'], ['secretsmanager', 'GetSecretValue'],
      ['ssm', 'GetParameter'], ['ssm', 'PutParameter'],
    ])('leaves out the real %s %s records', (service, name) => {
      const records = REAL.filter((r) => r.eventSource === `${service}.amazonaws.com` && r.eventName === name);
      expect(records.length).toBeGreaterThan(0);
      expect(records.filter((r) => selects(r, mode))).toEqual([]);
    });

    test.each([
      ['ec2', 'CreateTags', true], ['ec2', 'CreateNetworkInterface', true], ['ec2', 'DescribeInstances', false], ['ecs', 'SubmitTaskStateChange', true],
      ['batch', 'SubmitJob', true], ['events', 'PutEvents', true], ['kms', 'CreateGrant', true], ['kms', 'RetireGrant', true],
      ['ssm', 'UpdateInstanceInformation', true], ['sagemaker', 'CreateApp', true],
    ] as const)('leaves out %s %s (management, read-only %s)', (service, name, write) => {
      expect(selects({ ...cloudTrailRecord(`${service}.amazonaws.com`, name, {}), readOnly: !write }, mode)).toBe(false);
    });

    test.each([['s3', 'GetObject'], ['s3', 'PutObject'], ['lambda', 'Invoke'], ['sns', 'Publish'], ['sagemaker', 'InvokeEndpoint']])(
      'leaves out %s %s data events', (service, name) => {
        const dataEvent = { ...cloudTrailRecord(`${service}.amazonaws.com`, name, {}), managementEvent: false, eventCategory: 'Data', readOnly: name.startsWith('Get') };
        expect(selects(dataEvent, mode)).toBe(false);
      });

    test('of every real record, selects catalog calls, writes of the quiet sources, root calls, and calls whose names extend a selected one', () => {
      const selected = REAL.filter((r) => selects(r, mode));
      const quietWrite = (r: Record<string, unknown>) => WRITES_SELECTED_SOURCES.includes(r.eventSource as string) && r.readOnly !== true;
      const root = (r: Record<string, unknown>) => (r.userIdentity as { type?: unknown } | undefined)?.type === 'Root';
      const stems = pattern.match(/%([^%]*)%/)![1].split('|').map((a) => a.replace(/\.\*$/, ''));
      const extendsName = (r: Record<string, unknown>) => stems.some((s) => (mode === 'search' ? String(r.eventName).includes(s) : String(r.eventName).startsWith(s)));
      expect(selected.filter((r) => !isCatalogCall(r) && !quietWrite(r) && !root(r) && !extendsName(r))).toEqual([]);
      // What the log group sends on: of an hour of a busy account's activity (the Invictus export), a few percent.
      expect(selected.length / REAL.length).toBeLessThan(0.15);
    });
  });

  test('names that share their first two words are one alternative: their prefix', () => {
    const names = pattern.match(/%([^%]*)%/)![1].split('|');
    expect(names).toEqual(expect.arrayContaining(['UpdateFunction.*', 'RequestSpot.*', 'PutBucket.*']));
    expect(names).not.toContain('UpdateFunctionCode.*');
  });

  describe.each(MODES)('root calls, matched as %s', (mode) => {
    test('selects every call of the root user, reads included, whatever its service', () => {
      for (const [source, name] of [['ec2.amazonaws.com', 'DescribeInstances'], ['s3.amazonaws.com', 'ListBuckets'], ['iam.amazonaws.com', 'GetAccountSummary']]) {
        expect(selects({ ...asRoot(cloudTrailRecord(source, name, {})), readOnly: true }, mode)).toBe(true);
        expect(selects({ ...cloudTrailRecord(source, name, {}), readOnly: true }, mode)).toBe(false);
      }
    });
  });

  test('the quiet sources\' catalog calls are writes in every real record: none says readOnly true', () => {
    const quiet = REAL.filter((r) => isCatalogCall(r) && WRITES_SELECTED_SOURCES.includes(r.eventSource as string));
    const names = new Set(quiet.map((r) => r.eventName));
    for (const name of ['StopLogging', 'ConsoleLogin', 'GetFederationToken', 'LeaveOrganization']) expect([name, names.has(name)]).toEqual([name, true]);
    expect(quiet.filter((r) => r.readOnly === true)).toEqual([]);
  });

  test('refuses to build a pattern CloudWatch Logs would refuse, and says what to change', async () => {
    // GIVEN: a catalog whose calls of busy sources are too many for one filter pattern
    const names = Array.from({ length: 60 }, (_, i) => `Run${String(i).padStart(2, '0')}SomeLaunchCall`);
    await jest.isolateModulesAsync(async () => {
      jest.doMock('../../lib/catalog', () => ({
        ...jest.requireActual('../../lib/catalog'),
        cloudTrailSelections: () => new Map([['ec2.amazonaws.com', names], ['iam.amazonaws.com', ['CreateAccessKey']]]),
      }));
      const isolated = await import('../../lib/launches/subscription-pattern');
      // THEN
      expect(() => isolated.catalogSubscriptionPattern()).toThrow(
        /^The trail's subscription filter pattern is 1\d{3} characters, more than CloudWatch Logs allows \(1024\)\. Select more quiet event sources by their write calls \(WRITES_SELECTED_SOURCES\), or fewer calls by name\.$/,
      );
    });
    jest.dontMock('../../lib/catalog');
  });

  test('refuses a name a regular expression cannot hold as it is', async () => {
    await jest.isolateModulesAsync(async () => {
      jest.doMock('../../lib/catalog', () => ({
        ...jest.requireActual('../../lib/catalog'),
        cloudTrailSelections: () => new Map([['ec2.amazonaws.com', ['Run.Instances']]]),
      }));
      const isolated = await import('../../lib/launches/subscription-pattern');
      expect(() => isolated.catalogSubscriptionPattern()).toThrow('\'Run.Instances\' cannot be written in a CloudWatch Logs regular expression: only letters, digits and \'-\' can.');
    });
    jest.dontMock('../../lib/catalog');
  });
});

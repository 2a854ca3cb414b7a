import * as fc from 'fast-check';
import { MalformedInvocationError, readInvocation, TEST_MODE_TOKEN, toConfigurationItem } from '../../../../lambda/core/config/invocation';
import { readRuleSettings } from '../../../../lambda/core/config/rule-parameters';
import { configInvocations, messageTypeOf } from '../../../fixtures/config-invocations';

const INVOCATIONS = configInvocations({ account: '111122223333', region: 'eu-west-1', partition: 'aws' });

/** An invocation of our own, in the shape of the real ones, for what no fixture shows. */
function invocation(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    configRuleName: 'MiningGuard-instance-family',
    accountId: '111122223333',
    resultToken: 'token',
    eventLeftScope: false,
    ruleParameters: '{"check":"instance-family"}',
    invokingEvent: JSON.stringify({ messageType: 'ScheduledNotification', notificationCreationTime: '2026-11-20T03:00:00.000Z' }),
    ...overrides,
  };
}

describe('readInvocation', () => {
  test.each(INVOCATIONS.map((e, i) => [i + 1, messageTypeOf(e), e]))('reads line %d, a %s', (_line, messageType, event) => {
    // WHEN
    const read = readInvocation(event);
    // THEN
    const expectedKind = {
      ConfigurationItemChangeNotification: 'change',
      OversizedConfigurationItemChangeNotification: 'oversized',
      ScheduledNotification: 'scheduled',
      ConfigurationSnapshotDeliveryCompleted: 'ignored',
    }[messageType as string];
    expect(read.message.kind).toBe(expectedKind);
    expect(read.resultToken).toBe(event.resultToken);
    expect(read.testMode).toBe(false);
    expect(read.configRuleName).toBe(event.configRuleName);
  });

  test('fills the SAM templates: the change notification names the filled region and account', () => {
    const read = readInvocation(INVOCATIONS[0]);
    expect(read.accountId).toBe('111122223333');
    expect(read.message).toMatchObject({ kind: 'change', item: { resourceId: 'i-00000000', awsRegion: 'eu-west-1', status: 'OK' } });
  });

  test('the console\'s test run is test mode', () => {
    expect(readInvocation(invocation({ resultToken: TEST_MODE_TOKEN })).testMode).toBe(true);
  });

  test('keeps the rule parameters as strings, and reads a left scope', () => {
    const read = readInvocation(invocation({ ruleParameters: '{"check":"running-compute","maxRunningVcpus":64}', eventLeftScope: true }));
    expect(read.parameters).toEqual({ check: 'running-compute', maxRunningVcpus: '64' });
    expect(read.eventLeftScope).toBe(true);
  });

  test.each([
    [{ configRuleName: undefined }, /without a configRuleName/],
    [{ resultToken: '' }, /without a resultToken/],
    [{ invokingEvent: 'not json' }, /invokingEvent is not valid JSON/],
    [{ invokingEvent: '{}' }, /without a messageType/],
    [{ ruleParameters: '[1]' }, /ruleParameters is not a JSON object/],
  ])('refuses an invocation with %j', (overrides, message) => {
    expect(() => readInvocation(invocation(overrides))).toThrow(MalformedInvocationError);
    expect(() => readInvocation(invocation(overrides))).toThrow(message);
  });

  test('whatever arrives, it reads or refuses with MalformedInvocationError, never another error', () => {
    const real = INVOCATIONS[3];
    const mutated = fc.record({
      key: fc.constantFrom('configRuleName', 'resultToken', 'invokingEvent', 'ruleParameters', 'eventLeftScope', 'accountId'),
      value: fc.oneof(fc.jsonValue(), fc.string().map((t) => JSON.stringify(t))),
    }).map(({ key, value }) => ({ ...real, [key]: value }));
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), mutated), (event) => {
      try {
        const read = readInvocation(event);
        readRuleSettings(read.parameters);
      } catch (error) {
        expect(error).toBeInstanceOf(MalformedInvocationError);
      }
    }));
  });
});

describe('toConfigurationItem', () => {
  test('reads the capture time GetResourceConfigHistory returns through the SDK as a Date, as ISO text', () => {
    const item = toConfigurationItem({
      resourceType: 'AWS::EC2::Instance',
      resourceId: 'i-0abc',
      configurationItemStatus: 'OK',
      configurationItemCaptureTime: new Date('2026-11-20T03:12:08Z'),
      configuration: '{"instanceType":"p3.2xlarge"}',
    });
    expect(item).toEqual({
      resourceType: 'AWS::EC2::Instance',
      resourceId: 'i-0abc',
      awsRegion: undefined,
      status: 'OK',
      captureTime: '2026-11-20T03:12:08.000Z',
      configuration: { instanceType: 'p3.2xlarge' },
    });
  });

  test('an invalid Date is no capture time', () => {
    const item = toConfigurationItem({ resourceType: 'AWS::EC2::Instance', resourceId: 'i-0abc', configurationItemCaptureTime: new Date('nonsense') });
    expect(item.captureTime).toBeUndefined();
  });
});

import * as fc from 'fast-check';
import { toAlertMessage } from '../../../../lambda/core/alerts/render-alert';
import { alertForEvent } from '../../../../lambda/core/notifier/alert-for-event';
import { cloudTrailRecord, eventBridgeEvent } from '../../../fixtures/documented-cloudtrail';
import { documentedFinding, guardDutyEvent } from '../../../fixtures/documented-findings';

describe('alertForEvent', () => {
  test.each([
    ['null', null],
    ['a string', 'hello'],
    ['an empty object', {}],
    ['an event nobody reads yet', { 'source': 'aws.example', 'detail-type': 'Something', 'detail': {} }],
    ['a finding without a type', { source: 'aws.guardduty', detail: { severity: 5 } }],
    ['a finding without a severity', { source: 'aws.guardduty', detail: { type: 'CryptoCurrency:EC2/BitcoinTool.B' } }],
  ])('%s becomes one unrecognised-event alert', (_name, event) => {
    const read = alertForEvent(event);
    expect(read.recognised).toBe(false);
    expect(read.alert?.detectionId).toBe('unrecognised-event');
    expect(toAlertMessage(read.alert!).subject).toMatch(/^\[MiningGuard\]\[MEDIUM\] Unrecognised event/);
    expect(read.reason).toBeTruthy();
  });

  test('a flagged CloudTrail call carries its eventID, the key to alert once; a finding carries none', () => {
    const stop = cloudTrailRecord('cloudtrail.amazonaws.com', 'StopLogging', { name: 'trail' }, null, { eventId: 'e-1' });
    expect(alertForEvent(eventBridgeEvent(stop))).toMatchObject({ recognised: true, onceKey: 'e-1', alert: { detectionId: 'cloudtrail-tampering' } });
    expect(alertForEvent(guardDutyEvent(documentedFinding('CryptoCurrency:EC2/BitcoinTool.B')))).not.toHaveProperty('onceKey');
    // A call judged harmless is not alerted, so there is nothing to alert once.
    expect(alertForEvent(cloudTrailRecord('iam.amazonaws.com', 'CreateAccessKey', { userName: 'ci-bot' }))).toEqual({ alert: undefined, recognised: true });
  });

  test('GuardDuty\'s own API calls, which EventBridge sends from aws.guardduty too, are read as the calls they are, not as findings', () => {
    const deleteDetector = eventBridgeEvent(cloudTrailRecord('guardduty.amazonaws.com', 'DeleteDetector', { detectorId: 'abc' }));
    expect(deleteDetector.source).toBe('aws.guardduty');
    expect(alertForEvent(deleteDetector)).toMatchObject({ recognised: true, alert: { detectionId: 'guardduty-tampering' } });
  });

  test('an event that cannot be serialised is still quoted', () => {
    const cyclic: Record<string, unknown> = { source: 'aws.example' };
    cyclic.self = cyclic;
    expect(alertForEvent(cyclic).alert?.what).toContain('[object Object]');
  });

  test('never throws, and yields a sendable alert for whatever it does not judge harmless', () => {
    const finding = documentedFinding('CryptoCurrency:EC2/BitcoinTool.B');
    const truncatedFindings = fc.integer({ min: 0, max: 2000 }).map((n) => {
      const text = JSON.stringify(guardDutyEvent(finding));
      try {
        return JSON.parse(text.slice(0, n)) as unknown;
      } catch {
        return text.slice(0, n);
      }
    });
    const mutatedFindings = fc.record({ path: fc.constantFrom('type', 'severity', 'resource', 'service', 'region', 'id'), value: fc.jsonValue() })
      .map(({ path, value }) => guardDutyEvent({ ...finding, [path]: value }));
    fc.assert(fc.property(fc.oneof(fc.anything(), fc.jsonValue(), truncatedFindings, mutatedFindings), (event) => {
      const read = alertForEvent(event);
      // Only a recognised tamper or credential call may be judged harmless; anything else alerts.
      if (!read.alert) {
        expect(read.recognised).toBe(true);
        return;
      }
      const message = toAlertMessage(read.alert);
      expect(message.subject.length).toBeLessThan(100);
      expect(() => JSON.parse(message.message)).not.toThrow();
    }), { numRuns: 3000 });
  });
});

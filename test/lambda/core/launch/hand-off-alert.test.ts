import { toAlertMessage } from '../../../../lambda/core/alerts/render-alert';
import { FailedHandOff, handOffFailedAlert, LISTED_CALLS } from '../../../../lambda/core/launch/hand-off-alert';
import { notifierCall } from '../../../../lambda/core/launch/notifier-calls';
import { detection } from '../../../../lib/catalog';
import { cloudTrailRecord } from '../../../fixtures/documented-cloudtrail';

const REASON = 'AccessDeniedException: User is not authorized to perform: lambda:InvokeFunction';

function failed(source: string, name: string, region: string, eventId: string): FailedHandOff {
  const call = notifierCall(cloudTrailRecord(source, name, {}, null, { region, eventId }));
  if (!call || !('event' in call)) throw new Error(`${name} is not the notifier's`);
  return { call, reason: REASON };
}

describe('handOffFailedAlert', () => {
  test('nothing failed, nothing to alert', () => {
    expect(handOffFailedAlert([])).toBeUndefined();
  });

  test('one call: its own detection, unjudged, with why, where to look and what to check', () => {
    const alert = handOffFailedAlert([failed('cloudtrail.amazonaws.com', 'StopLogging', 'ap-southeast-1', 'e-1')])!;
    expect(alert).toMatchObject({ detectionId: 'cloudtrail-tampering', severity: detection('cloudtrail-tampering').severity });
    expect(toAlertMessage(alert).subject).toBe('[MiningGuard][CRITICAL] Unjudged StopLogging by user/ci-bot in ap-southeast-1');
    expect(alert.what).toContain(`- StopLogging (${detection('cloudtrail-tampering').title}) in ap-southeast-1, eventID e-1: ${REASON}`);
    expect(alert.where).toBe('Account 123456789012, region ap-southeast-1');
    expect(alert.next[1]).toMatch(/lambda:InvokeFunction/);
    expect(alert.links[0].url).toBe('https://ap-southeast-1.console.aws.amazon.com/cloudtrail/home?region=ap-southeast-1#/events/e-1');
  });

  test('many calls: one alert, led by the most severe, listing a bounded number and counting the rest', () => {
    const failures = [
      ...Array.from({ length: LISTED_CALLS + 10 }, (_, i) => failed('sts.amazonaws.com', 'GetFederationToken', 'us-east-1', `f-${i}`)),
      failed('kms.amazonaws.com', 'ScheduleKeyDeletion', 'eu-west-1', 'k-1'),
    ];
    const alert = handOffFailedAlert(failures)!;
    expect(alert.detectionId).toBe('guard-key-tampering');
    expect(alert.headline).toBe(`${LISTED_CALLS + 11} unjudged calls, first ScheduleKeyDeletion by user/ci-bot in eu-west-1`);
    expect(alert.what.split('\n').filter((l) => l.startsWith('- ')).length).toBe(LISTED_CALLS + 1);
    expect(alert.what).toContain('- and 11 more.');
    expect(toAlertMessage(alert).subject.length).toBeLessThan(100);
  });
});

import {
  DRILL_LABELS, drillHeadline, drillLaunchRecord, drillLine, drillPathOf, isDrillAlarmReason, isDrillRecord, isSampleFinding,
} from '../../../../lambda/core/doctor/drill-labels';
import { readRecord } from '../../../../lambda/core/events/cloudtrail-record';

describe('drill labels', () => {
  test('the drill record is a readable CloudTrail record whose eventID no CloudTrail event can have', () => {
    const record = drillLaunchRecord('0b5a3c4e-1111-2222-3333-444455556666', '111122223333', 'us-east-1', new Date('2026-11-30T12:00:00.123Z'));
    expect(isDrillRecord(record.eventID)).toBe(true);
    expect(typeof readRecord(record)).not.toBe('string');
    expect(record.eventID).not.toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(isDrillRecord('0b5a3c4e-1111-2222-3333-444455556666')).toBe(false);
    expect(isDrillRecord(42)).toBe(false);
  });

  test('a sample finding and a drill alarm reason are recognised from their documented fields only', () => {
    expect(isSampleFinding({ service: { additionalInfo: { sample: true } } })).toBe(true);
    expect(isSampleFinding({ service: { additionalInfo: { sample: 'true' } } })).toBe(false);
    expect(isSampleFinding({ service: { additionalInfo: {} } })).toBe(false);
    expect(isDrillAlarmReason('MiningGuard drill: set by mining-guard doctor --drill')).toBe(true);
    expect(isDrillAlarmReason('Threshold Crossed: MiningGuard drill')).toBe(false);
    expect(drillLine('alarm', true)).toMatch(new RegExp(`^${DRILL_LABELS.alarm.replace(/[()]/g, '\\$&')}: `));
    expect(drillLine('alarm', false)).toBeUndefined();
    expect(drillHeadline('8 x p3.16xlarge launched in us-east-1', true)).toBe('DRILL: 8 x p3.16xlarge launched in us-east-1');
    expect(drillHeadline('8 x p3.16xlarge launched in us-east-1', false)).toBe('8 x p3.16xlarge launched in us-east-1');
  });

  test('reads the path of an alert from the SNS envelope the queue receives', () => {
    const envelope = (Subject: string) => JSON.stringify({ Type: 'Notification', Subject, Message: 'body' });
    expect(drillPathOf(envelope(`[MiningGuard][HIGH] ${DRILL_LABELS.guardDuty}: CryptoCurrency:EC2/BitcoinTool.B!DNS`))).toBe('guardDuty');
    expect(drillPathOf(JSON.stringify({ Subject: 'x', Message: `${DRILL_LABELS.launch}: 8 p3.16xlarge` }))).toBe('launch');
    expect(drillPathOf(envelope('[MiningGuard][HIGH] a real alert'))).toBeUndefined();
    expect(drillPathOf('not json')).toBeUndefined();
    expect(drillPathOf(undefined)).toBeUndefined();
  });
});

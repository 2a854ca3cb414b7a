import { toAlertMessage } from '../../../../lambda/core/alerts/render-alert';
import { alertForEvent } from '../../../../lambda/core/notifier/alert-for-event';
import { DETECTIONS } from '../../../../lib/catalog';
import { complianceChangeEvent } from '../../../fixtures/compliance-change';

const CONFIG_DETECTIONS = DETECTIONS.filter((d) => d.signal.kind === 'config');

describe('a Config compliance change of one of MiningGuard\'s rules', () => {
  test('becomes a readable alert: rule, resource, region, account, annotation and the rule\'s compliance page', () => {
    // GIVEN
    const event = complianceChangeEvent('MiningGuard-instance-family', { type: 'AWS::EC2::Instance', id: 'i-0abcd1234efgh5678' }, 'p4d.24xlarge is in the denied family p');

    // WHEN
    const read = alertForEvent(event);
    const message = toAlertMessage(read.alert!);

    // THEN
    expect(read.recognised).toBe(true);
    expect(message.subject).toBe('[MiningGuard][HIGH] GPU or accelerator instance running: i-0abcd1234efgh5678 in sa-east-1');
    expect(message.attributes).toEqual({ severity: 'HIGH', detection: 'config-instance-family' });
    const text = (JSON.parse(message.message) as { default: string }).default;
    expect(text).toContain('AWS Config rule MiningGuard-instance-family found AWS::EC2::Instance i-0abcd1234efgh5678 NON_COMPLIANT (was COMPLIANT).');
    expect(text).toContain('Config says: p4d.24xlarge is in the denied family p');
    expect(text).toContain('Account 123456789012, region sa-east-1');
    expect(text).toContain('Config rule compliance: https://sa-east-1.console.aws.amazon.com/config/home?region=sa-east-1#/rules/details?configRuleName=MiningGuard-instance-family');
    expect(text).toContain('EC2 instance: https://sa-east-1.console.aws.amazon.com/ec2/home?region=sa-east-1#InstanceDetails:instanceId=i-0abcd1234efgh5678');
  });

  test.each(CONFIG_DETECTIONS.map((d) => [d.signal.kind === 'config' ? d.signal.rule : '', d.id]))(
    'the rule %s is read as %s, with a subject under 100 characters, under any prefix', (rule, id) => {
      for (const prefix of ['MiningGuard-', 'prod-guard-eu-west-1-']) {
        const message = toAlertMessage(alertForEvent(complianceChangeEvent(`${prefix}${rule}`, { type: 'AWS::::Account', id: '123456789012' })).alert!);
        expect(message.attributes.detection).toBe(id);
        expect(message.subject.length).toBeLessThan(100);
        expect(message.subject).toMatch(/: account in sa-east-1$/);
      }
    });

  test('a rule the catalog does not know still alerts, as a generic non-compliance', () => {
    const read = alertForEvent(complianceChangeEvent('someone-elses-rule', { type: 'AWS::S3::Bucket', id: 'logs' }));
    expect(read.recognised).toBe(true);
    expect(read.alert).toMatchObject({ detectionId: 'config-rule', severity: 'MEDIUM' });
  });

  test('an event without a rule name becomes an unrecognised-event alert', () => {
    const event = complianceChangeEvent('MiningGuard-restricted-ssh', { type: 'AWS::EC2::SecurityGroup', id: 'sg-1' });
    delete (event.detail as Record<string, unknown>).configRuleName;
    expect(alertForEvent(event)).toMatchObject({ recognised: false, reason: 'Config compliance change without configRuleName or resourceId' });
  });
});

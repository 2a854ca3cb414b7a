import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MiningGuard } from '../../lib';
import { cloudTrailSelections, CREDENTIAL_DETECTIONS, eventBridgeDetailType, TAMPER_DETECTIONS } from '../../lib/catalog';

describe('TamperWatch', () => {
  const s = new Stack(new App(), 'Guard', { env: { account: '111122223333', region: 'us-east-1' } });
  new MiningGuard(s, 'MiningGuard', { alertEmails: ['secops@example.com'] });
  const t = Template.fromStack(s);

  test('one rule per event source of the tamper and credential detections, to the notifier', () => {
    for (const [eventSource, eventNames] of cloudTrailSelections([...TAMPER_DETECTIONS, ...CREDENTIAL_DETECTIONS])) {
      t.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          'source': [`aws.${eventSource.split('.')[0]}`],
          'detail-type': [eventBridgeDetailType(eventSource)],
          'detail': { eventSource: [eventSource], eventName: eventNames },
        },
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('NotifierFunction'), 'Arn'] } })],
      });
    }
  });

  test('sign-ins are matched by their own detail type', () => {
    t.hasResourceProperties('AWS::Events::Rule', { EventPattern: { 'source': ['aws.signin'], 'detail-type': ['AWS Console Sign In via CloudTrail'] } });
  });

  test('the notifier knows the guard\'s stack, keys, trail bucket and deploying role', () => {
    const fn = Object.values(t.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.GUARD_CONTEXT);
    const context = JSON.stringify(fn?.Properties.Environment.Variables.GUARD_CONTEXT);
    expect(context).toContain('Guard-');
    expect(context).toContain('cdk-*-cfn-exec-role-*');
    expect(context).toMatch(/AuditTrailBucket/);
    expect(context).toMatch(/AlertsKey/);
  });
});

import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MiningGuard } from 'mining-guard';

const stack = new Stack(new App(), 'Guard');
new MiningGuard(stack, 'MiningGuard', { alertEmails: ['secops@example.com'] });
const template = Template.fromStack(stack);

template.hasResourceProperties('AWS::CloudTrail::Trail', { IsMultiRegionTrail: true, EnableLogFileValidation: true });
template.hasResourceProperties('AWS::GuardDuty::Detector', { FindingPublishingFrequency: 'FIFTEEN_MINUTES' });
template.hasResourceProperties('AWS::Events::Rule', {
  EventPattern: { 'source': ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'] },
});
template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'secops@example.com' });
template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });

export {};

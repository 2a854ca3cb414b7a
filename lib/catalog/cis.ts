/**
 * Detections for the CIS AWS Foundations Benchmark monitoring controls: a metric filter on the trail's log group per
 * control, with the filter pattern the benchmark publishes, and an alarm on its metric. Numbered as in section 4
 * (Monitoring) of v3.0.0 to v5.0.0; v6.0.0 moved the same controls to section 5.
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html
 */
import { Detection, MetricFilterSignal, Severity } from './types';

const LATENCY = '5-10 min (the trail\'s CloudWatch Logs delivery, then a 5-minute alarm)';
const CONTROLS_DOCS = 'https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html';

function cis<const Id extends string>(
  id: Id, control: string, metricName: string, title: string, severity: Severity, rationale: string, pattern: string,
): Detection<Id> & { readonly signal: MetricFilterSignal } {
  return {
    id,
    title,
    severity,
    signal: { kind: 'metric-filter', control, metricName, pattern },
    rationale,
    nextSteps: [
      `Search the trail's log group for the matching events (CloudWatch Logs Insights, or the filter pattern of metric ${metricName}) around the alarm's time.`,
      'Find who made the calls and whether they were planned; undo what was not, and revoke that principal\'s credentials.',
    ],
    references: { cisControls: [`CIS ${control}`], urls: [CONTROLS_DOCS] },
    responses: ['NOTIFY'],
    latency: LATENCY,
  };
}

export const CIS_DETECTIONS = [
  cis('cis-unauthorized-api-calls', '4.1', 'UnauthorizedApiCalls', 'Unauthorized API calls', 'MEDIUM',
    'Calls refused for lack of permission are how stolen credentials find out what they may do: a burst of them is the attacker probing.',
    '{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }'),
  cis('cis-console-sign-in-without-mfa', '4.2', 'ConsoleSignInWithoutMfa', 'Management Console sign-in without MFA', 'MEDIUM',
    'A console sign-in without MFA is a stolen password away from the account.',
    '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }'),
  cis('cis-root-usage', '4.3', 'RootUsage', 'Usage of the root user', 'HIGH',
    'The root user can do anything, including leaving the organization; it should almost never be used.',
    '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }'),
  cis('cis-iam-policy-changes', '4.4', 'IamPolicyChanges', 'IAM policy changes', 'MEDIUM',
    'New or wider policies are how attackers keep and widen their access.',
    '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}'),
  cis('cis-cloudtrail-changes', '4.5', 'CloudTrailConfigChanges', 'CloudTrail configuration changes', 'HIGH',
    'Changing or stopping a trail blinds the record of everything else.',
    '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }'),
  cis('cis-console-authentication-failures', '4.6', 'ConsoleAuthenticationFailures', 'Management Console authentication failures', 'MEDIUM',
    'Repeated failed sign-ins are someone guessing passwords.',
    '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }'),
  cis('cis-key-disabled-or-deleted', '4.7', 'CmkDisabledOrScheduledForDeletion', 'Disabling or scheduled deletion of customer-managed keys', 'HIGH',
    'Disabling a key makes what it encrypts unreadable: the trail\'s logs, the alert topic.',
    '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }'),
  cis('cis-s3-bucket-policy-changes', '4.8', 'S3BucketPolicyChanges', 'S3 bucket policy changes', 'MEDIUM',
    'A changed bucket policy or lifecycle can expose data or expire the trail\'s evidence.',
    '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }'),
  cis('cis-config-changes', '4.9', 'ConfigChanges', 'AWS Config configuration changes', 'HIGH',
    'Stopping the Config recorder or its delivery channel stops every Config rule from judging.',
    '{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }'),
  cis('cis-security-group-changes', '4.10', 'SecurityGroupChanges', 'Security group changes', 'LOW',
    'Opened security groups are how miners get in and reach their pools.',
    '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }'),
  cis('cis-network-acl-changes', '4.11', 'NetworkAclChanges', 'Network ACL changes', 'LOW',
    'Changed network ACLs can open what security groups close.',
    '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }'),
  cis('cis-network-gateway-changes', '4.12', 'NetworkGatewayChanges', 'Network gateway changes', 'LOW',
    'New gateways open paths into and out of the network.',
    '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }'),
  cis('cis-route-table-changes', '4.13', 'RouteTableChanges', 'Route table changes', 'LOW',
    'Changed routes can send traffic around the controls that watch it.',
    '{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }'),
  cis('cis-vpc-changes', '4.14', 'VpcChanges', 'VPC changes', 'LOW',
    'New VPCs and peerings are places and paths nobody reviewed.',
    '{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }'),
  cis('cis-organizations-changes', '4.15', 'OrganizationsChanges', 'AWS Organizations changes', 'HIGH',
    'Organization changes move accounts out from under the policies and trails that guard them.',
    '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }'),
] as const;

/**
 * The CIS AWS Foundations Benchmark monitoring metric filters, with the filter patterns the benchmark publishes, as
 * data. Numbered as in section 4 (Monitoring) of v3.0.0 to v5.0.0; v6.0.0 moved the same controls to section 5.
 */

/** One CIS monitoring control: a metric filter on the trail's log group and an alarm when it matches. */
export interface CisMonitoringControl {
  /** The control number, e.g. `4.1`. */
  readonly control: string;
  /** A name for the metric and the construct id, in PascalCase. */
  readonly name: string;
  /** What the alarm means, for its description. */
  readonly description: string;
  /** The CloudWatch Logs filter pattern, exactly as the benchmark gives it. */
  readonly pattern: string;
}

export const CIS_MONITORING_CONTROLS: readonly CisMonitoringControl[] = [
  {
    control: '4.1',
    name: 'UnauthorizedApiCalls',
    description: 'Unauthorized API calls',
    pattern: '{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
  },
  {
    control: '4.2',
    name: 'ConsoleSignInWithoutMfa',
    description: 'Management Console sign-in without MFA',
    pattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
  },
  {
    control: '4.3',
    name: 'RootUsage',
    description: 'Usage of the root user',
    pattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
  },
  {
    control: '4.4',
    name: 'IamPolicyChanges',
    description: 'IAM policy changes',
    pattern: '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}',
  },
  {
    control: '4.5',
    name: 'CloudTrailConfigChanges',
    description: 'CloudTrail configuration changes',
    pattern: '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
  },
  {
    control: '4.6',
    name: 'ConsoleAuthenticationFailures',
    description: 'Management Console authentication failures',
    pattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
  },
  {
    control: '4.7',
    name: 'CmkDisabledOrScheduledForDeletion',
    description: 'Disabling or scheduled deletion of customer-managed keys',
    pattern: '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }',
  },
  {
    control: '4.8',
    name: 'S3BucketPolicyChanges',
    description: 'S3 bucket policy changes',
    pattern: '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }',
  },
  {
    control: '4.9',
    name: 'ConfigChanges',
    description: 'AWS Config configuration changes',
    pattern: '{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }',
  },
  {
    control: '4.10',
    name: 'SecurityGroupChanges',
    description: 'Security group changes',
    pattern: '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }',
  },
  {
    control: '4.11',
    name: 'NetworkAclChanges',
    description: 'Network ACL changes',
    pattern: '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }',
  },
  {
    control: '4.12',
    name: 'NetworkGatewayChanges',
    description: 'Network gateway changes',
    pattern: '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }',
  },
  {
    control: '4.13',
    name: 'RouteTableChanges',
    description: 'Route table changes',
    pattern: '{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }',
  },
  {
    control: '4.14',
    name: 'VpcChanges',
    description: 'VPC changes',
    pattern: '{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }',
  },
  {
    control: '4.15',
    name: 'OrganizationsChanges',
    description: 'AWS Organizations changes',
    pattern: '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }',
  },
];

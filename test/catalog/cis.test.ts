import { classifyAlarmMetric, CIS_DETECTIONS } from '../../lib/catalog';

/** `($.eventName = A) || ($.eventName = B)`, the benchmark's way of listing calls. */
const names = (...eventNames: string[]) => eventNames.map((n) => `($.eventName = ${n})`).join(' || ');
/** `($.eventName = "A") || ...`, as the benchmark quotes the Organizations calls. */
const quoted = (...eventNames: string[]) => eventNames.map((n) => `($.eventName = "${n}")`).join(' || ');
/** `($.eventName=A)||($.eventName=B)`, the benchmark's compact way in 4.4. */
const compact = (...eventNames: string[]) => eventNames.map((n) => `($.eventName=${n})`).join('||');

/** Section 4 (Monitoring) of the CIS AWS Foundations Benchmark: control, metric, filter pattern as published. */
const BENCHMARK: Array<[string, string, string]> = [
  ['4.1', 'UnauthorizedApiCalls', '{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") '
    + '&& ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }'],
  ['4.2', 'ConsoleSignInWithoutMfa', '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }'],
  ['4.3', 'RootUsage', '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }'],
  ['4.4', 'IamPolicyChanges', `{${compact('DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'PutRolePolicy',
    'PutUserPolicy', 'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'AttachRolePolicy', 'DetachRolePolicy',
    'AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy')}}`],
  ['4.5', 'CloudTrailConfigChanges', `{ ${names('CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging')} }`],
  ['4.6', 'ConsoleAuthenticationFailures', '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }'],
  ['4.7', 'CmkDisabledOrScheduledForDeletion',
    '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }'],
  ['4.8', 'S3BucketPolicyChanges', `{ ($.eventSource = s3.amazonaws.com) && (${names('PutBucketAcl', 'PutBucketPolicy', 'PutBucketCors',
    'PutBucketLifecycle', 'PutBucketReplication', 'DeleteBucketPolicy', 'DeleteBucketCors', 'DeleteBucketLifecycle', 'DeleteBucketReplication')}) }`],
  ['4.9', 'ConfigChanges', '{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)'
    + '||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }'],
  ['4.10', 'SecurityGroupChanges', `{ ${names('AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress',
    'RevokeSecurityGroupEgress', 'CreateSecurityGroup', 'DeleteSecurityGroup')} }`],
  ['4.11', 'NetworkAclChanges', `{ ${names('CreateNetworkAcl', 'CreateNetworkAclEntry', 'DeleteNetworkAcl', 'DeleteNetworkAclEntry',
    'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation')} }`],
  ['4.12', 'NetworkGatewayChanges', `{ ${names('CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachInternetGateway',
    'CreateInternetGateway', 'DeleteInternetGateway', 'DetachInternetGateway')} }`],
  ['4.13', 'RouteTableChanges', `{ ${names('CreateRoute', 'CreateRouteTable', 'ReplaceRoute', 'ReplaceRouteTableAssociation',
    'DeleteRouteTable', 'DeleteRoute', 'DisassociateRouteTable')} }`],
  ['4.14', 'VpcChanges', `{ ${names('CreateVpc', 'DeleteVpc', 'ModifyVpcAttribute', 'AcceptVpcPeeringConnection', 'CreateVpcPeeringConnection',
    'DeleteVpcPeeringConnection', 'RejectVpcPeeringConnection', 'AttachClassicLinkVpc', 'DetachClassicLinkVpc', 'DisableVpcClassicLink',
    'EnableVpcClassicLink')} }`],
  ['4.15', 'OrganizationsChanges', `{ ($.eventSource = organizations.amazonaws.com) && (${quoted('AcceptHandshake', 'AttachPolicy',
    'CreateAccount', 'CreateOrganizationalUnit', 'CreatePolicy', 'DeclineHandshake', 'DeleteOrganization', 'DeleteOrganizationalUnit',
    'DeletePolicy', 'DetachPolicy', 'DisablePolicyType', 'EnablePolicyType', 'InviteAccountToOrganization', 'LeaveOrganization', 'MoveAccount',
    'RemoveAccountFromOrganization', 'UpdatePolicy', 'UpdateOrganizationalUnit')}) }`],
];

describe('the CIS detections', () => {
  test('are controls 4.1 to 4.15, in order', () => {
    expect(CIS_DETECTIONS.map((d) => d.signal.control)).toEqual(Array.from({ length: 15 }, (_, i) => `4.${i + 1}`));
  });

  test.each(BENCHMARK)('control %s counts %s with the benchmark\'s exact pattern', (control, metricName, pattern) => {
    const d = CIS_DETECTIONS.find((c) => c.signal.control === control)!;
    expect(d.signal).toEqual({ kind: 'metric-filter', control, metricName, pattern });
  });

  test('each names its control, is cis- prefixed, and only notifies', () => {
    for (const d of CIS_DETECTIONS) {
      expect([d.id, d.references.cisControls, d.responses]).toEqual([expect.stringMatching(/^cis-/), [`CIS ${d.signal.control}`], ['NOTIFY']]);
      expect(d.references.urls).toEqual(['https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html']);
    }
  });

  test('each metric is its own, so an alarm on it is recognised as its control', () => {
    const metrics = CIS_DETECTIONS.map((d) => d.signal.metricName);
    expect(new Set(metrics).size).toBe(metrics.length);
    for (const d of CIS_DETECTIONS) {
      expect(d.signal.metricName).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(classifyAlarmMetric('MiningGuard/CIS', d.signal.metricName).id).toBe(d.id);
    }
  });

  test('the next steps point to the filter\'s own metric', () => {
    for (const d of CIS_DETECTIONS) expect(d.nextSteps[0]).toContain(`the filter pattern of metric ${d.signal.metricName}`);
  });
});

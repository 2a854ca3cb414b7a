/** Console deep links, per partition, for the resources alerts name. */

const CONSOLE_HOSTS: Readonly<Record<string, string>> = {
  'aws': 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
};

/** The console origin for a region, e.g. `https://us-east-1.console.aws.amazon.com`. */
export function consoleOrigin(partition: string, region: string): string {
  const host = CONSOLE_HOSTS[partition] ?? CONSOLE_HOSTS.aws;
  return partition === 'aws' ? `https://${region}.${host}` : `https://${host}`;
}

const q = encodeURIComponent;

export function guardDutyFindingUrl(partition: string, region: string, findingId: string): string {
  return `${consoleOrigin(partition, region)}/guardduty/home?region=${q(region)}#/findings?macros=current&fId=${q(findingId)}`;
}

export function ec2InstanceUrl(partition: string, region: string, instanceId: string): string {
  return `${consoleOrigin(partition, region)}/ec2/home?region=${q(region)}#InstanceDetails:instanceId=${q(instanceId)}`;
}

export function iamUserUrl(partition: string, userName: string): string {
  return `${consoleOrigin(partition, 'us-east-1')}/iam/home#/users/details/${q(userName)}`;
}

export function iamRoleUrl(partition: string, roleName: string): string {
  return `${consoleOrigin(partition, 'us-east-1')}/iam/home#/roles/details/${q(roleName)}`;
}

/** CloudTrail event history filtered by one attribute (e.g. `AccessKeyId`, `Username`, `EventName`). */
export function cloudTrailEventsUrl(partition: string, region: string, attribute: string, value: string): string {
  return `${consoleOrigin(partition, region)}/cloudtrail/home?region=${q(region)}#/events?${q(attribute)}=${q(value)}`;
}

/** The compliance page of a Config rule: which resources it judges non-compliant, and why. */
export function configRuleUrl(partition: string, region: string, configRuleName: string): string {
  return `${consoleOrigin(partition, region)}/config/home?region=${q(region)}#/rules/details?configRuleName=${q(configRuleName)}`;
}

/** Console deep links, per partition, for the resources alerts name. */
import { isRegionName } from '../../../lib/catalog';

const CONSOLE_HOSTS: Readonly<Record<string, string>> = {
  'aws': 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
};

/** The console origin for a region, e.g. `https://us-east-1.console.aws.amazon.com`; without a real region, the global one. */
export function consoleOrigin(partition: string, region: string): string {
  const host = Object.hasOwn(CONSOLE_HOSTS, partition) ? CONSOLE_HOSTS[partition] : CONSOLE_HOSTS.aws;
  // Only a region name may become part of the host: an attacker-written `awsRegion` must never choose it.
  return partition === 'aws' && isRegionName(region) ? `https://${region}.${host}` : `https://${host}`;
}

/** A URL component of any string: a lone surrogate (JSON lets one through) becomes U+FFFD instead of a URIError. */
function q(text: string): string {
  return encodeURIComponent(text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
}

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

/** One CloudTrail event in the console's event history. */
export function cloudTrailEventUrl(partition: string, region: string, eventId: string): string {
  return `${consoleOrigin(partition, region)}/cloudtrail/home?region=${q(region)}#/events/${q(eventId)}`;
}

/** A CloudWatch alarm's page: its history, metric and state. */
export function cloudWatchAlarmUrl(partition: string, region: string, alarmName: string): string {
  return `${consoleOrigin(partition, region)}/cloudwatch/home?region=${q(region)}#alarmsV2:alarm/${q(alarmName)}`;
}

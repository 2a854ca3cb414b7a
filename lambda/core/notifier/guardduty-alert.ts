/** Turns a GuardDuty finding (EventBridge `GuardDuty Finding` detail) into an alert. */
import { EventReader, MalformedEventError } from './event-reader';
import { classifyGuardDutyFinding, guardDutySeverityLabel, maxSeverity } from '../../../lib/catalog';
import type { Alert, AlertLink } from '../alerts/alert';
import { textLines } from '../alerts/alert-text';
import { cloudTrailEventsUrl, ec2InstanceUrl, guardDutyFindingUrl, iamUserUrl } from '../alerts/console-links';
import { drillHeadline, drillLine, isSampleFinding } from '../doctor/drill-labels';
import { fieldAt, isObject, numberAt, stringAt } from '../events/event-fields';


/** The resource a finding is about, as a short name for the subject and a sentence for the body. */
interface ResourceDescription {
  readonly short: string;
  readonly long: string;
  readonly links: AlertLink[];
}

function describeResource(finding: unknown, partition: string, region: string): ResourceDescription {
  const type = stringAt(finding, 'resource.resourceType') ?? 'resource';
  const instanceId = stringAt(finding, 'resource.instanceDetails.instanceId');
  if (type === 'Instance' && instanceId) {
    const instanceType = stringAt(finding, 'resource.instanceDetails.instanceType');
    return {
      short: instanceId,
      long: `EC2 instance ${instanceId}${instanceType ? ` (${instanceType})` : ''}`,
      links: [{ label: 'EC2 instance', url: ec2InstanceUrl(partition, region, instanceId) }],
    };
  }
  const userName = stringAt(finding, 'resource.accessKeyDetails.userName');
  if (type === 'AccessKey') {
    const keyId = stringAt(finding, 'resource.accessKeyDetails.accessKeyId');
    const userType = stringAt(finding, 'resource.accessKeyDetails.userType') ?? 'identity';
    const links: AlertLink[] = [];
    if (userName && userType === 'IAMUser') links.push({ label: 'IAM user', url: iamUserUrl(partition, userName) });
    if (keyId) links.push({ label: 'CloudTrail events of this key', url: cloudTrailEventsUrl(partition, region, 'AccessKeyId', keyId) });
    return {
      short: userName ?? keyId ?? 'access key',
      long: `${userType} ${userName ?? '(unnamed)'}${keyId ? `, access key ${keyId}` : ''}`,
      links,
    };
  }
  const named: Array<[string, string, string]> = [
    ['S3Bucket', 'resource.s3BucketDetails.0.name', 'S3 bucket'],
    ['Lambda', 'resource.lambdaDetails.functionName', 'Lambda function'],
    ['ECSCluster', 'resource.ecsClusterDetails.name', 'ECS cluster'],
    ['EKSCluster', 'resource.eksClusterDetails.name', 'EKS cluster'],
    ['Container', 'resource.containerDetails.name', 'container'],
    ['RDSDBInstance', 'resource.rdsDbInstanceDetails.dbInstanceIdentifier', 'RDS instance'],
    ['EC2NetworkInterface', 'resource.ec2NetworkInterfaceUids.0', 'network interface'],
  ];
  for (const [resourceType, path, label] of named) {
    const name = stringAt(finding, path);
    if (type === resourceType && name) return { short: name, long: `${label} ${name}`, links: [] };
  }
  return { short: instanceId ?? userName ?? type, long: type, links: [] };
}

/** Who acted, from the finding's action: the caller, its network origin and its software. */
function describeActors(finding: unknown): string[] {
  const who: string[] = [];
  const user = stringAt(finding, 'resource.accessKeyDetails.userName');
  const principal = stringAt(finding, 'resource.accessKeyDetails.principalId');
  if (user || principal) {
    who.push(`Principal: ${[stringAt(finding, 'resource.accessKeyDetails.userType'), user].filter(Boolean).join(' ')}${principal ? ` (principal id ${principal})` : ''}`);
  }
  const api = stringAt(finding, 'service.action.awsApiCallAction.api');
  if (api) {
    const service = stringAt(finding, 'service.action.awsApiCallAction.serviceName');
    const error = stringAt(finding, 'service.action.awsApiCallAction.errorCode');
    who.push(`API call: ${[service, api].filter(Boolean).join(' ')}${error ? ` (failed: ${error})` : ''}`);
  }
  for (const action of ['awsApiCallAction', 'networkConnectionAction', 'portProbeAction.portProbeDetails.0', 'kubernetesApiCallAction']) {
    const ip = stringAt(finding, `service.action.${action}.remoteIpDetails.ipAddressV4`)
      ?? stringAt(finding, `service.action.${action}.remoteIpDetails.ipAddressV6`);
    if (!ip) continue;
    const base = `service.action.${action}.remoteIpDetails`;
    const org = stringAt(finding, `${base}.organization.asnOrg`) ?? stringAt(finding, `${base}.organization.org`);
    const country = stringAt(finding, `${base}.country.countryName`);
    const detail = [org, country].filter(Boolean).join(', ');
    who.push(`Remote IP: ${ip}${detail ? ` (${detail})` : ''}`);
    const port = stringAt(finding, `service.action.${action}.remotePortDetails.port`);
    if (port) who.push(`Remote port: ${port}${stringAt(finding, `service.action.${action}.remotePortDetails.portName`) ? ` (${stringAt(finding, `service.action.${action}.remotePortDetails.portName`)})` : ''}`);
    break;
  }
  const domain = stringAt(finding, 'service.action.dnsRequestAction.domain');
  if (domain) who.push(`Domain queried: ${domain}`);
  const userAgent = stringAt(finding, 'service.action.awsApiCallAction.userAgent.fullUserAgent')
    ?? stringAt(finding, 'service.additionalInfo.userAgent.fullUserAgent');
  if (userAgent) who.push(`User agent: ${userAgent}`);
  const process = stringAt(finding, 'service.runtimeDetails.process.executablePath') ?? stringAt(finding, 'service.runtimeDetails.process.name');
  if (process) who.push(`Process: ${process}`);
  if (who.length === 0) who.push('GuardDuty names no actor for this finding type: see the finding.');
  return who;
}

/** Whether the event is a GuardDuty finding as EventBridge delivers it. */
function isWrappedFinding(event: unknown): boolean {
  return stringAt(event, 'source') === 'aws.guardduty' && stringAt(event, 'detail-type') === 'GuardDuty Finding' && isObject(fieldAt(event, 'detail'));
}

/** The GuardDuty finding inside an EventBridge event, or the event itself when it is a bare finding. */
export function guardDutyFindingOf(event: unknown): unknown {
  return isWrappedFinding(event) ? fieldAt(event, 'detail') : event;
}

/**
 * Whether the event is, or wraps, a GuardDuty finding: `detail-type: GuardDuty Finding`, or a bare finding. Other
 * events from `aws.guardduty` are not findings: its API calls are the CloudTrail reader's, anything else is unrecognised.
 */
export function isGuardDutyEvent(event: unknown): boolean {
  return isWrappedFinding(event)
    || (stringAt(event, 'source') === undefined && stringAt(event, 'schemaVersion') !== undefined && stringAt(event, 'service.serviceName') === 'guardduty');
}

/** The alert for a GuardDuty finding. Throws `MalformedEventError` when the finding lacks its type or severity. */
export function guardDutyAlert(event: unknown): Alert {
  const finding = guardDutyFindingOf(event);
  const type = fieldAt(finding, 'type');
  const severityScore = numberAt(finding, 'severity');
  if (typeof type !== 'string' || type === '') throw new MalformedEventError('GuardDuty finding without a `type` string');
  if (severityScore === undefined) throw new MalformedEventError(`GuardDuty finding ${type} without a numeric \`severity\``);

  const detection = classifyGuardDutyFinding(type);
  const partition = stringAt(finding, 'partition') ?? 'aws';
  const region = stringAt(finding, 'region') ?? stringAt(event, 'region') ?? 'unknown-region';
  const account = stringAt(finding, 'accountId') ?? stringAt(event, 'account') ?? 'unknown account';
  const findingId = stringAt(finding, 'id');
  const resource = describeResource(finding, partition, region);
  const gdLabel = guardDutySeverityLabel(severityScore);
  const count = numberAt(finding, 'service.count');
  const first = stringAt(finding, 'service.eventFirstSeen');
  const last = stringAt(finding, 'service.eventLastSeen');
  const description = stringAt(finding, 'description') ?? stringAt(finding, 'title') ?? type;

  const seen = [
    count !== undefined ? `seen ${count} time${count === 1 ? '' : 's'}` : undefined,
    first && last && first !== last ? `between ${first} and ${last}` : (last ? `at ${last}` : undefined),
  ].filter(Boolean).join(' ');

  const links: AlertLink[] = [];
  if (findingId) links.push({ label: 'GuardDuty finding', url: guardDutyFindingUrl(partition, region, findingId) });
  links.push(...resource.links);

  const refs: Record<string, string> = { findingType: type };
  if (findingId) refs.findingId = findingId;
  const eventId = stringAt(event, 'id');
  if (eventId && eventId !== findingId) refs.eventId = eventId;

  return {
    severity: maxSeverity(detection.severity, gdLabel),
    detectionId: detection.id,
    title: detection.title,
    headline: drillHeadline(`${type} on ${resource.short} in ${region}`, isSampleFinding(finding)),
    what: textLines([drillLine('guardDuty', isSampleFinding(finding)), description, `GuardDuty finding ${type} on ${resource.long}, GuardDuty severity ${severityScore} (${gdLabel})${seen ? `, ${seen}` : ''}.`]),
    who: describeActors(finding),
    where: `Account ${account}, region ${region}`,
    why: detection.rationale,
    done: ['Notified this channel. No containment acts on GuardDuty findings.'],
    next: detection.nextSteps,
    links,
    refs,
  };
}

/** GuardDuty findings, wrapped by EventBridge or bare. */
export const GUARDDUTY_READER: EventReader = { matches: isGuardDutyEvent, read: guardDutyAlert };

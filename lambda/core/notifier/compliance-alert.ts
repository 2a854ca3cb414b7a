/** Turns an AWS Config `Config Rules Compliance Change` event of one of MiningGuard's rules into an alert. */
import { EventReader, MalformedEventError } from './event-reader';
import { classifyConfigRule } from '../../../lib/catalog';
import type { Alert, AlertLink } from '../alerts/alert';
import { textLines } from '../alerts/alert-text';
import { configRuleUrl, ec2InstanceUrl } from '../alerts/console-links';
import { stringAt } from '../events/event-fields';

export function isComplianceChangeEvent(event: unknown): boolean {
  return stringAt(event, 'source') === 'aws.config' && stringAt(event, 'detail-type') === 'Config Rules Compliance Change';
}

/** The alert for a compliance change. Throws `MalformedEventError` without a rule name or a resource. */
export function complianceAlert(event: unknown): Alert {
  const detail = (event as { detail?: unknown }).detail;
  const ruleName = stringAt(detail, 'configRuleName');
  const resourceId = stringAt(detail, 'resourceId') ?? stringAt(detail, 'newEvaluationResult.evaluationResultIdentifier.evaluationResultQualifier.resourceId');
  if (!ruleName || !resourceId) throw new MalformedEventError('Config compliance change without configRuleName or resourceId');
  const resourceType = stringAt(detail, 'resourceType')
    ?? stringAt(detail, 'newEvaluationResult.evaluationResultIdentifier.evaluationResultQualifier.resourceType') ?? 'resource';
  const compliance = stringAt(detail, 'newEvaluationResult.complianceType') ?? 'UNKNOWN';
  const previous = stringAt(detail, 'oldEvaluationResult.complianceType');
  const annotation = stringAt(detail, 'newEvaluationResult.annotation');
  const region = stringAt(detail, 'awsRegion') ?? stringAt(event, 'region') ?? 'unknown-region';
  const account = stringAt(detail, 'awsAccountId') ?? stringAt(event, 'account') ?? 'unknown account';
  const partition = /^arn:([^:]+):/.exec(stringAt(detail, 'configRuleARN') ?? '')?.[1] ?? 'aws';
  // A rule the catalog does not know still reaches people: the pattern routes only MiningGuard's rules, but names can change.
  const detection = classifyConfigRule(ruleName);

  const links: AlertLink[] = [{ label: 'Config rule compliance', url: configRuleUrl(partition, region, ruleName) }];
  if (resourceType === 'AWS::EC2::Instance') links.push({ label: 'EC2 instance', url: ec2InstanceUrl(partition, region, resourceId) });
  // The account itself is the resource of account-wide rules: name the rule instead of repeating the account id.
  const subjectResource = resourceType === 'AWS::::Account' ? 'account' : resourceId;

  const refs: Record<string, string> = { configRule: ruleName };
  const eventId = stringAt(event, 'id');
  if (eventId) refs.eventId = eventId;

  return {
    severity: detection.severity,
    detectionId: detection.id,
    title: detection.title,
    headline: `${detection.title}: ${subjectResource} in ${region}`,
    what: textLines([
      `AWS Config rule ${ruleName} found ${resourceType} ${resourceId} ${compliance}${previous ? ` (was ${previous})` : ''}.`,
      annotation ? `Config says: ${annotation}` : undefined,
    ]),
    who: ['AWS Config evaluated the resource; see CloudTrail for who changed it.'],
    where: `Account ${account}, region ${region}`,
    why: detection.rationale,
    done: ['Notified this channel. No containment acts on Config rules.'],
    next: detection.nextSteps,
    links,
    refs,
  };
}

/** Config compliance changes, as EventBridge delivers them. */
export const COMPLIANCE_READER: EventReader = { matches: isComplianceChangeEvent, read: complianceAlert };

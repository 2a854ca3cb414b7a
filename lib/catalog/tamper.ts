/** Detections for blinding the defender: turning off the trail, GuardDuty, Config, cost alarms, or the guard itself. */
import { CLOUDTRAIL_LATENCY } from './latency';
import { CloudTrailSignal, Detection } from './types';

const RESPOND = ['Undo the change, then find who made it and what else that principal did in the last hours.'];

function tamper<const Id extends string>(id: Id, title: string, eventSource: string, eventNames: string[], rationale: string, references: Detection['references'], severity: Detection['severity'] = 'HIGH'): Detection<Id> & { readonly signal: CloudTrailSignal } {
  return { id, title, severity, signal: { kind: 'cloudtrail', eventSource, eventNames }, rationale, nextSteps: RESPOND, references, responses: ['NOTIFY'], latency: CLOUDTRAIL_LATENCY };
}

export const TAMPER_DETECTIONS = [
  tamper('cloudtrail-tampering', 'CloudTrail stopped, deleted or narrowed', 'cloudtrail.amazonaws.com',
    ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors'],
    'The trail is the record of everything else; attackers stop or narrow it before they launch. Failed attempts count: they show intent.',
    { cisControls: ['CIS 4.5'], stratusTechniques: ['aws.defense-evasion.cloudtrail-stop', 'aws.defense-evasion.cloudtrail-delete', 'aws.defense-evasion.cloudtrail-event-selectors'], mitreAttack: ['T1562.008'] },
    'CRITICAL'),
  tamper('trail-bucket-tampering', 'Trail bucket policy or lifecycle changed', 's3.amazonaws.com',
    ['PutBucketLifecycle', 'PutBucketPolicy', 'DeleteBucketPolicy'],
    'A lifecycle rule that expires the trail\'s log files after a day, or a policy that stops CloudTrail writing, erases the evidence quietly.',
    { cisControls: ['CIS 4.8'], mitreAttack: ['T1562.008', 'T1485'] }),
  tamper('guardduty-tampering', 'GuardDuty disabled, detached or told to look away', 'guardduty.amazonaws.com',
    ['DeleteDetector', 'UpdateDetector', 'DisassociateFromAdministratorAccount', 'DisassociateFromMasterAccount', 'CreateIPSet', 'UpdateIPSet', 'CreateFilter'],
    'Deleting or disabling the detector, leaving the administrator account, trusting the attacker\'s IPs or auto-archiving findings blinds the signal that names mining.',
    { mitreAttack: ['T1562.001'] }, 'CRITICAL'),
  tamper('config-tampering', 'AWS Config recording stopped or rules deleted', 'config.amazonaws.com',
    ['StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel', 'DeleteConfigRule'],
    'Without the recorder, configuration drift (GPU instances, IMDSv1, open SSH) is no longer evaluated.',
    { cisControls: ['CIS 4.9'], mitreAttack: ['T1562.001'] }),
  tamper('budget-tampering', 'Budget deleted or changed', 'budgets.amazonaws.com',
    ['DeleteBudget', 'UpdateBudget', 'DeleteNotification', 'DeleteSubscriber'],
    'The bill is the signal of last resort; deleting its alarms lets a mining bill grow unseen.',
    { mitreAttack: ['T1562'] }),
  tamper('cost-anomaly-tampering', 'Cost Anomaly Detection deleted', 'ce.amazonaws.com',
    ['DeleteAnomalyMonitor', 'DeleteAnomalySubscription', 'UpdateAnomalySubscription'],
    'Cost Anomaly Detection sees the bill\'s shape change; deleting it hides a mining bill until the invoice.',
    { mitreAttack: ['T1562'] }),
  tamper('organization-leave', 'Account leaving its organization', 'organizations.amazonaws.com', ['LeaveOrganization'],
    'Leaving the organization removes its SCPs, its organization trail and its delegated GuardDuty: everything that guarded the account from above.',
    { stratusTechniques: ['aws.defense-evasion.organizations-leave'], mitreAttack: ['T1666'] }, 'CRITICAL'),
  tamper('flow-logs-deleted', 'VPC flow logs deleted', 'ec2.amazonaws.com', ['DeleteFlowLogs'],
    'Flow logs show the miner\'s pool connections; attackers delete them with the trail.',
    { stratusTechniques: ['aws.defense-evasion.vpc-remove-flow-logs'], mitreAttack: ['T1562.008'] }),
  tamper('dns-logs-deleted', 'Route 53 Resolver query logging deleted', 'route53resolver.amazonaws.com', ['DeleteResolverQueryLogConfig'],
    'Resolver query logs show mining-pool lookups; deleting them hides where the miners connect.',
    { stratusTechniques: ['aws.defense-evasion.dns-delete-logs'], mitreAttack: ['T1562.008'] }),
  tamper('guard-rule-tampering', 'MiningGuard rule disabled or removed', 'events.amazonaws.com', ['DisableRule', 'DeleteRule', 'RemoveTargets'],
    'Disabling MiningGuard\'s own rules stops every detection that goes through them, silently.',
    { mitreAttack: ['T1562.001'] }, 'CRITICAL'),
  tamper('guard-function-tampering', 'MiningGuard function changed or throttled', 'lambda.amazonaws.com',
    ['UpdateFunctionCode20150331v2', 'UpdateFunctionConfiguration20150331v2', 'DeleteFunction20150331', 'PutFunctionConcurrency20171031'],
    'New code, a changed policy or a concurrency of zero turns MiningGuard\'s evaluators off or against you.',
    { mitreAttack: ['T1562.001'] }, 'CRITICAL'),
  tamper('guard-topic-tampering', 'MiningGuard alert topic changed', 'sns.amazonaws.com', ['Unsubscribe', 'DeleteTopic', 'SetTopicAttributes'],
    'Unsubscribing people or deleting the topic means the next alert reaches nobody.',
    { mitreAttack: ['T1562.001'] }, 'CRITICAL'),
  tamper('guard-key-tampering', 'MiningGuard key disabled or its policy changed', 'kms.amazonaws.com', ['DisableKey', 'ScheduleKeyDeletion', 'PutKeyPolicy'],
    'Without its key the alert topic silently drops every message, and the trail\'s logs cannot be read.',
    { mitreAttack: ['T1562.001'] }, 'CRITICAL'),
] as const;

/**
 * EventBridge rules that select CloudTrail calls for catalog detections: each event source's calls are one `$or`
 * branch, each identity whose every call is selected (the root user) another, and branches share a rule up to
 * EventBridge's pattern length, so the guard uses few of the account's rules.
 */
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { cloudTrailSelections, Detection, eventBridgeDetailType, eventBridgeSource, identitySelections } from '../catalog';

/**
 * EventBridge's default quota on the length of one rule's event pattern, in characters.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
 */
export const MAX_EVENT_PATTERN_LENGTH = 2048;

/** The calls of one event source, as one branch of a pattern. */
interface SourceBranch {
  readonly 'source': string[];
  readonly 'detail-type': string[];
  readonly 'detail': { readonly eventSource: string[]; readonly eventName: string[] };
}

/**
 * Every API call of one kind of identity, from any AWS service. EventBridge delivers the API calls that change
 * something, never read-only ones: those reach the guard through the trail's log group only.
 */
interface IdentityBranch {
  readonly 'source': Array<{ readonly prefix: string }>;
  readonly 'detail-type': string[];
  readonly 'detail': { readonly userIdentity: { readonly type: string[] } };
}

type Branch = SourceBranch | IdentityBranch;

/**
 * The event patterns that select exactly the detections' CloudTrail calls: one branch per event source and one per
 * identity type, packed in catalog order into as few patterns as fit {@link MAX_EVENT_PATTERN_LENGTH}.
 */
export function cloudTrailPatterns(detections: readonly Detection[]): Array<Record<string, unknown>> {
  const groups: Branch[][] = [];
  const sourceBranches = [...cloudTrailSelections(detections)].map(([eventSource, eventNames]): Branch => ({
    'source': [eventBridgeSource(eventSource)],
    'detail-type': [eventBridgeDetailType(eventSource)],
    'detail': { eventSource: [eventSource], eventName: [...eventNames] },
  }));
  const identityBranches = identitySelections(detections).map((signal): Branch => ({
    // Only AWS services can send events whose source starts with `aws.`: no one can forge a root call with PutEvents.
    'source': [{ prefix: 'aws.' }],
    'detail-type': ['AWS API Call via CloudTrail'],
    'detail': { userIdentity: { type: [signal.identityType] } },
  }));
  for (const branch of [...sourceBranches, ...identityBranches]) {
    const last = groups[groups.length - 1];
    if (last && patternLength(patternOf([...last, branch])) <= MAX_EVENT_PATTERN_LENGTH) last.push(branch);
    else groups.push([branch]);
  }
  return groups.map(patternOf);
}

/** A pattern's length as EventBridge counts it, assuming the roomiest serialization (a space after each `,` and `:`). */
export function patternLength(pattern: unknown): number {
  return JSON.stringify(pattern).replace(/[,:]/g, '$& ').length;
}

function patternOf(branches: readonly Branch[]): Record<string, unknown> {
  return branches.length === 1 ? { ...branches[0] } : { $or: branches };
}

/** The rules of {@link cloudTrailPatterns}, each to `target`. */
export function cloudTrailRules(scope: Construct, detections: readonly Detection[], target: events.IRuleTarget, purpose: string): events.Rule[] {
  const patterns = cloudTrailPatterns(detections);
  return patterns.map((pattern, i) => new events.Rule(scope, patterns.length === 1 ? 'Rule' : `Rule${i + 1}`, {
    description: `MiningGuard: ${purpose}${patterns.length === 1 ? '' : ` (${i + 1} of ${patterns.length})`}`,
    // The keys are already EventBridge's own (`detail-type`, `$or`), which the L2 passes through unchanged.
    eventPattern: pattern as events.EventPattern,
    targets: [target],
  }));
}

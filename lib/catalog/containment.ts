/** Containment's IAM side, one entry per kind of step: the actions its calls need, with the conditions that narrow them. */
import type { Response } from './types';

/** The kinds of containment step; the handler's planner and actor are typed by this union, so a kind without an entry fails to compile. */
export type ContainmentKind =
  | 'stop-instances' | 'quarantine-instances' | 'stop-autoscaling-group' | 'cancel-spot-fleet-request'
  | 'cancel-spot-instance-requests' | 'stop-fleet' | 'scale-ecs-service-to-zero' | 'stop-ecs-task'
  | 'disable-batch-compute-environment' | 'stop-sagemaker-notebook' | 'stop-sagemaker-training-job' | 'stop-sagemaker-processing-job';

/** IAM condition blocks, as a policy statement writes them: operator, then key, then value(s). */
export type GrantConditions = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

/** Some actions, and the conditions under which they are allowed. */
export interface ContainmentGrant {
  readonly actions: readonly string[];
  readonly conditions?: GrantConditions;
}

/**
 * The role each member account of an organization holds for the central launch evaluator: it assumes it to look up
 * and contain an event in that event's own account.
 */
export const CONTAINMENT_ROLE_NAME = 'mining-guard-containment';

/**
 * What the central launch evaluator reads in a member account, through the containment role, before it judges and
 * contains: the instances, templates, groups and task definitions a call names, and CloudTrail's copy of the event.
 */
export const MEMBER_LOOKUP_ACTIONS: readonly string[] = [
  'autoscaling:DescribeAutoScalingGroups', 'cloudtrail:LookupEvents', 'ec2:DescribeInstances', 'ec2:DescribeLaunchTemplateVersions',
  'ecs:DescribeTaskDefinition',
];

/** The tag prefix of everything MiningGuard writes; tagging calls may write no other key. */
export const GUARD_TAG_PREFIX = 'mining-guard:';
/** The tag that marks the quarantine security group the guard created. */
export const ISOLATION_TAG = { key: 'mining-guard:isolation', value: 'true' } as const;

const onlyGuardTags: GrantConditions = {
  'ForAllValues:StringLike': { 'aws:TagKeys': [`${GUARD_TAG_PREFIX}*`] },
  'Null': { 'aws:TagKeys': 'false' },
};

/** Tagging what was touched, with the guard's own keys only. */
const TAG_EC2: ContainmentGrant = { actions: ['ec2:CreateTags'], conditions: onlyGuardTags };

/** Reading an instance's state, lifting the attacker's protection, stopping (never terminating), tagging. */
const STOP_EC2_INSTANCES: readonly ContainmentGrant[] = [
  { actions: ['ec2:DescribeInstances', 'ec2:ModifyInstanceAttribute', 'ec2:StopInstances'] },
  TAG_EC2,
];

/** What each kind of step calls. */
export const CONTAINMENT_GRANTS: { readonly [K in ContainmentKind]: readonly ContainmentGrant[] } = {
  'stop-instances': STOP_EC2_INSTANCES,
  'quarantine-instances': [
    ...STOP_EC2_INSTANCES,
    {
      actions: [
        'ec2:DescribeSecurityGroups', 'ec2:ModifyNetworkInterfaceAttribute', 'ec2:DescribeIamInstanceProfileAssociations',
        'ec2:DisassociateIamInstanceProfile',
      ],
    },
    // The isolation group is created only tagged as one, and only such a group's egress may be revoked.
    { actions: ['ec2:CreateSecurityGroup'], conditions: { StringEquals: { [`aws:RequestTag/${ISOLATION_TAG.key}`]: ISOLATION_TAG.value } } },
    { actions: ['ec2:RevokeSecurityGroupEgress'], conditions: { StringEquals: { [`ec2:ResourceTag/${ISOLATION_TAG.key}`]: ISOLATION_TAG.value } } },
  ],
  'stop-autoscaling-group': [
    { actions: ['autoscaling:DescribeAutoScalingGroups', 'autoscaling:SuspendProcesses'] },
    { actions: ['autoscaling:CreateOrUpdateTags'], conditions: onlyGuardTags },
    ...STOP_EC2_INSTANCES,
  ],
  'cancel-spot-fleet-request': [{ actions: ['ec2:CancelSpotFleetRequests', 'ec2:DescribeSpotFleetInstances'] }, ...STOP_EC2_INSTANCES],
  'cancel-spot-instance-requests': [{ actions: ['ec2:CancelSpotInstanceRequests', 'ec2:DescribeSpotInstanceRequests'] }, ...STOP_EC2_INSTANCES],
  'stop-fleet': [{ actions: ['ec2:DescribeFleets', 'ec2:DescribeFleetInstances', 'ec2:DeleteFleets'] }, ...STOP_EC2_INSTANCES],
  'scale-ecs-service-to-zero': [{ actions: ['ecs:UpdateService'] }, { actions: ['ecs:TagResource'], conditions: onlyGuardTags }],
  'stop-ecs-task': [{ actions: ['ecs:StopTask'] }],
  'disable-batch-compute-environment': [{ actions: ['batch:UpdateComputeEnvironment'] }, { actions: ['batch:TagResource'], conditions: onlyGuardTags }],
  'stop-sagemaker-notebook': [{ actions: ['sagemaker:StopNotebookInstance'] }],
  'stop-sagemaker-training-job': [{ actions: ['sagemaker:StopTrainingJob'] }],
  'stop-sagemaker-processing-job': [{ actions: ['sagemaker:StopProcessingJob'] }],
};

/** The kinds of step each containing response of a launch detection plans. */
export type ContainmentSteps = Readonly<Partial<Record<Response, readonly ContainmentKind[]>>>;

/** The IAM actions the steps of each response need: what the catalog lists as a detection's `containmentPermissions`. */
export function permissionsOf(steps: ContainmentSteps): Readonly<Partial<Record<Response, readonly string[]>>> {
  return Object.fromEntries(Object.entries(steps).map(([response, kinds]) => [response, actionsOf(kinds ?? [])]));
}

/** The IAM actions of some kinds of step, sorted, each once. */
export function actionsOf(kinds: readonly ContainmentKind[]): string[] {
  return [...new Set(grantsOf(kinds).flatMap((g) => g.actions))].sort();
}

/**
 * The grants of some kinds of step, merged: one grant per distinct set of conditions, each action in the grant of
 * its own conditions. An action that some kind grants without conditions is granted without them.
 */
export function grantsOf(kinds: readonly ContainmentKind[]): ContainmentGrant[] {
  const byConditions = new Map<string, { conditions?: GrantConditions; actions: Set<string> }>();
  for (const grant of kinds.flatMap((k) => CONTAINMENT_GRANTS[k])) {
    const key = JSON.stringify(grant.conditions ?? null);
    const entry = byConditions.get(key) ?? { conditions: grant.conditions, actions: new Set<string>() };
    for (const action of grant.actions) entry.actions.add(action);
    byConditions.set(key, entry);
  }
  const unconditional = byConditions.get('null')?.actions ?? new Set<string>();
  return [...byConditions.values()]
    .map(({ conditions, actions }) => ({
      actions: [...actions].filter((a) => !conditions || !unconditional.has(a)).sort(),
      ...(conditions ? { conditions } : {}),
    }))
    .filter((g) => g.actions.length > 0)
    .sort((a, b) => Number(Boolean(a.conditions)) - Number(Boolean(b.conditions)) || a.actions[0].localeCompare(b.actions[0]));
}

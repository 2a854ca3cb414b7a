/** The optional budget action: past a threshold of actual spend, AWS Budgets denies launching compute. */
import { Stack, Validations } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** Who lets a budget action run. */
export enum BudgetActionApproval {
  /** AWS Budgets applies the policy as soon as the threshold is crossed, day or night. */
  AUTOMATIC = 'AUTOMATIC',
  /** AWS Budgets waits until someone runs the action from the Budgets console or API. */
  MANUAL = 'MANUAL',
}

/** Every API that starts paying compute, denied once the action runs. */
const COMPUTE_LAUNCH_ACTIONS = [
  'ec2:RunInstances',
  'ec2:StartInstances',
  'ec2:RequestSpotInstances',
  'ec2:RequestSpotFleet',
  'ec2:CreateFleet',
  'autoscaling:CreateAutoScalingGroup',
  'autoscaling:UpdateAutoScalingGroup',
  'autoscaling:SetDesiredCapacity',
  'ecs:RunTask',
  'ecs:StartTask',
  'ecs:CreateService',
  'ecs:UpdateService',
  'eks:CreateNodegroup',
  'eks:UpdateNodegroupConfig',
  'batch:CreateComputeEnvironment',
  'batch:UpdateComputeEnvironment',
  'sagemaker:CreateTrainingJob',
  'sagemaker:CreateProcessingJob',
  'sagemaker:CreateNotebookInstance',
  'sagemaker:CreateEndpoint',
  'lambda:CreateFunction',
  'lightsail:CreateInstances',
  'elasticmapreduce:RunJobFlow',
];

/**
 * A budget action that denies launching compute once actual spend crosses a threshold of the monthly budget.
 *
 * **It stops your own workloads from scaling too.** Running instances keep running; new ones cannot start, Auto
 * Scaling cannot replace failed instances, ECS cannot place tasks, for every principal the policy is applied to,
 * until someone reverses the action in the Budgets console. Give it the principals an attacker would use (CI
 * roles, deploy users), not the roles that keep production alive.
 * @see https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-controls.html
 */
export interface BudgetActionOptions {
  /** Whether the action runs by itself or waits for someone to approve it. There is no default: choose. */
  readonly approval: BudgetActionApproval;

  /**
   * The actual spend, in percent of the monthly budget, that triggers the action.
   * @default 100
   */
  readonly thresholdPercent?: number;

  /**
   * IAM roles the deny policy is attached to.
   * @default - none
   */
  readonly roles?: iam.IRole[];

  /**
   * IAM users the deny policy is attached to.
   * @default - none
   */
  readonly users?: iam.IUser[];

  /**
   * IAM groups the deny policy is attached to.
   * @default - none
   */
  readonly groups?: iam.IGroup[];

  /**
   * Instead of IAM principals: the ids of the organization root, OUs or accounts a service control policy is attached
   * to. Only in the organization's management account, with SCPs enabled. Not with `roles`, `users` or `groups`.
   * @default - no SCP
   */
  readonly scpTargetIds?: string[];
}

/** Properties of `ComputeLaunchBudgetAction`. */
export interface ComputeLaunchBudgetActionProps extends BudgetActionOptions {
  /** The name of the budget whose actual spend triggers the action. */
  readonly budgetName: string;
  /** The topic told when the action runs or awaits approval. */
  readonly topic: sns.ITopic;
}

/** The budget action, its deny policy and the role AWS Budgets runs it with. Off unless `budgetAction` is given. */
export class ComputeLaunchBudgetAction extends Construct {
  /** The action. */
  public readonly action: budgets.CfnBudgetsAction;
  /** The role AWS Budgets assumes to apply the policy. */
  public readonly executionRole: iam.IRole;

  constructor(scope: Construct, id: string, props: ComputeLaunchBudgetActionProps) {
    super(scope, id);

    const roles = props.roles ?? [];
    const users = props.users ?? [];
    const groups = props.groups ?? [];
    const scpTargets = props.scpTargetIds ?? [];
    const iamTargets = roles.length + users.length + groups.length;
    if (iamTargets === 0 && scpTargets.length === 0) {
      throw new Error('SpendGuard: budgetAction has no targets, so it would deny nothing. Write `roles: [ciRole]` (or `users`, `groups`), or `scpTargetIds: [\'ou-abcd-12345678\']` in the management account.');
    }
    if (iamTargets > 0 && scpTargets.length > 0) {
      throw new Error('SpendGuard: budgetAction gives IAM principals and `scpTargetIds`, but an action applies one kind of policy. Write either `roles`/`users`/`groups`, or `scpTargetIds`.');
    }
    const thresholdPercent = props.thresholdPercent ?? 100;
    if (!(thresholdPercent > 0 && thresholdPercent <= 1000)) {
      throw new Error(`SpendGuard: budgetAction.thresholdPercent must be more than 0 and at most 1000, got ${thresholdPercent}. Write e.g. 100 for the whole budget.`);
    }

    const stack = Stack.of(this);
    const document = new iam.PolicyDocument({
      statements: [new iam.PolicyStatement({
        sid: 'DenyComputeLaunchesAfterBudget',
        effect: iam.Effect.DENY,
        actions: COMPUTE_LAUNCH_ACTIONS,
        resources: ['*'],
      })],
    });
    const role = new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('budgets.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'MiningGuard budget action: attaches the compute-launch deny policy when the budget is crossed',
    });
    this.executionRole = role;

    let definition: budgets.CfnBudgetsAction.DefinitionProperty;
    let actionType: string;
    if (scpTargets.length > 0) {
      const scp = new organizations.CfnPolicy(this, 'DenyComputeScp', {
        name: `${stack.stackName}-deny-compute-launch`.slice(0, 128),
        description: 'MiningGuard: denies launching compute once the monthly budget is crossed (attached by AWS Budgets)',
        type: 'SERVICE_CONTROL_POLICY',
        content: document.toJSON(),
      });
      role.addToPolicy(new iam.PolicyStatement({
        actions: ['organizations:AttachPolicy', 'organizations:DetachPolicy'],
        resources: ['*'],
      }));
      Validations.of(role).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: 'Attaching an SCP names the policy and the target by ARNs that contain the organization id, which the stack does not know; the role is assumable only by AWS Budgets for this account.',
      });
      actionType = 'APPLY_SCP_POLICY';
      definition = { scpActionDefinition: { policyId: scp.attrId, targetIds: scpTargets } };
    } else {
      const policy = new iam.ManagedPolicy(this, 'DenyComputePolicy', {
        description: 'MiningGuard: denies launching compute once the monthly budget is crossed (attached by AWS Budgets)',
        document,
      });
      const allowAttaching = (kind: string, arns: string[]) => {
        if (arns.length === 0) return;
        role.addToPolicy(new iam.PolicyStatement({
          actions: [`iam:Attach${kind}Policy`, `iam:Detach${kind}Policy`],
          resources: arns,
          // Only this one policy: the role must not become a way to attach AdministratorAccess.
          conditions: { ArnEquals: { 'iam:PolicyARN': policy.managedPolicyArn } },
        }));
      };
      allowAttaching('Role', roles.map((r) => r.roleArn));
      allowAttaching('User', users.map((u) => u.userArn));
      allowAttaching('Group', groups.map((g) => g.groupArn));
      actionType = 'APPLY_IAM_POLICY';
      definition = {
        iamActionDefinition: {
          policyArn: policy.managedPolicyArn,
          roles: roles.length > 0 ? roles.map((r) => r.roleName) : undefined,
          users: users.length > 0 ? users.map((u) => u.userName) : undefined,
          groups: groups.length > 0 ? groups.map((g) => g.groupName) : undefined,
        },
      };
    }

    this.action = new budgets.CfnBudgetsAction(this, 'Resource', {
      budgetName: props.budgetName,
      notificationType: 'ACTUAL',
      actionType,
      actionThreshold: { type: 'PERCENTAGE', value: thresholdPercent },
      executionRoleArn: role.roleArn,
      approvalModel: props.approval,
      definition,
      subscribers: [{ type: 'SNS', address: props.topic.topicArn }],
    });
    // The role's permissions must exist before AWS Budgets first assumes it.
    this.action.node.addDependency(role);
  }
}

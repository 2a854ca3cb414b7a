import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AlertChannel, BudgetActionApproval, BudgetActionOptions, SpendGuard } from '../../lib';

const ACCOUNT = '111122223333';

function withAction(action: (s: Stack) => BudgetActionOptions): { t: Template; spend: SpendGuard } {
  const s = new Stack(new App(), 'Test', { env: { account: ACCOUNT, region: 'eu-west-1' } });
  const channel = new AlertChannel(s, 'Alerts', { emails: ['secops@example.com'] });
  const spend = new SpendGuard(s, 'Spend', { alerts: channel, budgetAction: action(s) });
  return { t: Template.fromStack(s), spend };
}

describe('the budget action', () => {
  test('is off by default', () => {
    const s = new Stack(new App(), 'Test', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    const channel = new AlertChannel(s, 'Alerts', { emails: ['secops@example.com'] });
    new SpendGuard(s, 'Spend', { alerts: channel });
    Template.fromStack(s).resourceCountIs('AWS::Budgets::BudgetsAction', 0);
  });

  test('attaches a policy denying compute launches to the roles, users and groups given, past 100 % of actual spend', () => {
    // WHEN
    const { t, spend } = withAction((s) => ({
      approval: BudgetActionApproval.AUTOMATIC,
      roles: [iam.Role.fromRoleName(s, 'Ci', 'ci-deploy')],
      users: [iam.User.fromUserName(s, 'Bot', 'release-bot')],
      groups: [iam.Group.fromGroupName(s, 'Devs', 'developers')],
    }));
    // THEN
    t.hasResourceProperties('AWS::Budgets::BudgetsAction', {
      BudgetName: { Ref: Match.stringLikeRegexp('SpendMonthlyCost') },
      NotificationType: 'ACTUAL',
      ActionType: 'APPLY_IAM_POLICY',
      ActionThreshold: { Type: 'PERCENTAGE', Value: 100 },
      ApprovalModel: 'AUTOMATIC',
      Definition: { IamActionDefinition: { PolicyArn: { Ref: Match.stringLikeRegexp('DenyComputePolicy') }, Roles: ['ci-deploy'], Users: ['release-bot'], Groups: ['developers'] } },
      Subscribers: [{ Type: 'SNS', Address: { Ref: Match.stringLikeRegexp('SpendSpendTopic') } }],
    });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Deny',
          Resource: '*',
          Action: Match.arrayWith(['ec2:RunInstances', 'ec2:RequestSpotInstances', 'ec2:RequestSpotFleet', 'ec2:CreateFleet', 'autoscaling:CreateAutoScalingGroup',
            'autoscaling:UpdateAutoScalingGroup', 'ecs:RunTask', 'ecs:CreateService', 'batch:CreateComputeEnvironment', 'sagemaker:CreateTrainingJob']),
        }],
      },
    });
    // Its role is AWS Budgets', for this account, and may attach only the deny policy.
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'budgets.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } })] },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'], Condition: { ArnEquals: { 'iam:PolicyARN': { Ref: Match.stringLikeRegexp('DenyComputePolicy') } } } }),
          Match.objectLike({ Action: ['iam:AttachUserPolicy', 'iam:DetachUserPolicy'] }),
          Match.objectLike({ Action: ['iam:AttachGroupPolicy', 'iam:DetachGroupPolicy'] }),
        ]),
      },
    });
    expect(spend.budgetAction?.executionRole).toBeDefined();
  });

  test('approval and threshold are the user\'s', () => {
    const { t } = withAction((s) => ({ approval: BudgetActionApproval.MANUAL, thresholdPercent: 150, roles: [iam.Role.fromRoleName(s, 'Ci', 'ci-deploy')] }));
    t.hasResourceProperties('AWS::Budgets::BudgetsAction', { ApprovalModel: 'MANUAL', ActionThreshold: { Type: 'PERCENTAGE', Value: 150 } });
  });

  test('in the management account, an SCP is attached to the targets instead', () => {
    const { t } = withAction(() => ({ approval: BudgetActionApproval.MANUAL, scpTargetIds: ['ou-abcd-12345678'] }));
    t.hasResourceProperties('AWS::Organizations::Policy', { Type: 'SERVICE_CONTROL_POLICY', Content: { Statement: [Match.objectLike({ Effect: 'Deny' })] } });
    t.hasResourceProperties('AWS::Budgets::BudgetsAction', {
      ActionType: 'APPLY_SCP_POLICY',
      Definition: { ScpActionDefinition: { PolicyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DenyComputeScp'), 'Id'] }, TargetIds: ['ou-abcd-12345678'] } },
    });
    t.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: [Match.objectLike({ Action: ['organizations:AttachPolicy', 'organizations:DetachPolicy'] })] } });
  });

  describe('refuses', () => {
    test('an action without targets', () => {
      expect(() => withAction(() => ({ approval: BudgetActionApproval.AUTOMATIC }))).toThrow(/budgetAction has no targets, so it would deny nothing. Write `roles: \[ciRole\]`/);
    });

    test('IAM principals and SCP targets together', () => {
      expect(() => withAction((s) => ({ approval: BudgetActionApproval.AUTOMATIC, roles: [iam.Role.fromRoleName(s, 'Ci', 'ci')], scpTargetIds: ['r-abcd'] })))
        .toThrow(/either `roles`\/`users`\/`groups`, or `scpTargetIds`/);
    });

    test.each([0, 1001])('a threshold of %d %%', (thresholdPercent) => {
      expect(() => withAction((s) => ({ approval: BudgetActionApproval.AUTOMATIC, thresholdPercent, roles: [iam.Role.fromRoleName(s, 'Ci', 'ci')] })))
        .toThrow(/thresholdPercent must be more than 0 and at most 1000/);
    });
  });
});

/** ConfigEvaluator: the Lambda function behind MiningGuard's custom Config rules, with its role and logs. */
import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { IAlertChannel } from '../alerts/alert-channel';
import { GuardFunction } from '../common/guard-function';
import { ConfigEvaluatorFunction } from '../functions/config-evaluator-function';

/** Properties of a `ConfigEvaluator`. */
export interface ConfigEvaluatorProps {
  /** The alert channel: the key of the evaluator's logs, and the naming of its alarms. */
  readonly alerts: IAlertChannel;

  /**
   * How long the evaluator's logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The function AWS Config invokes for MiningGuard's custom rules. It judges instance families, regions, running
 * compute and termination protection by the compute policy each rule carries, and reports with `PutEvaluations`.
 * It only reads EC2, Config and CloudTrail.
 */
export class ConfigEvaluator extends Construct {
  public readonly function: lambda.IFunction;

  constructor(scope: Construct, id: string, props: ConfigEvaluatorProps) {
    super(scope, id);

    const evaluator = new GuardFunction(this, 'Function', {
      handler: ConfigEvaluatorFunction,
      name: 'configEvaluator',
      description: 'MiningGuard config evaluator: judges instances and running compute for AWS Config',
      roleDescription: 'MiningGuard config evaluator: reads EC2, Config and CloudTrail, reports evaluations',
      memorySize: 256,
      // A periodic sweep reads every instance of the region, and CloudTrail answers two lookups a second.
      timeout: Duration.minutes(5),
      environment: {},
      alerts: props.alerts,
      publishesAlerts: false,
      outsideVpcReason: 'The evaluator reads no private resource and only calls AWS APIs: a VPC would add NAT or endpoint cost and a failure point, no protection.',
      logRetention: props.logRetention,
    });
    const role = evaluator.role;
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'JudgeAndReport',
      actions: [
        'config:PutEvaluations',
        'config:GetResourceConfigHistory',
        'ec2:DescribeInstances',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeInstanceAttribute',
        'cloudtrail:LookupEvents',
      ],
      resources: ['*'],
    }));
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: 'PutEvaluations, GetResourceConfigHistory, the EC2 Describe calls and LookupEvents support no resource-level permissions; every action granted only reads, except reporting evaluations.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSConfigRulesExecutionRole]',
        reason: 'aws-cdk-lib\'s CustomRule attaches AWSConfigRulesExecutionRole, the policy AWS maintains for the functions behind custom rules.',
      },
    );
    Validations.of(evaluator.function).acknowledge(
      {
        id: 'cdk-validator-cfnguard::lambda_dlq_check',
        reason: 'AWS Config invokes the evaluator, not a queue of ours: a failed run shows as an error on the rule, and every instance is judged again by the daily sweep and running compute by the next hourly count.',
      },
      {
        id: 'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check',
        reason: 'aws-cdk-lib\'s CustomRule limits Config\'s invoke permission to this account with SourceAccount; the rule accepts only a literal account id, which an environment-agnostic stack writes as AWS::AccountId.',
      },
    );
    this.function = evaluator.function;
  }
}

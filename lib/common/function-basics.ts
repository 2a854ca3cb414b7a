/** FunctionBasics: a guard function's own role and encrypted log group, instead of the broad AWSLambdaBasicExecutionRole. */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface FunctionBasicsProps {
  /** What the function does, for the role's description. */
  readonly description: string;
  /** The key the logs are encrypted with; its policy must let CloudWatch Logs use it. */
  readonly logsKey?: kms.IKey;
  readonly logRetention?: logs.RetentionDays;
}

export class FunctionBasics extends Construct {
  /** Acknowledges the Control Tower rule that wants every function in a VPC, with the reason this one needs none. */
  public static outsideVpc(fn: Construct, reason: string): void {
    Validations.of(fn).acknowledge({ id: 'cdk-validator-cfnguard::lambda_inside_vpc_check', reason });
  }

  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: FunctionBasicsProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.logsKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.logGroup.grantWrite(this.role);
  }
}

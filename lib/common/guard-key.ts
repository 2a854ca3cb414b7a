/** The customer-managed KMS keys MiningGuard creates: rotating, with grants limited to AWS services. */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Properties of a `GuardKey`. */
export interface GuardKeyProps {
  /** What the key protects, for the KMS console. */
  readonly description: string;
}

/**
 * A key with rotation on, kept when the stack is deleted, whose grants only AWS services may create (a grant is the quiet way to hand a key to
 * someone else). Services are given access with `allowService` or `allowLogs`, never beyond this account.
 */
export class GuardKey extends kms.Key {
  constructor(scope: Construct, id: string, props: GuardKeyProps) {
    super(scope, id, {
      description: props.description,
      enableKeyRotation: true,
      // What the key encrypts (logs, log files) outlives the stack, so the key does too.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyGrantsExceptForAwsServices',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }));
  }

  /** Lets AWS services encrypt with the key on this account's behalf only. */
  public allowServices(sid: string, services: readonly string[], actions: string[] = ['kms:Decrypt', 'kms:GenerateDataKey*']): void {
    this.addToResourcePolicy(new iam.PolicyStatement({
      sid,
      principals: services.map((s) => new iam.ServicePrincipal(s)),
      actions,
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    }));
  }

  /** Lets CloudWatch Logs encrypt this account's log groups in this region with the key. */
  public allowLogs(): void {
    const stack = Stack.of(this);
    this.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogsToEncryptLogGroups',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` },
      },
    }));
  }
}

/** TamperWatch: alerts at once when anyone blinds the defender, plants credentials, or touches the guard itself. */
import { Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { IAlertChannel } from '../alerts/alert-channel';
import { GuardContext, isRegionName, JUDGED_CALL_DETECTIONS } from '../catalog';
import { cloudTrailRules } from '../common/cloudtrail-rules';

/** Properties of a `TamperWatch`. */
export interface TamperWatchProps {
  /** Where the calls go: the channel's notifier judges them and alerts. */
  readonly alerts: IAlertChannel;

  /**
   * Buckets that hold trail log files: a lifecycle or policy change on them is tampering.
   * @default - none
   */
  readonly trailBuckets?: s3.IBucket[];

  /**
   * The guard's own keys: disabling them or changing their policy is tampering.
   * @default - none
   */
  readonly guardKeys?: kms.IKey[];

  /**
   * ARN patterns of the principals that deploy the guard, whose changes to its resources are not tampering.
   * Calls CloudFormation makes on a deployer's behalf are recognised too.
   * @default - the CDK bootstrap's CloudFormation execution role of this account
   */
  readonly deployPrincipals?: string[];

  /**
   * The regions where the guard runs, home included: where it has GuardDuty, vCPU alarms and the seconds-fast
   * EventBridge path. When someone enables an opt-in region, the alert says whether the guard already covers it or
   * has no regional part there yet, and what to do.
   * @default - unknown: the region-enabled alert says it cannot tell whether the guard runs in the region
   */
  readonly guardedRegions?: string[];

  /**
   * ARN patterns of the principals expected to run SSM commands and sessions on instances (patching, deployment):
   * the compute policy's `exemptPrincipals`. Anyone else's `SendCommand` or `StartSession` alerts.
   * @default - none: every command and session alerts
   */
  readonly exemptPrincipals?: string[];
}

/**
 * Rules, built from the catalog, that send tamper and credential calls to the notifier, which judges what a
 * pattern cannot (is the resource the guard's own, is the key for another user, is the policy admin, was MFA
 * used) and alerts. The guard's own resources are recognised by its stack's name; the deploying CloudFormation
 * role's changes to them raise no alert.
 *
 * IAM, STS, sign-in, Organizations and account calls are delivered to EventBridge in us-east-1 only. A LaunchWatch
 * with the multi-region trail's log group hands them, and the calls of regions where no part of the guard runs, to
 * the same notifier within minutes; a regional part of the guard in us-east-1 brings them within seconds. The
 * notifier alerts on each call once, by its eventID, whichever path brings it first.
 */
export class TamperWatch extends Construct {
  /** The rules that select the catalog's tamper and credential calls: a `$or` branch per service, in as few rules as fit. */
  public readonly rules: events.Rule[];

  constructor(scope: Construct, id: string, props: TamperWatchProps) {
    super(scope, id);
    const stack = Stack.of(this);
    for (const region of props.guardedRegions ?? []) {
      if (!Token.isUnresolved(region) && !isRegionName(region)) {
        throw new Error(`TamperWatch: guardedRegions: '${region}' is not a region name. Write e.g. ['eu-west-1', 'us-east-1'].`);
      }
    }

    this.rules = cloudTrailRules(this, JUDGED_CALL_DETECTIONS, props.alerts.notifier.ruleTarget(), 'tamper, credential and abuse calls to the notifier');

    const context: GuardContext = {
      deployPrincipals: props.deployPrincipals ?? [`arn:${stack.partition}:sts::${stack.account}:assumed-role/cdk-*-cfn-exec-role-*/*`],
      // Physical names CloudFormation generates start with the stack's name: the guard's rules, functions, topics.
      guardNamePrefixes: [`${stack.stackName}-`],
      guardArns: (props.guardKeys ?? []).map((k) => k.keyArn),
      trailBuckets: (props.trailBuckets ?? []).map((b) => b.bucketName),
      ...(props.guardedRegions ? { guardedRegions: props.guardedRegions } : {}),
      ...(props.exemptPrincipals ? { exemptPrincipals: props.exemptPrincipals } : {}),
    };
    props.alerts.notifier.useGuardContext(stack.toJsonString(context));
  }
}

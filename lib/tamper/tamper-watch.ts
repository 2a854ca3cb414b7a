/** TamperWatch: alerts at once when anyone blinds the defender, plants credentials, or touches the guard itself. */
import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { IAlertChannel } from '../alerts/alert-channel';
import { GuardContext, isRegionName, JUDGED_CALL_DETECTIONS } from '../catalog';
import { cloudTrailRules } from '../common/cloudtrail-rules';

/** An IAM role's exact ARN, path included: no wildcard can appear in it. */
const EXACT_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** The options of TamperWatch that `MiningGuard` passes on (`tamperWatch`). */
export interface TamperWatchOptions {
  /**
   * The ARNs of the IAM roles that deploy the guard, exactly (no wildcards), e.g.
   * `arn:aws:iam::111122223333:role/cdk-hnb659fds-cfn-exec-role-111122223333-eu-west-1`. Their sessions' changes to
   * the guard's own rules, functions, topic and keys are not tampering; everything else they do is judged like
   * anyone's (an access key, an admin policy, `StopLogging`). Neither `invokedBy: cloudformation.amazonaws.com` nor
   * a role name pattern is ever trusted: anyone can create a stack or name a role.
   * @default - the CloudFormation execution role of the stack's synthesizer (the CDK bootstrap's
   * `cfn-exec-role` with `DefaultStackSynthesizer`); none, with a synth warning, when the synthesizer names none
   */
  readonly deployPrincipals?: string[];
}

/** Properties of a `TamperWatch`. */
export interface TamperWatchProps extends TamperWatchOptions {
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
 * used) and alerts. The guard's own resources are recognised by its stack's name and their ARNs (its alert topic,
 * created or adopted, with its subscriptions, and its keys); changes to them by the exact roles that deploy the
 * guard (`deployPrincipals`) raise no alert, and nothing else is exempt for anyone.
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
      deployPrincipals: this.deployPrincipals(stack, props.deployPrincipals),
      // Physical names CloudFormation generates start with the stack's name: the guard's rules, functions, topics.
      guardNamePrefixes: [`${stack.stackName}-`],
      // The alert topic, created or adopted: its subscriptions and attributes are the guard's.
      guardArns: [props.alerts.topic.topicArn, ...(props.guardKeys ?? []).map((k) => k.keyArn)],
      trailBuckets: (props.trailBuckets ?? []).map((b) => b.bucketName),
      ...(props.guardedRegions ? { guardedRegions: props.guardedRegions } : {}),
      ...(props.exemptPrincipals ? { exemptPrincipals: props.exemptPrincipals } : {}),
    };
    props.alerts.notifier.useGuardContext(stack.toJsonString(context));
  }

  /** The deploying roles' exact ARNs: the ones given, checked, or the synthesizer's execution role; none, with a warning. */
  private deployPrincipals(stack: Stack, given: string[] | undefined): string[] {
    if (given !== undefined) {
      for (const arn of given) {
        if (!Token.isUnresolved(arn) && !EXACT_ROLE_ARN.test(arn)) {
          throw new Error(`TamperWatch: deployPrincipals: '${arn}' is not the exact ARN of an IAM role. Name each role that deploys the guard `
            + 'in full, without wildcards, e.g. \'arn:aws:iam::111122223333:role/cdk-hnb659fds-cfn-exec-role-111122223333-eu-west-1\' '
            + '(a role\'s ARN, not its session\'s): a pattern would let any role named to match change the guard unseen.');
        }
      }
      return given;
    }
    let deploying = stack;
    while (deploying.nestedStackParent) deploying = deploying.nestedStackParent;
    const role = deploying.synthesizer.cloudFormationExecutionRole;
    if (role === undefined) {
      Annotations.of(this).addWarningV2('mining-guard:tamper-watch-no-deploy-role', 'The stack\'s synthesizer names no CloudFormation execution '
        + 'role, so each deployment that changes the guard\'s own rules, functions, topic or keys will alert as tampering. Name the role that '
        + 'deploys the guard: deployPrincipals: [\'arn:aws:iam::111122223333:role/my-deploy-role\'] (MiningGuard: tamperWatch.deployPrincipals).');
      return [];
    }
    // The synthesizer's ARN holds CloudFormation placeholders; the stack's own partition, account and region fill them.
    return [role.replace(/\$\{AWS::Partition\}/g, deploying.partition).replace(/\$\{AWS::AccountId\}/g, deploying.account).replace(/\$\{AWS::Region\}/g, deploying.region)];
  }
}

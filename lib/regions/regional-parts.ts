/** RegionalParts: what every region beyond the home one runs. No Lambda function, no asset: a StackSet can carry it. */
import { CfnCondition, CfnResource, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { RegionalSettings } from './regional-settings';
import { AlarmNamePrefix, alarmStateChangePattern } from '../alerts/alarm-routing';
import { JUDGED_CALL_DETECTIONS, LAUNCH_DETECTIONS } from '../catalog';
import { cloudTrailRules } from '../common/cloudtrail-rules';
import { DeadLetters } from '../common/dead-letters';
import { ConfigRecorder, RecorderMode } from '../compliance/config-recorder';
import { complianceChangePattern, INSTANCE } from '../compliance/rule-definitions';
import { VcpuUsageAlarms } from '../spend/vcpu-usage-alarms';
import { findingEventPattern, guardDutyDetector } from '../threats/detector';

/** Properties of `RegionalParts`. */
export interface RegionalPartsProps {
  readonly settings: RegionalSettings;
  /** Whether this region gets a detector: yes, no, or as a condition decides (a StackSet parameter per region). */
  readonly createDetector: boolean | CfnCondition;
  /**
   * Whether this region gets a configuration recorder (with `compliance`): yes, no, or as a condition decides.
   * @default - as `settings.compliance.recorder` says
   */
  readonly createRecorder?: boolean | CfnCondition;
  /**
   * Whether to forward the region's GuardDuty findings. A member account whose GuardDuty the guard's account
   * administers does not: GuardDuty sends every member's findings to its administrator, whose regional part forwards
   * them once.
   * @default true
   */
  readonly forwardFindings?: boolean;
}

/**
 * Rules that forward to the home region's default bus, unchanged, every CloudTrail call the catalog selects, the
 * GuardDuty findings it routes, the state changes of the guard's alarms and the NON_COMPLIANT results of its Config
 * rules; the home region's rules match them as they match their own, and the evaluators act in the event's region.
 * Beside them: the region's GuardDuty detector, vCPU alarms and regional Config rules.
 */
export class RegionalParts extends Construct {
  /** Every forwarding rule. */
  public readonly forwardingRules: events.Rule[] = [];
  /** The role EventBridge forwards with: it may put events on the home region's default bus only. */
  public readonly forwardingRole: iam.Role;
  /** Events the home bus did not take after EventBridge's retries, with an alarm as soon as one arrives. */
  public readonly forwardingDeadLetters: DeadLetters;
  /** The detector, when created here. */
  public readonly detector?: guardduty.CfnDetector;
  /** The region's vCPU alarms, when on. */
  public readonly vcpuAlarms?: VcpuUsageAlarms;
  /** The region's recorder, when created here. */
  public readonly recorder?: ConfigRecorder;
  /** The region's Config rules, by name. */
  public readonly configRules: { [name: string]: config.IRule } = {};

  constructor(scope: Construct, id: string, props: RegionalPartsProps) {
    super(scope, id);
    const { settings } = props;
    const stack = Stack.of(this);
    const naming = new AlarmNamePrefix(settings.alarmNamePrefix);

    const homeBus = events.EventBus.fromEventBusArn(this, 'HomeBus', stack.formatArn({
      service: 'events', region: settings.homeRegion, account: settings.homeAccount, resource: 'event-bus', resourceName: 'default',
    }));
    this.forwardingRole = new iam.Role(this, 'ForwardingRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: 'MiningGuard: forwards this region\'s security events to the home region',
    });
    this.forwardingDeadLetters = new DeadLetters(this, 'ForwardingDeadLetters', {
      alarmName: naming.alarmName('guard-dead-letters-forwarding'),
      alarmDescription: 'MiningGuard could not forward events from this region to its home region: read the messages in the forwarding dead-letter queue, and check the forwarding role.',
    });
    Validations.of(this.forwardingDeadLetters.queue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the forwarding rules\' targets; its messages are kept 14 days and alarm at once.',
    });
    const toHome = () => new targets.EventBus(homeBus, { role: this.forwardingRole, deadLetterQueue: this.forwardingDeadLetters.queue });
    const forward = (ruleId: string, description: string, eventPattern: events.EventPattern) => {
      this.forwardingRules.push(new events.Rule(this, ruleId, { description: `MiningGuard: ${description} to the home region`, eventPattern, targets: [toHome()] }));
    };

    const calls = new Construct(this, 'CloudTrailCalls');
    for (const rule of cloudTrailRules(calls, [...LAUNCH_DETECTIONS, ...JUDGED_CALL_DETECTIONS], toHome(), 'launch, tamper, credential and abuse calls and root activity to the home region')) {
      this.forwardingRules.push(rule);
    }
    if (props.forwardFindings ?? true) {
      forward('Findings', 'GuardDuty findings of crypto-mining, stolen credentials and a blinded defender,', findingEventPattern(settings.minimumSeverity));
    }
    forward('AlarmStateChanges', 'its alarms going into ALARM, and back to OK,', alarmStateChangePattern(settings.alarmNamePrefix));

    if (props.createDetector !== false) {
      this.detector = guardDutyDetector(this, 'Detector', settings.detector);
      if (props.createDetector instanceof CfnCondition) this.detector.cfnOptions.condition = props.createDetector;
    }

    if (settings.vcpuAlarms) {
      this.vcpuAlarms = new VcpuUsageAlarms(this, 'VcpuUsage', { ...settings.vcpuAlarms, alerts: naming });
    }

    const compliance = settings.compliance;
    if (compliance) {
      const createRecorder = props.createRecorder ?? compliance.recorder === RecorderMode.CREATE;
      if (createRecorder !== false) {
        const recorded = new Set(compliance.rules.flatMap((r) => (r.recorded ? [r.recorded] : [])));
        if (recorded.size === 0) recorded.add(INSTANCE);
        this.recorder = new ConfigRecorder(this, 'Recorder', { resourceTypes: [...recorded], retention: compliance.recorderRetention });
        if (createRecorder instanceof CfnCondition) {
          for (const part of this.recorder.node.findAll().filter(CfnResource.isCfnResource)) part.cfnOptions.condition = createRecorder;
        }
      }
      for (const { rule, name, props: ruleProps } of compliance.rules) {
        const managed = new config.ManagedRule(this, rule, { ...ruleProps, configRuleName: name });
        // Config refuses rules while no recorder exists, and the recorder starts only with its delivery channel.
        if (this.recorder) afterRecorder(managed, this.recorder.deliveryChannel, createRecorder);
        this.configRules[name] = managed;
      }
      forward('ComplianceChanges', 'its Config rules finding a resource NON_COMPLIANT,', complianceChangePattern(compliance.rules.map((r) => r.name)));
    }
  }
}

/**
 * Makes a rule wait for the recorder's delivery channel. A recorder made under a condition cannot be named in
 * DependsOn (CloudFormation refuses a DependsOn on a resource its condition leaves out), so the rule refers to it
 * in its metadata through Fn::If instead: a reference that orders the two only where the recorder is made.
 */
function afterRecorder(rule: config.ManagedRule, deliveryChannel: config.CfnDeliveryChannel, createRecorder: boolean | CfnCondition): void {
  if (!(createRecorder instanceof CfnCondition)) {
    rule.node.addDependency(deliveryChannel);
    return;
  }
  (rule.node.defaultChild as CfnResource).addMetadata('MiningGuardAfterRecorder', Fn.conditionIf(createRecorder.logicalId, deliveryChannel.ref, ''));
}

/** RegionalStackSet: the home stack deploys the regional part into every listed region, in the same `cdk deploy`. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aws, BootstraplessSynthesizer, CfnCondition, CfnMapping, CfnParameter, Fn, IResolvable, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { RegionalParts } from './regional-parts';
import type { RegionalPlan, RegionalSettings } from './regional-settings';
import { commercialRegions, missingResourceTypes } from './resource-availability';
import { executionStatements } from './stack-set-permissions';
import { accountUniqueName } from '../common/account-names';
import { RecorderMode } from '../compliance/config-recorder';

/**
 * CloudFormation's limit on a template given inline (`TemplateBody`).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
export const MAX_TEMPLATE_BODY_BYTES = 51_200;

/** The regional template's parameters, which the StackSet sets per region. */
export const REGIONAL_PARAMETERS = { homeRegion: 'HomeRegion', createDetector: 'CreateDetector', createRecorder: 'CreateRecorder' } as const;

/**
 * How the guard's StackSets run their operations: every region in parallel, queued behind one another, and a failure
 * in any region fails the whole deployment, so nobody believes a region is guarded when it is not.
 */
export const EVERY_REGION_AT_ONCE = {
  managedExecution: { Active: true },
  operationPreferences: { regionConcurrencyType: 'PARALLEL', maxConcurrentPercentage: 100, failureToleranceCount: 0 },
} as const;

/** Properties of a `RegionalStackSet`. */
export interface RegionalStackSetProps {
  readonly settings: Omit<RegionalSettings, 'homeRegion'>;
  readonly plan: RegionalPlan;
}

/**
 * A self-managed CloudFormation StackSet of the regional template, with its administration role (assumed only by
 * CloudFormation for this StackSet) and execution role (assumed only by the administration role, allowed only what
 * the regional template's resource types need). The template is synthesized here, from the same construct a
 * `RegionalGuard` uses, and sent inline: it holds no asset and needs no bootstrap in any region.
 *
 * Every region deploys in parallel; a failure in any region fails the home stack's deployment, so nobody believes
 * a region is guarded when it is not.
 */
export class RegionalStackSet extends Construct {
  /** The StackSet. */
  public readonly stackSet: cloudformation.CfnStackSet;
  /** The regional template, as CloudFormation receives it. */
  public readonly template: Record<string, any>;

  constructor(scope: Construct, id: string, props: RegionalStackSetProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.template = regionalTemplate(props.settings);
    const body = JSON.stringify(this.template);
    if (Buffer.byteLength(body) > MAX_TEMPLATE_BODY_BYTES) {
      throw new Error(`MiningGuard: the regional template is ${Buffer.byteLength(body)} bytes, more than CloudFormation takes inline (${MAX_TEMPLATE_BODY_BYTES}). Turn off a part of it (everyRegion.vcpuAlarmOptions.usageClasses, compliance.disabledRules).`);
    }

    const resourceTypes = Object.values(this.template.Resources as Record<string, { Type: string }>).map((r) => r.Type);
    for (const region of props.plan.regions) {
      const missing = missingResourceTypes(region, resourceTypes);
      if (missing && missing.length > 0) {
        throw new Error(`MiningGuard: CloudFormation in ${region} has no ${missing.join(', ')}, which the regional part needs. Remove '${region}' from everyRegion.regions; the trail's log group still judges its CloudTrail calls within minutes.`);
      }
    }

    const name = accountUniqueName(this, 'regions');
    const administration = new iam.Role(this, 'AdministrationRole', {
      assumedBy: new iam.ServicePrincipal('cloudformation.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudformation:*:${stack.account}:stackset/${name}:*` },
        },
      }),
      description: 'MiningGuard: deploys the regional part into the other regions (StackSet administration role)',
    });
    const execution = new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ArnPrincipal(administration.roleArn),
      description: 'MiningGuard: creates the regional part in each region (StackSet execution role)',
    });
    administration.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [execution.roleArn] }));
    const permissionScope = { partition: stack.partition, account: stack.account, alarmNamePrefix: props.settings.alarmNamePrefix };
    for (const statement of executionStatements(resourceTypes, permissionScope)) execution.addToPrincipalPolicy(statement);
    acknowledgeExecutionPolicy(execution, resourceTypes, props.settings.alarmNamePrefix);

    const regionGroups = choiceGroups(props.plan, this.template.Parameters?.[REGIONAL_PARAMETERS.createRecorder] !== undefined);

    this.stackSet = new cloudformation.CfnStackSet(this, 'Default', {
      stackSetName: name,
      description: 'MiningGuard regional part: forwards security events to the home region; GuardDuty, vCPU alarms and Config rules of each region',
      permissionModel: 'SELF_MANAGED',
      administrationRoleArn: administration.roleArn,
      executionRoleName: execution.roleName,
      capabilities: ['CAPABILITY_IAM'],
      ...EVERY_REGION_AT_ONCE,
      templateBody: body,
      parameters: [{ parameterKey: REGIONAL_PARAMETERS.homeRegion, parameterValue: Aws.REGION }],
      stackInstancesGroup: instanceGroups(this, regionGroups),
    });
    // Both roles, and their policies, must exist before the first stack instance and outlive the last.
    this.stackSet.node.addDependency(administration, execution);
  }
}

/**
 * The validators' findings on the execution role's wildcards, each acknowledged by name: CloudFormation names the
 * regional stacks' resources at deployment (`StackSet-…`), some services' calls take no resource, and StackSets
 * runs `cloudformation:*` on the instances' stacks.
 */
function acknowledgeExecutionPolicy(execution: iam.Role, resourceTypes: readonly string[], alarmNamePrefix: string): void {
  const stack = Stack.of(execution);
  // The statements as cdk-nag prints them: tokens as <AWS::Partition> and <AWS::AccountId>.
  const printed = executionStatements(resourceTypes, {
    partition: Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition,
    account: Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account,
    alarmNamePrefix,
  }).map((s) => s.toStatementJson() as { Action: string | string[]; Resource: string | string[] });
  const wildcards = new Set(printed.flatMap((s) => [
    ...[s.Action].flat().filter((a) => a.includes('*')).map((a) => `Action::${a}`),
    ...[s.Resource].flat().filter((r) => r.includes('*')).map((r) => `Resource::${r}`),
  ]));
  const reason = 'Each statement is limited to this account and to the calls of one resource type of the regional template: CloudFormation names the regional stacks\' resources at deployment (StackSet-…), GuardDuty, Config and DescribeAlarms calls take no resource, and StackSets runs its stack operations on the stacks it names StackSet-….';
  Validations.of(execution).acknowledge(
    ...[...wildcards].sort().map((w) => ({ id: `AwsSolutions::AwsSolutions-IAM5[${w}]`, reason })),
    { id: 'cdk-validator-cfnguard::iam_inline_policy_no_statements_with_full_access_check', reason: 'cloudformation:* on the StackSet\'s own stacks (StackSet-…), which StackSets creates, updates and deletes with this role.' },
  );
}

/**
 * The regional template: the regional part in a stack of its own app, synthesized without a bootstrap (nothing of
 * it is an asset), with the home region and the detector choice as parameters.
 */
export function regionalTemplate(settings: Omit<RegionalSettings, 'homeRegion'>): Record<string, any> {
  // A private app, in a directory of its own: the CDK CLI's output directory belongs to the user's app.
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mining-guard-regional-'));
  try {
    const app = new App({ outdir, analyticsReporting: false, autoSynth: false });
    const stack = new Stack(app, 'MiningGuardRegional', { synthesizer: new BootstraplessSynthesizer(), analyticsReporting: false });
    const homeRegion = new CfnParameter(stack, REGIONAL_PARAMETERS.homeRegion, {
      type: 'String',
      description: 'The region of the MiningGuard home stack, whose default event bus receives what this region forwards',
      allowedPattern: '^[a-z]{2}(-[a-z]+)+-\\d{1,2}$',
    });
    const createDetector = new CfnParameter(stack, REGIONAL_PARAMETERS.createDetector, {
      type: 'String',
      description: 'Whether to create this region\'s GuardDuty detector: false where one exists already',
      allowedValues: ['true', 'false'],
      default: 'true',
    });
    const detectorCreated = new CfnCondition(stack, 'DetectorCreated', { expression: Fn.conditionEquals(createDetector.valueAsString, 'true') });
    let recorderCreated: CfnCondition | undefined;
    if (settings.compliance) {
      const createRecorder = new CfnParameter(stack, REGIONAL_PARAMETERS.createRecorder, {
        type: 'String',
        description: 'Whether to create this region\'s Config recorder and delivery channel: false where one exists already',
        allowedValues: ['true', 'false'],
        default: String(settings.compliance.recorder === RecorderMode.CREATE),
      });
      recorderCreated = new CfnCondition(stack, 'RecorderCreated', { expression: Fn.conditionEquals(createRecorder.valueAsString, 'true') });
    }
    new RegionalParts(stack, 'Guard', {
      settings: { ...settings, homeRegion: homeRegion.valueAsString }, createDetector: detectorCreated, createRecorder: recorderCreated,
    });
    return app.synth({ validateOnSynthesis: false }).getStackByName(stack.stackName).template;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

type InstanceGroup = cloudformation.CfnStackSet.StackInstancesProperty | IResolvable;

/** Regions that take the same parameter overrides. */
interface ChoiceGroup {
  readonly regions: string[];
  readonly overrides: Readonly<Record<string, 'true' | 'false'>>;
}

/**
 * The regions grouped by their choices: whether each creates its detector, and (when the template has a recorder
 * parameter and the lookups answered per region) its recorder. Regions without a per-region recorder answer take the
 * template's default, which follows `compliance.recorder`.
 */
function choiceGroups(plan: RegionalPlan, recorderParameter: boolean): ChoiceGroup[] {
  const groups = new Map<string, ChoiceGroup>();
  for (const region of plan.regions) {
    const overrides: Record<string, 'true' | 'false'> = {
      [REGIONAL_PARAMETERS.createDetector]: plan.existingDetectorRegions.includes(region) ? 'false' : 'true',
    };
    if (recorderParameter && plan.existingRecorderRegions) {
      overrides[REGIONAL_PARAMETERS.createRecorder] = plan.existingRecorderRegions.includes(region) ? 'false' : 'true';
    }
    const key = Object.entries(overrides).map(([k, v]) => `${k}${v}`).join('');
    const group = groups.get(key) ?? { regions: [], overrides };
    group.regions.push(region);
    groups.set(key, group);
  }
  // Regions that create first, in a stable order, as CloudFormation lists the groups back.
  return [...groups.entries()].sort(([a], [b]) => b.localeCompare(a)).map(([, g]) => g);
}

/**
 * The StackSet's instance groups, one per choice of parameters. When only deployment knows the home region (an
 * environment-agnostic stack), a mapping keyed by every commercial region gives each group's regions without the
 * home one; a group whose one region is the home is left out by a condition. Conditions per region in the list
 * would make CDK's own template assertions weigh every combination of them.
 */
function instanceGroups(scope: Construct, groups: readonly ChoiceGroup[]): InstanceGroup[] {
  const stack = Stack.of(scope);
  const overridesOf = (g: ChoiceGroup) => Object.entries(g.overrides).map(([parameterKey, parameterValue]) => ({ parameterKey, parameterValue }));
  const keyOf = (g: ChoiceGroup) => Object.entries(g.overrides).map(([k, v]) => `${k}${v}`).join('');
  const group = (regions: string[], g: ChoiceGroup) => ({
    deploymentTargets: { accounts: [stack.account] },
    regions,
    parameterOverrides: overridesOf(g),
  });
  if (!Token.isUnresolved(stack.region)) return groups.map((g) => group(g.regions, g));
  const listed = groups.filter((g) => g.regions.length > 1);
  const besideHome = listed.length === 0 ? undefined : new CfnMapping(scope, 'RegionsBesideHome', {
    mapping: Object.fromEntries(commercialRegions().map((home) => [
      home,
      Object.fromEntries(listed.map((g) => [keyOf(g), g.regions.filter((r) => r !== home).join(',')])),
    ])),
  });
  return groups.map((g) => {
    if (g.regions.length > 1) {
      return group(Fn.split(',', besideHome!.findInMap(Aws.REGION, keyOf(g))), g);
    }
    // The property mapper does not reach inside Fn::If: the group is written as CloudFormation reads it.
    const [region] = g.regions;
    const isHome = new CfnCondition(scope, `IsHome${region.replace(/[^A-Za-z0-9]/g, '')}`, { expression: Fn.conditionEquals(Aws.REGION, region) });
    return Fn.conditionIf(isHome.logicalId, Aws.NO_VALUE, {
      DeploymentTargets: { Accounts: [stack.account] },
      Regions: [region],
      ParameterOverrides: overridesOf(g).map((o) => ({ ParameterKey: o.parameterKey, ParameterValue: o.parameterValue })),
    });
  });
}

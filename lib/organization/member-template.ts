/**
 * The member accounts' template: the asset-free regional part forwarding to the security account's bus, and, in one
 * region of each account, the containment role the central launch evaluator assumes there.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aws, BootstraplessSynthesizer, CfnCondition, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CONTAINMENT_ROLE_NAME, ContainmentKind, grantsOf, MEMBER_LOOKUP_ACTIONS } from '../catalog';
import { RecorderMode } from '../compliance/config-recorder';
import { RegionalParts } from '../regions/regional-parts';
import type { RegionalSettings } from '../regions/regional-settings';
import { REGIONAL_PARAMETERS } from '../regions/regional-stack-set';

/** The member template's parameters, which the organization's StackSet sets. */
export const MEMBER_PARAMETERS = {
  homeRegion: REGIONAL_PARAMETERS.homeRegion,
  createDetector: REGIONAL_PARAMETERS.createDetector,
  createRecorder: REGIONAL_PARAMETERS.createRecorder,
  homeAccount: 'HomeAccount',
  organizationId: 'OrganizationId',
  evaluatorRoleArn: 'LaunchEvaluatorRoleArn',
  containmentRoleRegion: 'ContainmentRoleRegion',
} as const;

/** What the member template is built from. */
export interface MemberTemplateOptions {
  /** The regional part's settings, as the guard of the security account has them, without its home. */
  readonly settings: Omit<RegionalSettings, 'homeRegion' | 'homeAccount'>;
  /** The kinds of containment step the guard's responses plan: the containment role may take exactly their actions. */
  readonly containmentKinds: readonly ContainmentKind[];
  /**
   * Whether each member region forwards its GuardDuty findings: not where the security account is GuardDuty's
   * administrator, which receives them itself.
   * @default true
   */
  readonly forwardFindings?: boolean;
}

/**
 * The template every member account gets in every listed region, synthesized in a private app without a bootstrap,
 * as the regional template is. IAM is global, so the containment role is made by one stack instance per account:
 * the one in the region the `ContainmentRoleRegion` parameter names.
 */
export function memberTemplate(options: MemberTemplateOptions): Record<string, any> {
  // A private app, in a directory of its own: the CDK CLI's output directory belongs to the user's app.
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mining-guard-member-'));
  try {
    const app = new App({ outdir, analyticsReporting: false, autoSynth: false });
    const stack = new Stack(app, 'MiningGuardMember', { synthesizer: new BootstraplessSynthesizer(), analyticsReporting: false });
    const parameter = (id: string, description: string, more: { allowedPattern?: string; allowedValues?: string[]; default?: string }) =>
      new CfnParameter(stack, id, { type: 'String', description, ...more }).valueAsString;
    const regionPattern = '^[a-z]{2}(-[a-z]+)+-\\d{1,2}$';
    const homeRegion = parameter(MEMBER_PARAMETERS.homeRegion, 'The region of the security account\'s MiningGuard, whose default event bus receives what this region forwards', { allowedPattern: regionPattern });
    const homeAccount = parameter(MEMBER_PARAMETERS.homeAccount, 'The security account, whose MiningGuard judges and alerts for the whole organization', { allowedPattern: '^\\d{12}$' });
    const createDetector = parameter(MEMBER_PARAMETERS.createDetector, 'Whether to create this region\'s GuardDuty detector: false where GuardDuty\'s delegated administrator enables it', { allowedValues: ['true', 'false'], default: 'false' });
    const organizationId = parameter(MEMBER_PARAMETERS.organizationId, 'The organization: only its principals may assume the containment role', { allowedPattern: '^o-[a-z0-9]{10,32}$' });
    const evaluatorRoleArn = parameter(MEMBER_PARAMETERS.evaluatorRoleArn, 'The role of the security account\'s launch evaluator: the one principal that may assume the containment role', { allowedPattern: '^arn:aws[a-z-]*:iam::\\d{12}:role/.+$' });
    const roleRegion = parameter(MEMBER_PARAMETERS.containmentRoleRegion, 'The one region whose stack instance creates the account\'s containment role (IAM is global)', { allowedPattern: regionPattern });

    const detectorCreated = new CfnCondition(stack, 'DetectorCreated', { expression: Fn.conditionEquals(createDetector, 'true') });
    // With the guard's Config rules, each member region makes its recorder or uses the one it has, as the StackSet says.
    const recorderCreated = options.settings.compliance
      ? new CfnCondition(stack, 'RecorderCreated', {
        expression: Fn.conditionEquals(parameter(MEMBER_PARAMETERS.createRecorder, 'Whether to create this region\'s Config recorder and delivery channel: false where one exists already (every Control Tower account)', {
          allowedValues: ['true', 'false'],
          default: String(options.settings.compliance.recorder === RecorderMode.CREATE),
        }), 'true'),
      })
      : undefined;
    new RegionalParts(stack, 'Guard', {
      settings: { ...options.settings, homeRegion, homeAccount },
      createDetector: detectorCreated,
      createRecorder: recorderCreated,
      forwardFindings: options.forwardFindings,
    });

    const roleHere = new CfnCondition(stack, 'ContainmentRoleHere', { expression: Fn.conditionEquals(Aws.REGION, roleRegion) });
    const role = containmentRole(stack, 'ContainmentRole', { evaluatorRoleArn, organizationId, containmentKinds: options.containmentKinds });
    (role.node.defaultChild as iam.CfnRole).cfnOptions.condition = roleHere;
    return app.synth({ validateOnSynthesis: false }).getStackByName(stack.stackName).template;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Who may assume the containment role, and what it may do. */
interface ContainmentRoleOptions {
  readonly evaluatorRoleArn: string;
  readonly organizationId: string;
  readonly containmentKinds: readonly ContainmentKind[];
}

/**
 * The containment role: assumable only by the central launch evaluator's role, and only while that role is of the
 * organization; allowed the reads the evaluator makes before it judges, and the actions of the enabled containment
 * steps (never a termination), limited to this account as LaunchWatch limits its own.
 */
function containmentRole(scope: Construct, id: string, options: ContainmentRoleOptions): iam.Role {
  const account = Stack.of(scope).account;
  return new iam.Role(scope, id, {
    roleName: CONTAINMENT_ROLE_NAME,
    description: 'MiningGuard: the security account\'s launch evaluator reads and contains launches in this account',
    assumedBy: new iam.ArnPrincipal(options.evaluatorRoleArn).withConditions({ StringEquals: { 'aws:PrincipalOrgID': options.organizationId } }),
    inlinePolicies: { Containment: new iam.PolicyDocument({ statements: containmentStatements(options.containmentKinds, account) }) },
  });
}

/** The containment role's statements: the reads, then each enabled grant, every change limited to `account`. */
export function containmentStatements(kinds: readonly ContainmentKind[], account: string): iam.PolicyStatement[] {
  const statements: iam.PolicyStatement[] = [];
  // Describe calls and CloudTrail's LookupEvents take no resource.
  const reads = new Set<string>(MEMBER_LOOKUP_ACTIONS);
  for (const grant of grantsOf(kinds)) {
    if (grant.conditions) continue;
    for (const action of grant.actions.filter((a) => /:Describe/.test(a))) reads.add(action);
  }
  statements.push(new iam.PolicyStatement({ actions: [...reads].sort(), resources: ['*'] }));
  for (const grant of grantsOf(kinds)) {
    const changes = grant.conditions ? [...grant.actions] : grant.actions.filter((a) => !/:Describe/.test(a));
    if (changes.length === 0) continue;
    statements.push(new iam.PolicyStatement({
      actions: changes,
      resources: ['*'],
      conditions: { ...grant.conditions, StringEquals: { ...grant.conditions?.StringEquals, 'aws:ResourceAccount': account } },
    }));
  }
  return statements;
}

/**
 * GuardDuty the way AWS Organizations intends it: the management account names the security account GuardDuty's
 * delegated administrator in every region, and the security account turns GuardDuty on, with the guard's protection
 * plans, for every member account, new ones too. Neither has a CloudFormation resource type, so each is an AWS API
 * call made through aws-cdk-lib's `AwsCustomResource`, once per region.
 */
import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IDependable } from 'constructs';
import { DetectorFeature } from '../threats/detector';

/**
 * The protection plans GuardDuty can turn on for an organization's members; a detector's others (AI Protection) are
 * each account's own to turn on.
 * @see https://docs.aws.amazon.com/guardduty/latest/APIReference/API_OrganizationFeatureConfiguration.html
 */
const ORGANIZATION_FEATURES = new Set([
  'S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'EKS_RUNTIME_MONITORING', 'LAMBDA_NETWORK_LOGS', 'RUNTIME_MONITORING',
]);

/** The CDK-made function every `AwsCustomResource` of a stack shares. */
const PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/**
 * Names `securityAccount` GuardDuty's delegated administrator of the organization in each region, from the
 * management account. Kept when the stack is deleted: taking the administrator away would stop GuardDuty's findings
 * from reaching the security account everywhere at once.
 * @see https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_organizations.html
 */
export function delegateGuardDutyAdministrator(scope: Construct, securityAccount: string, regions: readonly string[]): cr.AwsCustomResource[] {
  const stack = Stack.of(scope);
  const resources = regions.map((region) => new cr.AwsCustomResource(scope, `GuardDutyAdministrator-${region}`, {
    resourceType: 'Custom::GuardDutyDelegatedAdministrator',
    onUpdate: {
      service: 'GuardDuty',
      action: 'enableOrganizationAdminAccount',
      region,
      parameters: { AdminAccountId: securityAccount },
      physicalResourceId: cr.PhysicalResourceId.of(`${region}:${securityAccount}`),
    },
    // What GuardDuty's documentation asks of the caller: it registers the delegated administrator in Organizations.
    policy: cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({
        actions: [
          'guardduty:EnableOrganizationAdminAccount', 'guardduty:ListOrganizationAdminAccounts',
          'organizations:EnableAWSServiceAccess', 'organizations:RegisterDelegatedAdministrator',
          'organizations:ListDelegatedAdministrators', 'organizations:ListAWSServiceAccessForOrganization',
          'organizations:DescribeOrganizationalUnit', 'organizations:DescribeAccount', 'organizations:DescribeOrganization',
        ],
        resources: ['*'],
      }),
      serviceLinkedRoleStatement(stack),
    ]),
    installLatestAwsSdk: false,
  }));
  for (const resource of resources) acknowledgePolicy(resource, stack);
  acknowledgeProvider(stack);
  return resources;
}

/** What the security account turns on for every member. */
export interface AutoEnableOptions {
  /** The regions, each with its detector id when the stack knows it (the home region's); others are listed in the region. */
  readonly regions: ReadonlyArray<{ readonly region: string; readonly detectorId?: string }>;
  /** The guard's protection plans, as its own detectors have them. */
  readonly features: readonly DetectorFeature[];
  /** What must exist first: the detectors of every region. */
  readonly after: readonly IDependable[];
}

/**
 * Turns GuardDuty on for every member account of the organization, existing and new (`AutoEnableOrganizationMembers:
 * ALL`), with the guard's protection plans, in each region, from the security account once it is GuardDuty's
 * delegated administrator. The setting is kept when the stack is deleted, like the detectors.
 * @see https://docs.aws.amazon.com/guardduty/latest/APIReference/API_UpdateOrganizationConfiguration.html
 */
export function autoEnableGuardDuty(scope: Construct, options: AutoEnableOptions): cr.AwsCustomResource[] {
  const stack = Stack.of(scope);
  const autoEnable = (f: DetectorFeature) => (f.enabled ? 'ALL' : 'NONE');
  const features = options.features.filter((f) => ORGANIZATION_FEATURES.has(f.name)).map((f) => ({
    Name: f.name,
    AutoEnable: autoEnable(f),
    ...(f.additional ? { AdditionalConfiguration: f.additional.map((name) => ({ Name: name, AutoEnable: autoEnable(f) })) } : {}),
  }));
  const resources: cr.AwsCustomResource[] = [];
  for (const { region, detectorId } of options.regions) {
    let id = detectorId;
    if (id === undefined) {
      // The region's detector is made by the regional part, or was there before: GuardDuty lists one per region.
      const listed = new cr.AwsCustomResource(scope, `GuardDutyDetector-${region}`, {
        resourceType: 'Custom::GuardDutyDetectorId',
        onUpdate: {
          service: 'GuardDuty',
          action: 'listDetectors',
          region,
          parameters: {},
          outputPaths: ['DetectorIds.0'],
          physicalResourceId: cr.PhysicalResourceId.of(`${region}:detector`),
        },
        policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: ['guardduty:ListDetectors'], resources: ['*'] })]),
        installLatestAwsSdk: false,
      });
      listed.node.addDependency(...options.after);
      resources.push(listed);
      id = listed.getResponseField('DetectorIds.0');
    }
    const configured = new cr.AwsCustomResource(scope, `GuardDutyAutoEnable-${region}`, {
      resourceType: 'Custom::GuardDutyOrganizationConfiguration',
      onUpdate: {
        service: 'GuardDuty',
        action: 'updateOrganizationConfiguration',
        region,
        parameters: { DetectorId: id, AutoEnableOrganizationMembers: 'ALL', Features: features },
        physicalResourceId: cr.PhysicalResourceId.of(`${region}:organization-configuration`),
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['guardduty:UpdateOrganizationConfiguration', 'guardduty:DescribeOrganizationConfiguration', 'organizations:DescribeOrganization', 'organizations:ListAccounts'],
          resources: ['*'],
        }),
        serviceLinkedRoleStatement(stack),
      ]),
      installLatestAwsSdk: false,
    });
    configured.node.addDependency(...options.after);
    resources.push(configured);
  }
  for (const resource of resources) acknowledgePolicy(resource, stack);
  acknowledgeProvider(stack);
  return resources;
}

/** GuardDuty makes its service-linked roles when it is first turned on for an account. */
function serviceLinkedRoleStatement(stack: Stack): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['iam:CreateServiceLinkedRole'],
    resources: [`arn:${stack.partition}:iam::${stack.account}:role/aws-service-role/*guardduty.amazonaws.com/*`],
    conditions: { StringLike: { 'iam:AWSServiceName': ['guardduty.amazonaws.com', 'malware-protection.guardduty.amazonaws.com'] } },
  });
}

/** GuardDuty's and Organizations' organization calls take no resource; the service-linked roles are named by GuardDuty. */
function acknowledgePolicy(resource: cr.AwsCustomResource, stack: Stack): void {
  Validations.of(resource).acknowledge(
    { id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]', reason: 'GuardDuty\'s organization calls and ListDetectors, and Organizations\' reads, take no resource ARN.' },
    {
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:${Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition}:iam::${stack.account}:role/aws-service-role/*guardduty.amazonaws.com/*]`,
      reason: 'GuardDuty\'s service-linked roles, which it names itself; the iam:AWSServiceName condition limits the call to GuardDuty\'s.',
    },
  );
}

/** The findings on aws-cdk-lib's own custom-resource function, which the guard does not configure. */
function acknowledgeProvider(stack: Stack): void {
  const provider = stack.node.tryFindChild(PROVIDER_ID);
  if (!provider) return;
  const reason = (what: string) => `aws-cdk-lib's AwsCustomResource function, which makes GuardDuty's organization calls at deployment only: ${what}`;
  Validations.of(provider).acknowledge(
    { id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: reason('aws-cdk-lib gives its role the basic execution policy.') },
    { id: 'cdk-validator-cfnguard::lambda_inside_vpc_check', reason: reason('it calls only AWS APIs, once per deployment.') },
  );
}

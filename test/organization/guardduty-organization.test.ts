import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { autoEnableGuardDuty, delegateGuardDutyAdministrator } from '../../lib/organization/guardduty-organization';
import { detectorFeatures } from '../../lib/threats/detector';

function stack(account = '111122223333'): Stack {
  return new Stack(new App(), 'Guard', { env: { account, region: 'eu-west-1' } });
}

/** Each custom resource's call, as aws-cdk-lib writes it (a JSON string, or a join when it holds a token). */
function callsOf(template: Template, type: string): Array<{ id: string; create: any; dependsOn: string[]; delete: unknown }> {
  return Object.entries(template.findResources(type)).map(([id, r]) => ({
    id,
    create: typeof r.Properties.Create === 'string' ? JSON.parse(r.Properties.Create) : r.Properties.Create,
    dependsOn: r.DependsOn ?? [],
    delete: r.Properties.Delete,
  }));
}

function actionsOf(template: Template): string[] {
  const actions = Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((st: any) => [st.Action].flat()));
  return [...new Set(actions as string[])].sort();
}

describe('delegateGuardDutyAdministrator', () => {
  test('one call per region, naming the security account, and nothing undone on delete', () => {
    const s = stack('999988887777');
    delegateGuardDutyAdministrator(s, '111122223333', ['eu-west-1', 'ap-south-1']);
    const calls = callsOf(Template.fromStack(s), 'Custom::GuardDutyDelegatedAdministrator');
    expect(calls.map((c) => c.create)).toEqual([
      { service: 'GuardDuty', action: 'enableOrganizationAdminAccount', region: 'eu-west-1', parameters: { AdminAccountId: '111122223333' }, physicalResourceId: { id: 'eu-west-1:111122223333' } },
      { service: 'GuardDuty', action: 'enableOrganizationAdminAccount', region: 'ap-south-1', parameters: { AdminAccountId: '111122223333' }, physicalResourceId: { id: 'ap-south-1:111122223333' } },
    ]);
    expect(calls.map((c) => c.delete)).toEqual([undefined, undefined]);
  });

  test('may register the administrator and make GuardDuty\'s service-linked roles, and nothing else', () => {
    const s = stack('999988887777');
    delegateGuardDutyAdministrator(s, '111122223333', ['eu-west-1']);
    expect(actionsOf(Template.fromStack(s))).toEqual([
      'guardduty:EnableOrganizationAdminAccount', 'guardduty:ListOrganizationAdminAccounts', 'iam:CreateServiceLinkedRole',
      'organizations:DescribeAccount', 'organizations:DescribeOrganization', 'organizations:DescribeOrganizationalUnit',
      'organizations:EnableAWSServiceAccess', 'organizations:ListAWSServiceAccessForOrganization', 'organizations:ListDelegatedAdministrators',
      'organizations:RegisterDelegatedAdministrator',
    ]);
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: 'iam:CreateServiceLinkedRole',
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::999988887777:role/aws-service-role/*guardduty.amazonaws.com/*']] },
          Condition: { StringLike: { 'iam:AWSServiceName': ['guardduty.amazonaws.com', 'malware-protection.guardduty.amazonaws.com'] } },
        }]),
      },
    });
  });

  test('no region, no call', () => {
    const s = stack('999988887777');
    expect(delegateGuardDutyAdministrator(s, '111122223333', [])).toEqual([]);
    Template.fromStack(s).resourceCountIs('Custom::GuardDutyDelegatedAdministrator', 0);
  });
});

describe('autoEnableGuardDuty', () => {
  const features = detectorFeatures({ malwareProtection: false });

  test('every member, existing and new, with each plan on or off as the guard has it', () => {
    const s = stack();
    autoEnableGuardDuty(s, { regions: [{ region: 'eu-west-1', detectorId: 'abc123' }], features, after: [] });
    const [call] = callsOf(Template.fromStack(s), 'Custom::GuardDutyOrganizationConfiguration');
    expect(call.create).toMatchObject({
      service: 'GuardDuty',
      action: 'updateOrganizationConfiguration',
      region: 'eu-west-1',
      parameters: {
        DetectorId: 'abc123',
        AutoEnableOrganizationMembers: 'ALL',
        Features: [
          {
            Name: 'RUNTIME_MONITORING',
            AutoEnable: 'ALL',
            AdditionalConfiguration: [
              { Name: 'EC2_AGENT_MANAGEMENT', AutoEnable: 'ALL' },
              { Name: 'ECS_FARGATE_AGENT_MANAGEMENT', AutoEnable: 'ALL' },
              { Name: 'EKS_ADDON_MANAGEMENT', AutoEnable: 'ALL' },
            ],
          },
          { Name: 'EBS_MALWARE_PROTECTION', AutoEnable: 'NONE' },
          { Name: 'S3_DATA_EVENTS', AutoEnable: 'ALL' },
          { Name: 'LAMBDA_NETWORK_LOGS', AutoEnable: 'ALL' },
        ],
      },
    });
    Template.fromStack(s).resourceCountIs('Custom::GuardDutyDetectorId', 0);
  });

  test('a region whose detector the stack does not hold lists it, after what makes it, and configures with the id listed', () => {
    // GIVEN something that makes the region's detector (the regional StackSet, in a guard)
    const s = stack();
    const maker = new sqs.Queue(s, 'MakesTheDetector');
    // WHEN
    autoEnableGuardDuty(s, { regions: [{ region: 'us-east-1' }], features, after: [maker] });
    // THEN
    const template = Template.fromStack(s);
    const [listing] = callsOf(template, 'Custom::GuardDutyDetectorId');
    expect(listing.create).toEqual({
      service: 'GuardDuty', action: 'listDetectors', region: 'us-east-1', parameters: {}, outputPaths: ['DetectorIds.0'], physicalResourceId: { id: 'us-east-1:detector' },
    });
    expect(listing.dependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^MakesTheDetector/)]));
    const [call] = callsOf(template, 'Custom::GuardDutyOrganizationConfiguration');
    expect(JSON.stringify(call.create)).toContain(`"Fn::GetAtt":["${listing.id}","DetectorIds.0"]`);
    expect(call.dependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^MakesTheDetector/)]));
  });

  test('leaves out a plan GuardDuty cannot turn on for an organization\'s members', () => {
    const s = stack();
    autoEnableGuardDuty(s, { regions: [{ region: 'eu-west-1', detectorId: 'abc' }], features: detectorFeatures({ aiProtection: true }), after: [] });
    const [call] = callsOf(Template.fromStack(s), 'Custom::GuardDutyOrganizationConfiguration');
    expect(call.create.parameters.Features.map((f: { Name: string }) => f.Name))
      .toEqual(['RUNTIME_MONITORING', 'EBS_MALWARE_PROTECTION', 'S3_DATA_EVENTS', 'LAMBDA_NETWORK_LOGS']);
  });

  test('may update the organization configuration, and nothing else of GuardDuty', () => {
    const s = stack();
    autoEnableGuardDuty(s, { regions: [{ region: 'eu-west-1', detectorId: 'abc' }, { region: 'us-east-1' }], features, after: [] });
    expect(actionsOf(Template.fromStack(s)).filter((a) => a.startsWith('guardduty:')))
      .toEqual(['guardduty:DescribeOrganizationConfiguration', 'guardduty:ListDetectors', 'guardduty:UpdateOrganizationConfiguration']);
  });
});

import { App, Stack } from 'aws-cdk-lib';
import { CONTAINMENT_GRANTS, MEMBER_LOOKUP_ACTIONS } from '../../lib/catalog';
import { containmentStatements, MEMBER_PARAMETERS, memberTemplate } from '../../lib/organization/member-template';

const SETTINGS = { alarmNamePrefix: 'MiningGuard-', detector: {} };

describe('memberTemplate', () => {
  test('every parameter the StackSet sets; no detector unless asked, no Lambda function, no asset', () => {
    // GIVEN / WHEN
    const template = memberTemplate({ settings: SETTINGS, containmentKinds: [] });

    // THEN
    // CreateRecorder only with the guard's compliance
    const expected = Object.values(MEMBER_PARAMETERS).filter((p) => p !== MEMBER_PARAMETERS.createRecorder);
    expect(Object.keys(template.Parameters).sort()).toEqual(expected.sort());
    expect(template.Parameters.CreateDetector.Default).toBe('false');
    expect(template.Conditions.DetectorCreated).toEqual({ 'Fn::Equals': [{ Ref: 'CreateDetector' }, 'true'] });
    const types = Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type);
    expect(types).not.toContain('AWS::Lambda::Function');
    expect(JSON.stringify(template)).not.toMatch(/BootstrapVersion|cdk-hnb659fds|CDKMetadata/);
  });
});

describe('containmentStatements', () => {
  test('reads without a resource, each change limited to the account, the guard\'s tag conditions kept', () => {
    const stack = new Stack(new App(), 'S');
    const json = containmentStatements(['stop-instances'], '444455556666').map((s) => stack.resolve(s.toStatementJson()));
    expect(json).toEqual([
      { Action: [...new Set([...MEMBER_LOOKUP_ACTIONS, 'ec2:DescribeInstances'])].sort(), Effect: 'Allow', Resource: '*' },
      {
        Action: ['ec2:ModifyInstanceAttribute', 'ec2:StopInstances'],
        Effect: 'Allow',
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceAccount': '444455556666' } },
      },
      {
        Action: 'ec2:CreateTags',
        Effect: 'Allow',
        Resource: '*',
        Condition: { ...CONTAINMENT_GRANTS['stop-instances'][1].conditions, StringEquals: { 'aws:ResourceAccount': '444455556666' } },
      },
    ]);
  });

  test('no containment step: the reads only', () => {
    const stack = new Stack(new App(), 'S');
    expect(containmentStatements([], '444455556666').map((s) => stack.resolve(s.toStatementJson()))).toEqual([
      { Action: [...MEMBER_LOOKUP_ACTIONS].sort(), Effect: 'Allow', Resource: '*' },
    ]);
  });
});

import { App, Stack } from 'aws-cdk-lib';
import { RecorderMode } from '../../lib';
import { regionalSettings } from '../../lib/regions/regional-settings';
import { regionalTemplate } from '../../lib/regions/regional-stack-set';
import { executionStatements, REGIONAL_RESOURCE_PERMISSIONS } from '../../lib/regions/stack-set-permissions';

const SCOPE = { partition: 'aws', account: '111122223333', alarmNamePrefix: 'Home-MiningGuard-' };

function typesOf(template: Record<string, any>): string[] {
  return [...new Set(Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type))].sort();
}

describe('executionStatements', () => {
  test('knows every resource type of the fullest regional template (every part, a recorder created), and no type it never holds', () => {
    const { homeRegion: _, ...settings } = regionalSettings({
      homeRegion: 'eu-west-1', alarmNamePrefix: 'P-', minimumSeverity: 1, detector: {}, vcpuAlarms: {}, compliance: { recorder: RecorderMode.CREATE },
    });
    expect(typesOf(regionalTemplate(settings))).toEqual(Object.keys(REGIONAL_RESOURCE_PERMISSIONS).sort());
  });

  test('refuses a type it has no permissions for: the StackSet would fail in every region', () => {
    expect(() => executionStatements(['AWS::Events::Rule', 'AWS::Lambda::Function'], SCOPE))
      .toThrow('The regional template holds AWS::Lambda::Function, which the StackSet execution role has no permissions for: add it to REGIONAL_RESOURCE_PERMISSIONS.');
  });

  test('every statement stays in this account: CloudFormation on StackSet stacks, alarms by the guard\'s prefix, roles passed only to EventBridge and Config', () => {
    const stack = new Stack(new App(), 'S');
    const json = executionStatements(Object.keys(REGIONAL_RESOURCE_PERMISSIONS), SCOPE).map((s) => stack.resolve(s.toStatementJson()));
    expect(json[0]).toEqual({ Action: 'cloudformation:*', Effect: 'Allow', Resource: 'arn:aws:cloudformation:*:111122223333:stack/StackSet-*/*' });
    for (const statement of json) {
      for (const resource of [statement.Resource].flat()) expect(resource === '*' || resource.includes(':111122223333:') || resource.startsWith('arn:aws:s3:::stackset-')).toBe(true);
      expect([statement.Action].flat().some((a: string) => a.endsWith(':*') && a !== 'cloudformation:*')).toBe(false);
    }
    expect(json).toContainEqual(expect.objectContaining({ Resource: 'arn:aws:cloudwatch:*:111122223333:alarm:Home-MiningGuard-*' }));
    expect(json).toContainEqual({
      Action: 'iam:PassRole',
      Effect: 'Allow',
      Resource: 'arn:aws:iam::111122223333:role/StackSet-*',
      Condition: { StringEquals: { 'iam:PassedToService': ['events.amazonaws.com', 'config.amazonaws.com'] } },
    });
  });
});

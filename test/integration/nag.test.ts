import { Stack } from 'aws-cdk-lib';
import { BasicStack } from '../../examples/basic/stack';
import { CONTROL_TOWER_LOG_GROUP, CONTROL_TOWER_TRAIL } from '../../examples/control-tower/control-tower-names';
import { EveryRegionStack } from '../../examples/every-region/stack';
import { HomeStack, REGIONS, RegionalStack } from '../../examples/every-region-stacks/stack';
import { OneLineStack } from '../../examples/one-line/stack';
import { OrganizationManagementStack } from '../../examples/organization/management-stack';
import { OrganizationSecurityStack } from '../../examples/organization/stack';
import { MiningGuard, RecorderMode, RegionalDeployment, RegionalGuard, ResponseMode } from '../../lib';
import { LAUNCH_DETECTIONS } from '../../lib/catalog';
import { findings } from '../harness/validators';

describe('examples/basic under cdk-nag AwsSolutions and the Control Tower cfn-guard rules', () => {
  test('has no unacknowledged finding', () => {
    expect(findings((app) => new BasicStack(app, 'MiningGuardBasic'))).toEqual([]);
  });

  test('has none either with every launch response mode enabled', () => {
    const responses = Object.fromEntries(LAUNCH_DETECTIONS.map((d) => [d.id, d.responses[d.responses.length - 1] as ResponseMode]));
    expect(findings((app) => {
      const stack = new Stack(app, 'MiningGuardContaining');
      new MiningGuard(stack, 'MiningGuard', { alertEmails: ['secops@example.com'], launchWatch: { responses } });
    })).toEqual([]);
  });
});

describe('examples/one-line under cdk-nag AwsSolutions and the Control Tower cfn-guard rules', () => {
  test('has no unacknowledged finding', () => {
    expect(findings((app) => new OneLineStack(app, 'MiningGuardOneLine'))).toEqual([]);
  });
});

describe('examples/every-region and examples/every-region-stacks under cdk-nag AwsSolutions and the Control Tower cfn-guard rules', () => {
  test('the home stack with its StackSet, its administration and execution roles, has no unacknowledged finding', () => {
    expect(findings((app) => new EveryRegionStack(app, 'MiningGuardEveryRegion', { env: { region: 'eu-west-1' } }))).toEqual([]);
  });

  test('a stack per region, and the regional part with its Config rules and recorder, have none either', () => {
    expect(findings((app) => {
      const home = new HomeStack(app, 'MiningGuardHome', { env: { region: 'eu-west-1' }, regions: REGIONS });
      for (const region of REGIONS) new RegionalStack(app, `MiningGuard-${region}`, { env: { region }, home: home.guard });
      const withRules = new Stack(app, 'MiningGuardComplianceHome', { env: { region: 'eu-west-1' } });
      const guard = new MiningGuard(withRules, 'MiningGuard', {
        alertEmails: ['secops@example.com'],
        compliance: { recorder: RecorderMode.CREATE },
        everyRegion: { regions: ['sa-east-1'], deployment: RegionalDeployment.CDK_STACKS },
      });
      new RegionalGuard(new Stack(app, 'MiningGuardComplianceSaEast1', { env: { region: 'sa-east-1' } }), 'MiningGuard', { home: guard });
    })).toEqual([]);
  });
});

describe('examples/organization under cdk-nag AwsSolutions and the Control Tower cfn-guard rules', () => {
  test('the security account\'s guard with its bus policy, member StackSet and containment grant has no unacknowledged finding', () => {
    expect(findings((app) => new OrganizationSecurityStack(app, 'MiningGuardOrganization', {
      env: { account: '111122223333', region: 'eu-west-1' },
      organizationId: 'o-a1b2c3d4e5',
      rootId: 'r-ab12',
      managementAccount: { account: '999988887777', region: 'eu-west-1' },
    }))).toEqual([]);
  });

  // The organization trail's bucket and key policies are AuditTrail's, as in a MiningGuard given `organizationTrail`.
  test('the management account\'s stack, creating the organization trail or adopting Control Tower\'s, has none either', () => {
    expect(findings((app) => {
      const common = { env: { account: '999988887777', region: 'eu-west-1' }, organizationId: 'o-a1b2c3d4e5', securityAccount: '111122223333', guardDutyRegions: ['eu-west-1', 'us-east-1'] };
      new OrganizationManagementStack(app, 'MiningGuardManagement', common);
      new OrganizationManagementStack(app, 'MiningGuardControlTowerManagement', {
        ...common,
        existingTrail: { trailName: CONTROL_TOWER_TRAIL, logGroupName: CONTROL_TOWER_LOG_GROUP },
      });
    })).toEqual([]);
  });
});

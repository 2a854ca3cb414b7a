import * as fs from 'fs';
import * as path from 'path';
import { bundledSpec } from '../../../../lambda/core/launch/bundled-specs';
import { recordsOfLogFile } from '../../../../lambda/core/launch/read-log-file';
import { replay, ReplayLine } from '../../../../lambda/core/launch/replay';
import { resolveLaunchSettings } from '../../../../lib/catalog';
import { cloudTrailRecord } from '../../../fixtures/documented-cloudtrail';

const FIXTURES = path.join(__dirname, '../../../fixtures/cloudtrail');

function replayFiles(files: string[], policy = resolveLaunchSettings({})): { lines: ReplayLine[]; summary: ReturnType<typeof replay> } {
  const lines: ReplayLine[] = [];
  const records = files.flatMap((f) => recordsOfLogFile(f, fs.readFileSync(path.join(FIXTURES, f)), (u) => {
    throw new Error(`fixture line unreadable: ${u.where}`);
  }));
  const summary = replay(records, policy, bundledSpec, (l) => lines.push(l));
  return { lines, summary };
}

const ATTACK = ['attack/invictus_stratus_2023-07-10.jsonl', 'attack/stratus_detonation_logs.jsonl'];
const BENIGN = ['benign/invictus_terraform_setup_teardown.jsonl', 'benign/invictus_aws_service_background.jsonl', 'benign/awsdocs_cloudtrail_examples.jsonl'];

describe('replaying the public attack logs with the default policy', () => {
  const { lines, summary } = replayFiles(ATTACK);

  test('flags every attack RunInstances: the p2.xlarge GPU launches, refused for the vCPU limit or unauthorized', () => {
    const runs = lines.filter((l) => l.eventName === 'RunInstances');
    expect(runs.map((l) => [l.eventID, l.detection, l.severity])).toEqual([
      ['8e865acb-b1e1-41d1-bdf3-47462f79d24c', 'ec2-instance-launch', 'HIGH'],
      ['2f4876ba-b0fc-4a24-b406-bef4dcc9656f', 'ec2-instance-launch', 'HIGH'],
      ['1a4debbb-12e9-4bde-b8c7-ea29002bb2a7', 'ec2-instance-launch', 'HIGH'],
    ]);
    for (const l of runs) expect(l.reason).toMatch(/instance type p2\.xlarge is in the denied family p/);
    expect(runs.filter((l) => /VcpuLimitExceeded/.test(l.reason))).toHaveLength(2);
    // 10 x p2.xlarge at the bundled us-east-1 price: what the attacker tried to start.
    expect(runs[0].estimatedUsdPerHour).toBe(9);
  });

  test('flags no Terraform t3.micro launch in the same account', () => {
    const all = replayFiles(ATTACK).lines;
    expect(all.filter((l) => l.eventName === 'RunInstances' && !/p2\.xlarge/.test(l.reason))).toEqual([]);
  });

  test('flags the user-data rewrite; no ModifyInstanceAttribute in these logs turns protection on (Terraform only turns it off)', () => {
    const modifies = lines.filter((l) => l.eventName === 'ModifyInstanceAttribute');
    expect(modifies.map((l) => [l.eventID, l.reason])).toEqual([['f634894e-d625-4b7b-b1c1-50354cc1100e', 'instance user data replaced']]);
    expect(lines.filter((l) => /protection turned on/.test(l.reason))).toEqual([]);
  });

  test('ends with a summary that accounts for every record', () => {
    expect(summary).toEqual({
      summary: true,
      events: 3210,
      selected: expect.any(Number),
      flagged: 4,
      malformed: 0,
      byDetection: { 'ec2-instance-launch': 3, 'ec2-instance-protection': 1 },
      flaggedUsdPerHour: 0,
    });
    expect(summary.selected).toBeGreaterThan(summary.flagged);
  });
});

describe('replaying the public benign logs with the default policy', () => {
  test('flags nothing: Terraform set-up and tear-down, AWS service activity, console logins', () => {
    const { lines, summary } = replayFiles(BENIGN);
    expect(lines).toEqual([]);
    expect(summary.events).toBe(1938 + 353 + 16);
    expect(summary.selected).toBeGreaterThan(0);
  });
});

describe('a policy from a file', () => {
  test('a policy that no longer denies the p family quiets the unauthorized probe but not the vCPU-limit refusals', () => {
    const { lines } = replayFiles(ATTACK, resolveLaunchSettings({ computePolicy: { deniedInstanceFamilies: ['g', 'inf', 'trn'] } }));
    expect(lines.filter((l) => l.eventName === 'RunInstances').map((l) => l.eventID)).toEqual([
      '8e865acb-b1e1-41d1-bdf3-47462f79d24c',
      '2f4876ba-b0fc-4a24-b406-bef4dcc9656f',
    ]);
  });

  test('an allow-list of families denies every other family', () => {
    const allowList = resolveLaunchSettings({ computePolicy: { deniedInstanceFamilies: ['*'], allowedInstanceFamilies: ['m5'] } });
    const { lines } = replayFiles(['benign/invictus_terraform_setup_teardown.jsonl'], allowList);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l.reason).toContain('instance type t3.micro is outside the allowed families');
  });

  test('refuses an unknown field instead of ignoring it', () => {
    expect(() => resolveLaunchSettings({ computePolicy: { maxVcpus: 4 } })).toThrow(/computePolicy.maxVcpus: no such field. Known fields: allowedRegions/);
  });
});

describe('launch templates created in the replayed logs', () => {
  // Documented shapes: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html and
  // API_CreateLaunchTemplateVersion.html, as CloudTrail records EC2 requests and responses.
  const created = cloudTrailRecord('ec2.amazonaws.com', 'CreateLaunchTemplate', {
    CreateLaunchTemplateRequest: { LaunchTemplateName: 'xmrig', LaunchTemplateData: { ImageId: 'ami-0abcdef1234567890', InstanceType: 't3.micro' } },
  }, { CreateLaunchTemplateResponse: { launchTemplate: { launchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', launchTemplateName: 'xmrig', defaultVersionNumber: 1, latestVersionNumber: 1 } } });
  const newVersion = cloudTrailRecord('ec2.amazonaws.com', 'CreateLaunchTemplateVersion', {
    CreateLaunchTemplateVersionRequest: { LaunchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', SourceVersion: '1', LaunchTemplateData: { InstanceType: 'p3.16xlarge' } },
  }, { CreateLaunchTemplateVersionResponse: { launchTemplateVersion: { launchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', launchTemplateName: 'xmrig', versionNumber: 2 } } });
  const refused = (launchTemplate: object) => cloudTrailRecord('ec2.amazonaws.com', 'RunInstances', {
    instancesSet: { items: [{ minCount: 1, maxCount: 4 }] }, launchTemplate,
  }, null, { errorCode: 'Client.VcpuLimitExceeded' });

  function replayed(records: object[]): ReplayLine[] {
    const lines: ReplayLine[] = [];
    replay(records, resolveLaunchSettings({}), bundledSpec, (l) => lines.push(l));
    return lines.filter((l) => l.eventName === 'RunInstances');
  }

  test('a launch from a version created earlier is judged by that version\'s type', () => {
    const [line] = replayed([created, newVersion, refused({ launchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', version: '2' })]);
    expect(line).toMatchObject({ estimatedUsdPerHour: 4 * 24.48, estimated: false });
    expect(line.reason).toContain('instance type p3.16xlarge is in the denied family p');
  });

  test('the default version stays the first one, by id or by name', () => {
    for (const ref of [{ launchTemplateId: 'lt-0a1b2c3d4e5f6a7b8' }, { launchTemplateName: 'xmrig', version: '$Default' }]) {
      expect(replayed([created, newVersion, refused(ref)])[0].estimatedUsdPerHour).toBe(Math.round(4 * 0.0104 * 100) / 100);
    }
  });

  test('a template the logs never created leaves the type unknown: the refusal is still flagged, without a cost', () => {
    const [line] = replayed([refused({ launchTemplateId: 'lt-0ffffffffffffffff', version: '1' })]);
    expect(line).toMatchObject({ estimatedUsdPerHour: null });
    expect(line.reason).toContain('launch refused with Client.VcpuLimitExceeded');
  });
});

describe('Auto Scaling groups created in the replayed logs', () => {
  // Documented shapes: https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html and
  // API_SetDesiredCapacity.html, as CloudTrail records Auto Scaling requests.
  const template = cloudTrailRecord('ec2.amazonaws.com', 'CreateLaunchTemplate', {
    CreateLaunchTemplateRequest: { LaunchTemplateName: 'render', LaunchTemplateData: { ImageId: 'ami-0abcdef1234567890', InstanceType: 'g4dn.xlarge' } },
  }, { CreateLaunchTemplateResponse: { launchTemplate: { launchTemplateId: 'lt-0123456789abcdef0', launchTemplateName: 'render', defaultVersionNumber: 1 } } });
  const group = cloudTrailRecord('autoscaling.amazonaws.com', 'CreateAutoScalingGroup', {
    autoScalingGroupName: 'render-farm', minSize: 0, maxSize: 2, launchTemplate: { launchTemplateName: 'render' },
  });
  const scaled = cloudTrailRecord('autoscaling.amazonaws.com', 'SetDesiredCapacity', { autoScalingGroupName: 'render-farm', desiredCapacity: 60 });

  function scaledLine(records: object[]): ReplayLine {
    const lines: ReplayLine[] = [];
    replay(records, resolveLaunchSettings({}), bundledSpec, (l) => lines.push(l));
    return lines.find((l) => l.eventName === 'SetDesiredCapacity')!;
  }

  test('a later resize is judged by the type the group was created to launch', () => {
    expect(scaledLine([template, group, scaled])).toMatchObject({ estimatedUsdPerHour: Math.round(60 * 0.526 * 100) / 100, estimated: false });
  });

  test('a group the logs never created, or created from an unknown template, leaves the cost unknown', () => {
    expect(scaledLine([scaled]).estimatedUsdPerHour).toBeNull();
    expect(scaledLine([group, scaled]).estimatedUsdPerHour).toBeNull();
  });
});

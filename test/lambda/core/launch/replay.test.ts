import * as fs from 'fs';
import * as path from 'path';
import { bundledSpec } from '../../../../lambda/core/launch/bundled-specs';
import { recordsOfLogFile } from '../../../../lambda/core/launch/read-log-file';
import { LISTED_UNREADABLE, replay, ReplayLine } from '../../../../lambda/core/launch/replay';
import { EMPTY_GUARD_CONTEXT, LAUNCH_DETECTIONS, resolveLaunchSettings } from '../../../../lib/catalog';
import { cloudTrailRecord, eventBridgeEvent, runInstances } from '../../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../../fixtures/real-events';

const FIXTURES = path.join(__dirname, '../../../fixtures/cloudtrail');

function replayFiles(files: string[], policy = resolveLaunchSettings({})): { lines: ReplayLine[]; summary: ReturnType<typeof replay> } {
  const lines: ReplayLine[] = [];
  const records = files.flatMap((f) => recordsOfLogFile(f, fs.readFileSync(path.join(FIXTURES, f)), (u) => {
    throw new Error(`fixture line unreadable: ${u.where}`);
  }));
  const summary = replay(records, { settings: policy, specs: bundledSpec }, (l) => lines.push(l));
  return { lines, summary };
}

/** Whether a line is the launch evaluator's. */
const isLaunch = (line: ReplayLine) => LAUNCH_DETECTIONS.some((d) => d.id === line.detection);

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

  test('ends with a summary that accounts for every record, launches and tamper and credential calls alike', () => {
    expect(summary).toEqual({
      summary: true,
      events: 3210,
      selected: expect.any(Number),
      flagged: lines.length,
      byDetection: expect.objectContaining({ 'ec2-instance-launch': 3, 'ec2-instance-protection': 1, 'cloudtrail-tampering': expect.any(Number) }),
      flaggedUsdPerHour: 0,
      unreadableFiles: 0,
      unreadableRecords: expect.any(Number),
      unreadable: expect.any(Array),
      misfiledRecords: 0,
      misfiled: [],
      byAccount: expect.any(Object),
    });
    const counted = Object.values(summary.byDetection).reduce((a, b) => a + b, 0);
    expect(counted).toBe(lines.length);
    // Each record in exactly one account: the accounts' counts add up to the whole run's.
    const accounts = Object.values(summary.byAccount);
    expect(accounts.reduce((n, a) => n + a.events, 0)).toBe(summary.events);
    expect(accounts.reduce((n, a) => n + a.flagged, 0)).toBe(summary.flagged);
    expect(accounts.reduce((n, a) => n + a.selected, 0)).toBe(summary.selected);
    expect(summary.selected).toBeGreaterThan(summary.flagged);
  });

  test('prints each flagged call once: no eventID twice', () => {
    expect(new Set(lines.map((l) => l.eventID)).size).toBe(lines.length);
  });
});

describe('replaying the public benign logs with the default policy', () => {
  test('flags no launch: Terraform set-up and tear-down, AWS service activity, console logins', () => {
    const { lines, summary } = replayFiles(BENIGN);
    expect(lines.filter(isLaunch)).toEqual([]);
    expect(summary.events).toBe(1938 + 353 + 16);
    expect(summary.selected).toBeGreaterThan(0);
  });

  test('says of the tamper and credential calls what the notifier says: Terraform deleting its trail, root and MFA-less console logins', () => {
    const { lines } = replayFiles(BENIGN);
    expect(lines.map((l) => l.detection)).toEqual(expect.arrayContaining(['cloudtrail-tampering', 'login-profile-change', 'admin-policy-attached', 'suspicious-console-login']));
    expect(lines.filter((l) => l.eventName === 'ConsoleLogin').map((l) => l.reason).sort())
      .toEqual(['console login without MFA', 'root console login (Failure)', 'root console login (Success)']);
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
    expect(lines.filter(isLaunch).length).toBeGreaterThan(0);
    for (const l of lines.filter(isLaunch)) expect(l.reason).toContain('instance type t3.micro is outside the allowed families');
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
    replay(records, { settings: resolveLaunchSettings({}), specs: bundledSpec }, (l) => lines.push(l));
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
    replay(records, { settings: resolveLaunchSettings({}), specs: bundledSpec }, (l) => lines.push(l));
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

describe('the judges of the deployed notifier', () => {
  const STRATUS = readJsonLines('cloudtrail/attack/stratus_detonation_logs.jsonl');
  const TECHNIQUES = new Map(readJsonLines('cloudtrail/attack/stratus_detonation_logs.index.jsonl').map((i) => [i.eventID as string, i.technique as string]));
  const lines: ReplayLine[] = [];
  const summary = replay(STRATUS, { settings: resolveLaunchSettings({}), specs: bundledSpec }, (l) => lines.push(l));
  const flaggedTechniques = new Set(lines.map((l) => TECHNIQUES.get(l.eventID)));

  // The techniques "the Stratus Red Team detonations this guard covers" (judge-cloudtrail.test.ts), and the launch.
  test.each([
    'aws.defense-evasion.cloudtrail-stop', 'aws.defense-evasion.cloudtrail-delete', 'aws.defense-evasion.cloudtrail-event-selectors',
    'aws.defense-evasion.organizations-leave', 'aws.defense-evasion.vpc-remove-flow-logs', 'aws.defense-evasion.dns-delete-logs',
    'aws.initial-access.console-login-without-mfa', 'aws.persistence.iam-backdoor-user', 'aws.persistence.iam-create-admin-user',
    'aws.persistence.iam-create-backdoor-role', 'aws.persistence.iam-backdoor-role', 'aws.persistence.iam-create-user-login-profile',
    'aws.privilege-escalation.iam-update-user-login-profile', 'aws.persistence.sts-federation-token', 'aws.execution.ec2-launch-unusual-instances',
  ])('flag the Stratus Red Team technique %s', (technique) => {
    expect(flaggedTechniques).toContain(technique);
  });

  test('print tamper and credential calls with the same fields as launches, the reason from the alert', () => {
    const stop = lines.find((l) => TECHNIQUES.get(l.eventID) === 'aws.defense-evasion.cloudtrail-stop')!;
    expect(stop).toEqual({
      eventID: stop.eventID,
      eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      eventName: 'StopLogging',
      account: expect.stringMatching(/^\d{12}$/),
      detection: 'cloudtrail-tampering',
      severity: 'CRITICAL',
      wouldDo: 'notify',
      reason: 'StopLogging',
      estimatedUsdPerHour: null,
      estimated: false,
    });
    const backdoor = lines.find((l) => TECHNIQUES.get(l.eventID) === 'aws.persistence.iam-backdoor-user')!;
    expect(backdoor).toMatchObject({ eventName: 'CreateAccessKey', detection: 'access-key-for-another-user', severity: 'HIGH' });
    expect(backdoor.reason).toMatch(/^access key for user \S+ by /);
    expect(Object.keys(backdoor)).toEqual(Object.keys(lines.find((l) => l.detection === 'ec2-instance-launch')!));
  });

  test('count each detection in the summary', () => {
    expect(summary.byDetection).toMatchObject({ 'cloudtrail-tampering': 3, 'ec2-instance-launch': 1 });
    expect(summary.flagged).toBe(lines.length);
  });

  test('flag nothing in the AWS-service background activity', () => {
    const quiet: ReplayLine[] = [];
    const records = readJsonLines('cloudtrail/benign/invictus_aws_service_background.jsonl');
    const background = replay(records, { settings: resolveLaunchSettings({}), specs: bundledSpec }, (l) => quiet.push(l));
    expect(quiet).toEqual([]);
    expect(background).toMatchObject({ events: 353, flagged: 0, unreadableRecords: 0 });
  });

  test('judge with the guard\'s context when it is given: a trail bucket\'s lifecycle is tampering only on the trail\'s bucket', () => {
    // Documented shape: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
    const lifecycle = cloudTrailRecord('s3.amazonaws.com', 'PutBucketLifecycle', { bucketName: 'org-trail-logs', lifecycle: '' });
    const judged = (context?: { trailBuckets: string[] }) => {
      const out: ReplayLine[] = [];
      const guard = context && { ...EMPTY_GUARD_CONTEXT, ...context };
      replay([lifecycle], { settings: resolveLaunchSettings({}), specs: bundledSpec, context: guard }, (l) => out.push(l));
      return out.map((l) => l.detection);
    };
    expect(judged()).toEqual([]);
    expect(judged({ trailBuckets: ['org-trail-logs'] })).toEqual(['trail-bucket-tampering']);
  });

  test('print a call once, however many paths bring it: the deployed guard alerts once per eventID', () => {
    const stop = cloudTrailRecord('cloudtrail.amazonaws.com', 'StopLogging', { name: 'org-trail' });
    const launch = runInstances('p4d.24xlarge', 2);
    const out: ReplayLine[] = [];
    const records = [stop, eventBridgeEvent(stop), launch, eventBridgeEvent(launch)];
    const twice = replay(records, { settings: resolveLaunchSettings({}), specs: bundledSpec }, (l) => out.push(l));
    expect(out.map((l) => l.eventName)).toEqual(['StopLogging', 'RunInstances']);
    expect(twice).toMatchObject({ events: 4, flagged: 2 });
  });
});

describe('records that cannot be read or judged', () => {
  const settings = resolveLaunchSettings({});

  test('are counted and named in the summary, and the rest is judged', () => {
    // GIVEN a record that is none, a call the notifier cannot be handed (its time is a number), and a launch
    const stop: Record<string, unknown> = { ...cloudTrailRecord('cloudtrail.amazonaws.com', 'StopLogging', { name: 'org-trail' }), eventTime: 42 };
    const out: ReplayLine[] = [];
    const summary = replay([{ hello: 'world' }, stop, runInstances('p4d.24xlarge', 2)], { settings, specs: bundledSpec }, (l) => out.push(l));
    expect(out.map((l) => l.eventName)).toEqual(['RunInstances']);
    expect(summary).toMatchObject({ events: 3, flagged: 1, unreadableRecords: 2 });
    expect(summary.unreadable).toEqual([
      { where: 'record 1', reason: 'not a CloudTrail record (no eventName and eventSource)' },
      { where: `record 2 (eventID ${String(stop.eventID)})`, reason: 'StopLogging record with eventTime is a number, not a string' },
    ]);
  });

  test('a record whose judging throws is counted as unreadable, not thrown', () => {
    // A getter that throws stands for any field a reader trips over.
    const trap = Object.defineProperty(runInstances('p4d.24xlarge', 2), 'requestParameters', { get: () => { throw new TypeError('types.filter is not a function'); }, enumerable: true });
    const heard: string[] = [];
    const summary = replay([trap, runInstances('p4d.24xlarge', 1)], { settings, specs: bundledSpec }, () => undefined, (u) => heard.push(u.reason));
    expect(summary).toMatchObject({ events: 2, flagged: 1, unreadableRecords: 1 });
    expect(heard).toEqual(['could not be judged: types.filter is not a function']);
  });

  test(`the summary names the first ${LISTED_UNREADABLE} and counts them all`, () => {
    const summary = replay(Array.from({ length: 50 }, () => 7), { settings, specs: bundledSpec }, () => undefined);
    expect(summary.unreadableRecords).toBe(50);
    expect(summary.unreadable).toHaveLength(LISTED_UNREADABLE);
  });

  test('a document nested 20,000 deep is one unreadable record', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20000; i++) deep = { Records: i % 2 ? [deep] : deep, detail: deep };
    expect(replay([deep], { settings, specs: bundledSpec }, () => undefined)).toMatchObject({ events: 1, unreadableRecords: 1 });
  });
});

describe('customer-managed policies created in the replayed logs', () => {
  // Documented shapes: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html and
  // API_AttachUserPolicy.html, as CloudTrail records IAM requests and responses.
  const ARN = 'arn:aws:iam::123456789012:policy/ops-break-glass';
  const created = (statement: object) => cloudTrailRecord('iam.amazonaws.com', 'CreatePolicy', {
    policyName: 'ops-break-glass', policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
  }, { policy: { policyName: 'ops-break-glass', arn: ARN, defaultVersionId: 'v1' } });
  const attached = cloudTrailRecord('iam.amazonaws.com', 'AttachUserPolicy', { userName: 'backdoor', policyArn: ARN });

  function detections(records: object[]): string[] {
    const out: ReplayLine[] = [];
    replay(records, { settings: resolveLaunchSettings({}), specs: bundledSpec }, (l) => out.push(l));
    return out.map((l) => `${l.eventName} ${l.detection}`);
  }

  test('an attach is judged by the document the logs created the policy with, as the notifier judges the one it looks up', () => {
    expect(detections([created({ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }), attached])).toContain('AttachUserPolicy admin-policy-attached');
    expect(detections([created({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), attached])).not.toContain('AttachUserPolicy admin-policy-attached');
  });

  test('a policy the logs never created is not flagged: offline, its document cannot be read', () => {
    expect(detections([attached])).not.toContain('AttachUserPolicy admin-policy-attached');
  });
});

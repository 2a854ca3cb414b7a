import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DescribeLogGroupsCommand, CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelsCommand,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
} from '@aws-sdk/client-config-service';
import { DescribeRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { App, Stack } from 'aws-cdk-lib';
import { ComplianceStack } from '../../examples/compliance/stack';
import { MiningGuard } from '../../lib';
import { commercialRegions } from '../../lib/regions/resource-availability';
import { cfnLintAll, CfnLintReport, regionsFor } from '../harness/cfn-lint';
import { loadStack, loadStacks, stackSetTemplates } from '../harness/cloud-assembly';
import { expectDoctorReport } from '../harness/doctor-report';
import { exampleAssemblyDir, exampleNames } from '../harness/examples';
import { motoClientConfig } from '../harness/moto';
import { StackRehearsal, StackResource } from '../harness/rehearsal';

/**
 * cfn-lint warnings kept on purpose, each with its reason. Anything else cfn-lint reports fails the test.
 */
const EXPLAINED_WARNINGS: Record<string, string> = {
  W3005: 'aws-cdk-lib\'s Function depends on its role explicitly as well as through GetAtt, so its policy exists before the function runs; the budgets and the anomaly subscription depend on the whole spend topic, so its policy exists before they check their right to publish; the duplicates are harmless.',
};

/** Types the emulator's CloudFormation accepts without creating anything: they cannot be exercised here. */
const PLACEHOLDER_TYPES = [
  'AWS::GuardDuty::Detector', 'AWS::SNS::Subscription', 'AWS::Chatbot::SlackChannelConfiguration',
  'AWS::Budgets::Budget', 'AWS::Budgets::BudgetsAction', 'AWS::CE::AnomalyMonitor', 'AWS::CE::AnomalySubscription',
];

/** A check that a created resource really exists in the emulator, per type it implements. */
const EXISTS: Record<string, (physicalId: string) => Promise<unknown>> = {
  'AWS::SNS::Topic': (id) => new SNSClient(motoClientConfig()).send(new GetTopicAttributesCommand({ TopicArn: id })),
  'AWS::Lambda::Function': (id) => new LambdaClient(motoClientConfig()).send(new GetFunctionCommand({ FunctionName: id })),
  'AWS::Events::Rule': (id) => new EventBridgeClient(motoClientConfig()).send(new DescribeRuleCommand({ Name: id.split('|').pop() })),
  'AWS::S3::Bucket': (id) => new S3Client(motoClientConfig()).send(new HeadBucketCommand({ Bucket: id })),
  // The emulator's DescribeKey fails on keys CloudFormation created (it stores their policy unparsed): list instead.
  'AWS::KMS::Key': async (id) => {
    const { Keys = [] } = await new KMSClient(motoClientConfig()).send(new ListKeysCommand({ Limit: 1000 }));
    if (!Keys.some((k) => k.KeyId === id)) throw new Error(`key ${id} not found`);
  },
  'AWS::SQS::Queue': (id) => new SQSClient(motoClientConfig()).send(new GetQueueAttributesCommand({ QueueUrl: id, AttributeNames: ['QueueArn'] })),
  'AWS::Logs::LogGroup': async (id) => {
    const { logGroups = [] } = await new CloudWatchLogsClient(motoClientConfig()).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: id }));
    if (!logGroups.some((g) => g.logGroupName === id)) throw new Error(`log group ${id} not found`);
  },
};

/** A template to lint, for the regions it can be deployed to. */
interface LintJob {
  readonly what: string;
  readonly file: string;
  readonly regions: readonly string[];
}

/**
 * Every example's templates, each with its regions: a stack with a region goes there; an environment-agnostic one
 * wherever CloudFormation offers its types; the regional part a StackSet carries to every commercial region.
 */
function lintJobs(name: string): LintJob[] {
  const jobs: LintJob[] = [];
  for (const stack of loadStacks(exampleAssemblyDir(name))) {
    jobs.push({ what: stack.stackName, file: stack.templateFile, regions: stack.region ? [stack.region] : regionsFor(stack.template, 'aws') });
    for (const [id, regional] of Object.entries(stackSetTemplates(stack.template))) {
      expect(regionsFor(regional, 'aws')).toEqual(commercialRegions());
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mining-guard-regional-lint-')), `${id}.template.json`);
      fs.writeFileSync(file, JSON.stringify(regional));
      jobs.push({ what: `${stack.stackName}/${id}`, file, regions: commercialRegions() });
    }
  }
  return jobs;
}

/** A template linted, with what cfn-lint said of it. */
interface Linted extends LintJob {
  readonly report: CfnLintReport;
}

/** What cfn-lint says of every example's templates: one run per set of regions, most of a run being its start. */
function lintEveryExample(): Map<string, Linted[]> {
  const jobs = new Map(exampleNames().map((name) => [name, lintJobs(name)]));
  const byRegions = new Map<string, LintJob[]>();
  for (const job of [...jobs.values()].flat()) {
    const key = job.regions.join(' ');
    byRegions.set(key, [...byRegions.get(key) ?? [], job]);
  }
  const reports = new Map<string, CfnLintReport>();
  for (const group of byRegions.values()) {
    for (const [file, report] of cfnLintAll(group.map((j) => j.file), { regions: group[0].regions })) reports.set(file, report);
  }
  return new Map([...jobs].map(([name, list]) => [name, list.map((job) => ({ ...job, report: reports.get(job.file)! }))]));
}

function expectLintClean({ what, regions, report }: Linted): void {
  const { errors, warnings } = report;
  expect({ what, regions: regions.length > 0, errors, warnings: warnings.filter((w) => !(w.rule in EXPLAINED_WARNINGS)) })
    .toEqual({ what, regions: true, errors: [], warnings: [] });
}

async function exists(resource: StackResource): Promise<boolean> {
  try {
    await EXISTS[resource.type](resource.physicalId!);
    return true;
  } catch {
    return false;
  }
}

let linted = new Map<string, Linted[]>();
beforeAll(() => {
  linted = lintEveryExample();
});

describe.each(exampleNames())('examples/%s', (name) => {
  const assembly = () => exampleAssemblyDir(name);

  test('every template has no cfn-lint error, and no warning that is not explained, in every region it can be deployed to', () => {
    const templates = linted.get(name) ?? [];
    expect(templates.length).toBeGreaterThan(0);
    for (const template of templates) expectLintClean(template);
  });

  test('aws-cdk-lib\'s built-in template validation reports nothing on it', () => {
    // The CDK CLI's synth wrote this report; the validation is skipped, and the file missing, only when CDK_VALIDATION=false.
    const reportFile = path.join(assembly(), 'validation-report.json');
    expect(fs.existsSync(reportFile) ? 'written' : `no ${reportFile}: synthesize the examples with the built-in validation on`).toBe('written');
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as { pluginReports: { pluginName: string; violations: object[] }[] };
    expect(report.pluginReports.flatMap((p) => p.violations.map((v) => ({ plugin: p.pluginName, ...v })))).toEqual([]);
  });
});

describe('deploy rehearsal of examples/basic in the emulator', () => {
  const rehearsal = new StackRehearsal();
  const stackName = 'MiningGuardBasic';
  afterAll(() => rehearsal.destroy());

  test('creates every resource the emulator implements, updates with a changed prop, and deletes what it created', async () => {
    // GIVEN
    const dir = exampleAssemblyDir('basic');
    const stack = loadStack(dir, stackName);
    await rehearsal.publishAssets(dir, stack);

    // WHEN
    const created = await rehearsal.createStack(stackName, stack.template);

    // THEN
    expect(created.status).toBe('CREATE_COMPLETE');
    const resources = await rehearsal.listStackResources(stackName);
    const checkable = resources.filter((r) => r.type in EXISTS);
    expect(new Set(checkable.map((r) => r.type))).toEqual(new Set(Object.keys(EXISTS)));
    for (const r of checkable) expect([r.logicalId, await exists(r)]).toEqual([r.logicalId, true]);
    // mining-guard doctor reads the deployed guard back: every check the emulator answers, the unconfirmed email failing with its fix
    await expectDoctorReport(stackName, resources, 'secops@example.com');
    const templateTypes = new Set(Object.values(stack.template.Resources ?? {}).map((r) => r.Type));
    for (const placeholder of PLACEHOLDER_TYPES.filter((t) => templateTypes.has(t))) {
      // Accepted by the emulator's CloudFormation, but nothing it could check: covered by the CDK assertions instead.
      expect(resources.find((r) => r.type === placeholder && r.physicalId)).toBeUndefined();
    }

    // WHEN the same stack is deployed with a changed prop
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mining-guard-update-'));
    // The same settings as the CLI synth, so only the changed prop differs between the two templates.
    const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true }, analyticsReporting: false });
    const changed = new Stack(app, stackName, { description: 'MiningGuard with its defaults: alerts to one email address' });
    new MiningGuard(changed, 'MiningGuard', { alertEmails: ['secops@example.com', 'oncall@example.com'], threatDetection: { minimumSeverity: 7 } });
    app.synth();
    const changedStack = loadStack(outdir, stackName);
    await rehearsal.publishAssets(outdir, changedStack);
    const updated = await rehearsal.updateStack(stackName, changedStack.template);

    // THEN
    expect(updated.status).toBe('UPDATE_COMPLETE');
    const afterUpdate = await rehearsal.listStackResources(stackName);
    const rule = afterUpdate.find((r) => r.type === 'AWS::Events::Rule' && /ThreatDetectionFindingRule/.test(r.logicalId))!;
    const { EventPattern } = await new EventBridgeClient(motoClientConfig()).send(new DescribeRuleCommand({ Name: rule.physicalId!.split('|').pop() }));
    // Catalog findings at any severity; any other from the minimum up.
    expect(JSON.parse(EventPattern!).detail.$or).toEqual([{ type: expect.any(Array) }, { severity: [{ numeric: ['>=', 7] }] }]);

    // WHEN deleted
    const deleted = await rehearsal.deleteStack(stackName);

    // THEN what the stack owned is gone, and what it retains on purpose (log buckets, log groups, keys) stays
    expect(deleted.status).toBe('DELETE_COMPLETE');
    const retained = new Set(Object.entries(changedStack.template.Resources ?? {}).filter(([, r]) => r.DeletionPolicy === 'Retain').map(([id]) => id));
    for (const r of afterUpdate.filter((x) => x.type in EXISTS)) {
      expect([r.logicalId, await exists(r)]).toEqual([r.logicalId, retained.has(r.logicalId)]);
    }
  });
});

describe('deploy rehearsal of examples/existing-account in the emulator', () => {
  const rehearsal = new StackRehearsal();
  afterAll(() => rehearsal.destroy());

  /** What the account's own Config recorder and delivery channel look like, to compare before and after. */
  async function accountConfig(): Promise<unknown> {
    const client = new ConfigServiceClient(motoClientConfig());
    try {
      const [recorders, status, channels] = await Promise.all([
        client.send(new DescribeConfigurationRecordersCommand({})),
        client.send(new DescribeConfigurationRecorderStatusCommand({})),
        client.send(new DescribeDeliveryChannelsCommand({})),
      ]);
      return {
        recorders: recorders.ConfigurationRecorders,
        recording: status.ConfigurationRecordersStatus?.map((s) => [s.name, s.recording]),
        channels: channels.DeliveryChannels,
      };
    } finally {
      client.destroy();
    }
  }

  test('adopts the existing topic and Config recorder and leaves them in place when the stack is deleted', async () => {
    // GIVEN the account's own topic, trail log group, and Control Tower's recorder and delivery channel, which the example adopts
    const sns = new SNSClient(motoClientConfig());
    const { TopicArn: topicArn } = await sns.send(new CreateTopicCommand({ Name: 'security-alerts' }));
    await new CloudWatchLogsClient(motoClientConfig()).send(new CreateLogGroupCommand({ logGroupName: 'cloudtrail/management-events' }))
      .catch((e: Error) => { if (e.name !== 'ResourceAlreadyExistsException') throw e; });
    const config = new ConfigServiceClient(motoClientConfig());
    await config.send(new PutConfigurationRecorderCommand({
      ConfigurationRecorder: {
        name: 'aws-controltower-BaselineConfigRecorder',
        roleARN: 'arn:aws:iam::123456789012:role/aws-controltower-ConfigRecorderRole',
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
      },
    }));
    await config.send(new PutDeliveryChannelCommand({
      DeliveryChannel: { name: 'aws-controltower-BaselineConfigDeliveryChannel', s3BucketName: 'aws-controltower-logs-123456789012-us-east-1' },
    }));
    await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'aws-controltower-BaselineConfigRecorder' }));
    config.destroy();
    const before = await accountConfig();
    const dir = exampleAssemblyDir('existing-account');
    const stack = loadStack(dir, 'MiningGuardExistingAccount');
    await rehearsal.publishAssets(dir, stack);

    // WHEN
    const created = await rehearsal.createStack('MiningGuardExistingAccount', stack.template);
    const resources = await rehearsal.listStackResources('MiningGuardExistingAccount');
    const whileDeployed = await accountConfig();
    const deleted = await rehearsal.deleteStack('MiningGuardExistingAccount');

    // THEN
    expect(created.status).toBe('CREATE_COMPLETE');
    // Only the topic Budgets and Cost Anomaly Detection publish to, in front of the notifier.
    expect(resources.filter((r) => r.type === 'AWS::SNS::Topic').map((r) => r.logicalId)).toEqual([expect.stringMatching(/SpendGuardSpendTopic/)]);
    // The notifier, the launch evaluator, the spend evaluator and the config evaluator; no recorder or channel of its own.
    expect(resources.filter((r) => r.type === 'AWS::Lambda::Function')).toHaveLength(4);
    expect(Object.values(stack.template.Resources ?? {}).filter((r) => /^AWS::Config::(ConfigurationRecorder|DeliveryChannel)$/.test(r.Type))).toEqual([]);
    expect(deleted.status).toBe('DELETE_COMPLETE');
    await expect(sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).resolves.toBeDefined();
    expect(before).toMatchObject({ recording: [['aws-controltower-BaselineConfigRecorder', true]] });
    expect(whileDeployed).toEqual(before);
    expect(await accountConfig()).toEqual(before);
  });
});

describe('deploy rehearsal of examples/compliance in the emulator', () => {
  const rehearsal = new StackRehearsal();
  const stackName = 'MiningGuardCompliance';
  afterAll(() => rehearsal.destroy());

  test('creates the guard with its Config rules, updates a ceiling, and deletes it', async () => {
    // GIVEN
    const dir = exampleAssemblyDir('compliance');
    const stack = loadStack(dir, stackName);
    await rehearsal.publishAssets(dir, stack);

    // WHEN
    const created = await rehearsal.createStack(stackName, stack.template);

    // THEN the evaluator and every implemented resource exist; Config's own types are placeholders here
    expect(created.status).toBe('CREATE_COMPLETE');
    const resources = await rehearsal.listStackResources(stackName);
    // The notifier, the launch, spend and config evaluators.
    expect(resources.filter((r) => r.type === 'AWS::Lambda::Function')).toHaveLength(4);
    for (const r of resources.filter((x) => x.type in EXISTS)) expect([r.logicalId, await exists(r)]).toEqual([r.logicalId, true]);

    // WHEN the running-compute ceiling changes
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mining-guard-compliance-update-'));
    const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true }, analyticsReporting: false });
    new ComplianceStack(app, stackName, { maxRunningVcpus: 96 });
    app.synth();
    const changed = loadStack(outdir, stackName);
    await rehearsal.publishAssets(outdir, changed);
    const updated = await rehearsal.updateStack(stackName, changed.template);

    // THEN
    expect(updated.status).toBe('UPDATE_COMPLETE');
    const rule = Object.values(changed.template.Resources ?? {}).find((r) => r.Properties?.ConfigRuleName === 'MiningGuard-running-compute');
    expect(rule?.Properties?.InputParameters).toEqual({ check: 'running-compute', computePolicy: '{"maxRunningVcpus":96}' });

    // WHEN deleted
    const deleted = await rehearsal.deleteStack(stackName);

    // THEN
    expect(deleted.status).toBe('DELETE_COMPLETE');
  });
});

describe('deploy rehearsal of examples/adopted-monitor in the emulator', () => {
  const rehearsal = new StackRehearsal();
  const stackName = 'MiningGuardAdoptedMonitor';
  afterAll(() => rehearsal.destroy());

  test('creates the stack with the adopted monitor and the budget action, and deletes it', async () => {
    // GIVEN
    const dir = exampleAssemblyDir('adopted-monitor');
    const stack = loadStack(dir, stackName);
    await rehearsal.publishAssets(dir, stack);

    // WHEN
    const created = await rehearsal.createStack(stackName, stack.template);
    const resources = await rehearsal.listStackResources(stackName);
    const deleted = await rehearsal.deleteStack(stackName);

    // THEN
    expect(created.status).toBe('CREATE_COMPLETE');
    expect(Object.values(stack.template.Resources ?? {}).filter((r) => r.Type === 'AWS::CE::AnomalyMonitor')).toEqual([]);
    // The budget action itself is a placeholder in the emulator; its deny policy and execution role are created.
    expect(resources.filter((r) => r.type === 'AWS::IAM::ManagedPolicy').map((r) => r.logicalId)).toEqual([expect.stringMatching(/BudgetActionDenyComputePolicy/)]);
    expect(resources.map((r) => r.logicalId)).toContainEqual(expect.stringMatching(/BudgetActionExecutionRole/));
    // The notifier, the launch evaluator and the spend evaluator.
    expect(resources.filter((r) => r.type === 'AWS::Lambda::Function')).toHaveLength(3);
    expect(deleted.status).toBe('DELETE_COMPLETE');
  });
});

describe('deploy rehearsal of examples/one-line in the emulator', () => {
  const rehearsal = new StackRehearsal();
  const stackName = 'MiningGuardOneLine';
  afterAll(() => rehearsal.destroy());

  test('the synth warns that alerts reach nobody, and the deployed stack outputs the topic to subscribe to', async () => {
    // GIVEN the assembly the CDK CLI synthesized from `new MiningGuard(this)`
    const dir = exampleAssemblyDir('one-line');
    // The CLI keeps a stack's metadata, warnings included, in <stack>.metadata.json beside the template.
    const metadata = JSON.parse(fs.readFileSync(path.join(dir, `${stackName}.metadata.json`), 'utf8')) as Record<string, Array<{ type: string; data: unknown }>>;
    const warnings = Object.values(metadata).flat().filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
    // The stack has no region, so MiningGuard also says which regions it takes and where the home part cannot go.
    expect(warnings).toEqual([
      expect.stringMatching(/^The stack has no region \(environment-agnostic\), so MiningGuard takes the regions AWS enables by default .*\[ack: mining-guard:every-region-unknown-home\]$/),
      expect.stringMatching(/^MiningGuard's home part is in an environment-agnostic stack, .* eu-north-1.*\[ack: mining-guard:region-support\]$/),
      expect.stringMatching(/^Alerts reach nobody yet\. Set `alertEmails: \['secops@example\.com'\]`, `alertSlack` or `alertWebhookUrls` on MiningGuard/),
    ]);
    const stack = loadStack(dir, stackName);
    await rehearsal.publishAssets(dir, stack);

    // WHEN
    const created = await rehearsal.createStack(stackName, stack.template);
    const resources = await rehearsal.listStackResources(stackName);

    // THEN the whole guard is there, and the outputs name the alert topic and the dashboard
    expect(created.status).toBe('CREATE_COMPLETE');
    expect(resources.filter((r) => r.type === 'AWS::Lambda::Function')).toHaveLength(3);
    const topic = resources.find((r) => r.type === 'AWS::SNS::Topic' && /AlertsTopic/.test(r.logicalId))!;
    // The topic to subscribe to, and the guard's dashboard.
    const outputs = Object.values(created.outputs);
    expect(outputs).toHaveLength(2);
    expect(outputs).toEqual(expect.arrayContaining([
      topic.physicalId,
      expect.stringMatching(/^https:\/\/us-east-1\.console\.aws\.amazon\.com\/cloudwatch\/home\?region=us-east-1#dashboards\/dashboard\/MiningGuard-/),
    ]));
    await expect(new SNSClient(motoClientConfig()).send(new GetTopicAttributesCommand({ TopicArn: topic.physicalId }))).resolves.toBeDefined();
    for (const r of resources.filter((x) => x.type in EXISTS)) expect([r.logicalId, await exists(r)]).toEqual([r.logicalId, true]);

    // WHEN deleted
    const deleted = await rehearsal.deleteStack(stackName);
    // THEN
    expect(deleted.status).toBe('DELETE_COMPLETE');
  });
});

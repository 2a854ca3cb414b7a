/**
 * examples/control-tower: Control Tower's organization trail and its log group (`aws-controltower/CloudTrailLogs`) live
 * in the management account, so the management account's stack adopts them there, creating no trail of its own, and
 * subscribes the log group to the stream the audit (security) account's launch evaluator reads; the audit account's
 * stack names no such log group, which it does not have.
 *
 * The rehearsal deploys the example's management stack in the emulator next to the log group Control Tower made,
 * writes a real CloudTrail record into that log group, and reads back from the stream what the launch evaluator would
 * be invoked with. What the emulator (moto 5.2.1) cannot rehearse, and what stands in for it:
 * - its CloudFormation skips AWS::Logs::SubscriptionFilter and AWS::Kinesis::ResourcePolicy (it has no model for
 *   either): both are left out of the rehearsed template, and the test puts the subscription filter and the stream's
 *   policy itself, with the template's properties as CloudFormation resolves them;
 * - it runs Lambda-backed custom resources only through Docker: the GuardDuty delegated-administrator calls are left out;
 * - its subscription filters deliver every log event, whatever the pattern: that the pattern selects the record is
 *   checked with the test's own evaluator of filter patterns (test/harness/filter-pattern.ts);
 * - it enforces no resource policy: who may read the stream is asserted on the policy itself.
 */
import { randomInt } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DeleteSubscriptionFilterCommand,
  DescribeLogGroupsCommand, DescribeSubscriptionFiltersCommand, LogGroup, PutLogEventsCommand,
  PutRetentionPolicyCommand, PutSubscriptionFilterCommand, SubscriptionFilter,
} from '@aws-sdk/client-cloudwatch-logs';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { App } from 'aws-cdk-lib';
import { CONTROL_TOWER_LOG_GROUP, CONTROL_TOWER_TRAIL } from '../../examples/control-tower/control-tower-names';
import { OrganizationManagementStack } from '../../examples/organization/management-stack';
import { REGIONS } from '../../examples/organization/stack';
import { invocationRecords, isLogsDelivery, UnreadableRecord } from '../../lambda/core/launch/invocation-records';
import { HANDLER_ENVIRONMENT } from '../../lib/catalog';
import { readJsonLines } from '../fixtures/real-events';
import { exampleAssemblyDir } from '../harness/examples';
import { parseFilterPattern } from '../harness/filter-pattern';
import { inMotoAccount, motoClientConfig, motoEndpoint, uniqueName } from '../harness/moto';
import { CfnTemplate, loadStack, StackRehearsal, StackResource } from '../harness/rehearsal';

/** The accounts, organization and region examples/control-tower/app.ts has without context. */
const EXAMPLE = { management: '999988887777', audit: '111122223333', organizationId: 'o-a1b2c3d4e5', region: 'eu-west-1' } as const;
/** The stream the management account's stack makes, by the name the audit account's stack reads it by. */
const STREAM_NAME = 'mining-guard-organization-trail';

/**
 * The management account of the rehearsal: a fresh one each run, since the stack's names are fixed per account (the
 * stream, kept when the stack is deleted, among them) and the emulator may outlive a run.
 */
const MANAGEMENT = `9999${String(randomInt(100_000_000)).padStart(8, '0')}`;

/**
 * The real record the rehearsal writes into Control Tower's log group: Stratus Red Team's
 * ec2-launch-unusual-instances, a RunInstances of p2.xlarge by an assumed role in us-east-1 (Invictus dataset, see
 * test/fixtures/SOURCES.md), as CloudTrail delivers it to CloudWatch Logs: one record, as JSON, per log event.
 */
const GPU_LAUNCH = readJsonLines('cloudtrail/attack/invictus_stratus_2023-07-10.jsonl')
  .find((r) => r.eventID === '8e865acb-b1e1-41d1-bdf3-47462f79d24c')!;
/** The account the dataset was recorded in: a member of the organization whose trail Control Tower runs. */
const DATASET_ACCOUNT = '123837392027';

/** A template's resources of one type, by logical id. */
function resourcesOfType(template: CfnTemplate, type: string): Array<[string, Record<string, any>]> {
  return Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === type).map(([id, r]) => [id, r.Properties ?? {}]);
}

/** The one resource of a type in a template, failing when there are none or several. */
function onlyResourceOfType(template: CfnTemplate, type: string): [string, Record<string, any>] {
  const found = resourcesOfType(template, type);
  expect([type, found.length]).toEqual([type, 1]);
  return found[0];
}

describe('examples/control-tower, as synthesized', () => {
  const dir = exampleAssemblyDir('control-tower');
  const management = loadStack(dir, 'MiningGuardControlTowerManagement').template;
  const audit = loadStack(dir, 'MiningGuardControlTowerAudit').template;

  test('the management account\'s stack adopts Control Tower\'s trail: it makes no trail, no trail bucket and no log group', () => {
    for (const type of ['AWS::CloudTrail::Trail', 'AWS::S3::Bucket', 'AWS::Logs::LogGroup']) {
      expect([type, resourcesOfType(management, type)]).toEqual([type, []]);
    }
  });

  test('it subscribes Control Tower\'s log group, in its own account, to the stream the audit account reads', () => {
    const [, filter] = onlyResourceOfType(management, 'AWS::Logs::SubscriptionFilter');
    expect(filter.LogGroupName).toBe(CONTROL_TOWER_LOG_GROUP);
    expect(CONTROL_TOWER_LOG_GROUP).toBe('aws-controltower/CloudTrailLogs');
    const [streamId, stream] = onlyResourceOfType(management, 'AWS::Kinesis::Stream');
    expect(stream.Name).toBe(STREAM_NAME);
    expect(filter.DestinationArn).toEqual({ 'Fn::GetAtt': [streamId, 'Arn'] });
  });

  test('the audit account\'s stack never names Control Tower\'s log group, and its launch evaluator reads the management account\'s stream', () => {
    expect(JSON.stringify(audit)).not.toContain(CONTROL_TOWER_LOG_GROUP);
    // Its own subscription filters are on log groups of its own stack.
    for (const [, filter] of resourcesOfType(audit, 'AWS::Logs::SubscriptionFilter')) {
      expect(filter.LogGroupName).toEqual({ Ref: expect.any(String) });
      expect(audit.Resources?.[filter.LogGroupName.Ref]?.Type).toBe('AWS::Logs::LogGroup');
    }

    const [mapping] = resourcesOfType(audit, 'AWS::Lambda::EventSourceMapping').map(([, p]) => p);
    expect(resourcesOfType(audit, 'AWS::Lambda::EventSourceMapping')).toHaveLength(1);
    expect(mapping.EventSourceArn).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:kinesis:${EXAMPLE.region}:${EXAMPLE.management}:stream/${STREAM_NAME}`]],
    });
    // The launch evaluator: the one function given the containment role's name.
    const evaluators = resourcesOfType(audit, 'AWS::Lambda::Function')
      .filter(([, p]) => p.Environment?.Variables?.[HANDLER_ENVIRONMENT.launchEvaluator.containmentRoleName] !== undefined);
    expect(evaluators).toHaveLength(1);
    expect(mapping.FunctionName).toEqual({ Ref: evaluators[0][0] });
  });
});

type Client = { middlewareStack: { add: (...args: any[]) => void }; destroy: () => void };
const clients: Client[] = [];
/** A client of the emulator acting in the management account, closed after the tests. */
function client<T extends Client>(make: (config: ReturnType<typeof motoClientConfig>) => T): T {
  const made = inMotoAccount(make(motoClientConfig(EXAMPLE.region)), MANAGEMENT);
  clients.push(made);
  return made;
}

/** A record of a Kinesis GetRecords response, as the JSON protocol has it: `Data` base64-encoded, times in epoch seconds. */
interface KinesisRecord {
  readonly SequenceNumber: string;
  readonly PartitionKey: string;
  readonly Data: string;
  readonly ApproximateArrivalTimestamp: number;
}

/**
 * A call to the emulator's Kinesis in the management account. The project has no Kinesis SDK client (none of its code
 * calls Kinesis), so the test speaks Kinesis' JSON protocol itself: the emulator checks no signature, and reads the
 * region and the service from the credential scope of the Authorization header.
 */
async function kinesis<T = Record<string, any>>(action: string, input: Record<string, unknown>): Promise<T> {
  const response = await fetch(motoEndpoint(), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `Kinesis_20131202.${action}`,
      'x-moto-account-id': MANAGEMENT,
      'authorization': `AWS4-HMAC-SHA256 Credential=testing/20240101/${EXAMPLE.region}/kinesis/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(input),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`the emulator's Kinesis refused ${action}: HTTP ${response.status} ${text}`);
  return (text === '' ? {} : JSON.parse(text)) as T;
}

/** The template types the emulator's CloudFormation has no model for: left out, and put by the test (see the top). */
const NOT_MODELLED = ['AWS::Logs::SubscriptionFilter', 'AWS::Kinesis::ResourcePolicy'];

/**
 * The template without what the emulator cannot deploy: its custom resources (which it runs only through Docker) and
 * the types it has no model for. Fails when anything left reads one of them, since leaving it out would then change
 * what is deployed.
 */
function rehearsable(template: CfnTemplate): CfnTemplate {
  const left = new Set(Object.entries(template.Resources ?? {})
    .filter(([, r]) => r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource' || NOT_MODELLED.includes(r.Type))
    .map(([id]) => id));
  const resources = Object.fromEntries(Object.entries(template.Resources ?? {}).filter(([id]) => !left.has(id)).map(([id, r]) => {
    const dependsOn = r.DependsOn === undefined ? undefined : [r.DependsOn as string | string[]].flat().filter((d) => !left.has(d));
    return [id, dependsOn === undefined ? r : { ...r, DependsOn: dependsOn }];
  }));
  const rest = JSON.stringify({ ...template, Resources: resources });
  const read = [...left].filter((id) => rest.includes(`{"Ref":"${id}"}`) || rest.includes(`{"Fn::GetAtt":["${id}"`));
  if (read.length > 0) throw new Error(`the template reads resources the emulator cannot create: ${read.join(', ')}`);
  return { ...template, Resources: resources };
}

/** A value of the management template as CloudFormation resolves it in the deployed stack: the few forms the test reads. */
async function resolved(value: unknown, deployed: readonly StackResource[]): Promise<any> {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return Promise.all(value.map((v) => resolved(v, deployed)));
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [[fn, args]] = entries;
    if (fn === 'Ref' && args === 'AWS::Partition') return 'aws';
    if (fn === 'Fn::Join') return ((await resolved(args[1], deployed)) as string[]).join(args[0]);
    if (fn === 'Fn::GetAtt' && args[1] === 'Arn') {
      const resource = deployed.find((r) => r.logicalId === args[0]);
      if (resource?.type === 'AWS::Kinesis::Stream') {
        return (await kinesis('DescribeStreamSummary', { StreamName: resource.physicalId })).StreamDescriptionSummary.StreamARN;
      }
      if (resource?.type === 'AWS::IAM::Role') {
        return (await client((c) => new IAMClient(c)).send(new GetRoleCommand({ RoleName: resource.physicalId }))).Role!.Arn;
      }
    }
    if (fn.startsWith('Fn::') || fn === 'Ref') throw new Error(`the test does not resolve ${JSON.stringify(value)}`);
  }
  return Object.fromEntries(await Promise.all(entries.map(async ([k, v]) => [k, await resolved(v, deployed)])));
}

/** Control Tower's log group as CloudWatch Logs describes it, but for what writing to it changes. */
async function controlTowerLogGroup(): Promise<Omit<LogGroup, 'storedBytes'> | undefined> {
  const logs = client((c) => new CloudWatchLogsClient(c));
  const { logGroups = [] } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: CONTROL_TOWER_LOG_GROUP }));
  const found = logGroups.filter((g) => g.logGroupName === CONTROL_TOWER_LOG_GROUP).map(({ storedBytes: _stored, ...group }) => group);
  return found[0];
}

/** The subscription filters of Control Tower's log group. */
async function controlTowerSubscriptions(): Promise<SubscriptionFilter[]> {
  const logs = client((c) => new CloudWatchLogsClient(c));
  return (await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: CONTROL_TOWER_LOG_GROUP }))).subscriptionFilters ?? [];
}

/** The Kinesis batch Lambda invokes a function with for `records` of the stream's shard `shardId`. */
function lambdaKinesisEvent(streamArn: string, shardId: string, records: readonly KinesisRecord[]): { Records: unknown[] } {
  return {
    Records: records.map((r) => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: r.PartitionKey,
        sequenceNumber: r.SequenceNumber,
        // Lambda hands the record's bytes on base64-encoded, as GetRecords' JSON has them.
        data: r.Data,
        approximateArrivalTimestamp: r.ApproximateArrivalTimestamp,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${shardId}:${r.SequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: `arn:aws:iam::${EXAMPLE.audit}:role/MiningGuard-LaunchEvaluatorRole`,
      awsRegion: EXAMPLE.region,
      eventSourceARN: streamArn,
    })),
  };
}

describe('examples/control-tower\'s management stack, rehearsed in the emulator next to Control Tower\'s log group', () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'control-tower-'));
  const rehearsal = new StackRehearsal({ account: MANAGEMENT, region: EXAMPLE.region });
  const stackName = uniqueName('MiningGuardControlTowerManagement');
  let template: CfnTemplate;
  let deployed: StackResource[];
  let logGroupBefore: Awaited<ReturnType<typeof controlTowerLogGroup>>;
  let created = false;

  beforeAll(async () => {
    // GIVEN the log group Control Tower made, as Control Tower keeps it (a year's retention)
    const logs = client((c) => new CloudWatchLogsClient(c));
    await logs.send(new CreateLogGroupCommand({ logGroupName: CONTROL_TOWER_LOG_GROUP }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: CONTROL_TOWER_LOG_GROUP, retentionInDays: 365 }));
    logGroupBefore = await controlTowerLogGroup();

    // AND the example's management stack for this account, as `cdk deploy -c managementAccount=...` synthesizes it
    // (with the context the CDK CLI gives an app, so that the template is the one `cdk synth` writes)
    const app = new App({ outdir: workDir, context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true }, analyticsReporting: false });
    new OrganizationManagementStack(app, 'MiningGuardControlTowerManagement', {
      env: { account: MANAGEMENT, region: EXAMPLE.region },
      organizationId: EXAMPLE.organizationId,
      securityAccount: EXAMPLE.audit,
      guardDutyRegions: [EXAMPLE.region, ...REGIONS],
      existingTrail: { trailName: CONTROL_TOWER_TRAIL, logGroupName: CONTROL_TOWER_LOG_GROUP },
    });
    app.synth();
    const stack = loadStack(workDir, 'MiningGuardControlTowerManagement');
    template = stack.template;

    // WHEN it is deployed
    await rehearsal.publishAssets(workDir, stack);
    created = true;
    const outcome = await rehearsal.createStack(stackName, rehearsable(template));
    expect([outcome.status, outcome.failures]).toEqual(['CREATE_COMPLETE', []]);
    deployed = await rehearsal.listStackResources(stackName);

    // AND what the emulator's CloudFormation skips is put as CloudFormation would put it
    const [filterId, filter] = onlyResourceOfType(template, 'AWS::Logs::SubscriptionFilter');
    const filterProperties = await resolved(filter, deployed);
    await logs.send(new PutSubscriptionFilterCommand({
      filterName: `${stackName}-${filterId}`,
      logGroupName: filterProperties.LogGroupName,
      filterPattern: filterProperties.FilterPattern,
      destinationArn: filterProperties.DestinationArn,
      roleArn: filterProperties.RoleArn,
    }));
    const [, streamPolicy] = onlyResourceOfType(template, 'AWS::Kinesis::ResourcePolicy');
    const policyProperties = await resolved(streamPolicy, deployed);
    await kinesis('PutResourcePolicy', { ResourceARN: policyProperties.ResourceArn, Policy: JSON.stringify(policyProperties.ResourcePolicy) });
  });

  afterAll(async () => {
    try {
      if (created) {
        // The stack's deletion, which removes the subscription filter it made (the emulator never made it: the test does)
        await client((c) => new CloudWatchLogsClient(c)).send(new DeleteSubscriptionFilterCommand({
          logGroupName: CONTROL_TOWER_LOG_GROUP, filterName: `${stackName}-${onlyResourceOfType(template, 'AWS::Logs::SubscriptionFilter')[0]}`,
        })).catch(() => undefined);
        const deleted = await rehearsal.deleteStack(stackName);
        expect(deleted.status).toBe('DELETE_COMPLETE');
        // THEN Control Tower's log group is still there, as it was, and nothing of the stack is subscribed to it
        expect(await controlTowerLogGroup()).toEqual(logGroupBefore);
        expect(await controlTowerSubscriptions()).toEqual([]);
      }
    } finally {
      for (const c of clients) c.destroy();
      rehearsal.destroy();
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  });

  test('the rehearsed template is the example\'s, for this account', () => {
    const example = loadStack(exampleAssemblyDir('control-tower'), 'MiningGuardControlTowerManagement').template;
    expect(template).toEqual(JSON.parse(JSON.stringify(example).split(EXAMPLE.management).join(MANAGEMENT)));
  });

  test('the deployed stack makes no log group and leaves Control Tower\'s as it was', async () => {
    expect(deployed.filter((r) => r.type === 'AWS::Logs::LogGroup' || r.type === 'AWS::CloudTrail::Trail')).toEqual([]);
    expect(logGroupBefore).toMatchObject({ logGroupName: CONTROL_TOWER_LOG_GROUP, retentionInDays: 365 });
    expect(await controlTowerLogGroup()).toEqual(logGroupBefore);
  });

  test('Control Tower\'s log group is subscribed to the stream the audit account\'s evaluator reads, which only the audit account may read', async () => {
    const subscriptionFilters = await controlTowerSubscriptions();
    const streamArn = `arn:aws:kinesis:${EXAMPLE.region}:${MANAGEMENT}:stream/${STREAM_NAME}`;
    expect(subscriptionFilters).toEqual([expect.objectContaining<SubscriptionFilter>({
      logGroupName: CONTROL_TOWER_LOG_GROUP,
      destinationArn: streamArn,
      filterPattern: onlyResourceOfType(template, 'AWS::Logs::SubscriptionFilter')[1].FilterPattern,
      roleArn: expect.stringMatching(new RegExp(`^arn:aws:iam::${MANAGEMENT}:role/`)),
    })]);
    // The stream's ARN is the one the audit account's event source mapping names, for this account.
    const [, mapping] = onlyResourceOfType(loadStack(exampleAssemblyDir('control-tower'), 'MiningGuardControlTowerAudit').template, 'AWS::Lambda::EventSourceMapping');
    expect(await resolved(mapping.EventSourceArn, [])).toBe(streamArn.replace(MANAGEMENT, EXAMPLE.management));

    const { Policy: policy } = await kinesis<{ Policy: string }>('GetResourcePolicy', { ResourceARN: streamArn });
    expect(JSON.parse(policy).Statement).toEqual([expect.objectContaining({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${EXAMPLE.audit}:root` },
      Action: expect.arrayContaining(['kinesis:GetRecords', 'kinesis:GetShardIterator']),
      Resource: streamArn,
    })]);
  });

  test('a RunInstances record Control Tower\'s trail writes to the log group reaches the evaluator through the stream as that very record', async () => {
    const logs = client((c) => new CloudWatchLogsClient(c));
    const streamArn = `arn:aws:kinesis:${EXAMPLE.region}:${MANAGEMENT}:stream/${STREAM_NAME}`;
    const [filter] = await controlTowerSubscriptions();
    const message = JSON.stringify(GPU_LAUNCH);
    // The emulator delivers every event whatever the pattern: that the deployed pattern selects the record is the
    // evaluator's of the test, whether CloudWatch Logs matches its regular expressions to the whole value or searches.
    expect(parseFilterPattern(filter.filterPattern!).matches(message, 'whole-value')).toBe(true);
    expect(parseFilterPattern(filter.filterPattern!).matches(message, 'search')).toBe(true);

    // GIVEN the stream's only shard, read from what arrives next
    const { Shards: shards } = await kinesis<{ Shards: Array<{ ShardId: string }> }>('ListShards', { StreamARN: streamArn });
    expect(shards).toHaveLength(1);
    const shardId = shards[0].ShardId;
    const { ShardIterator: iterator } = await kinesis('GetShardIterator', { StreamARN: streamArn, ShardId: shardId, ShardIteratorType: 'LATEST' });

    // WHEN the trail writes the record to its log stream of the record's account and region, as CloudTrail names them
    const logStreamName = `${DATASET_ACCOUNT}_CloudTrail_us-east-1`;
    expect([GPU_LAUNCH.recipientAccountId, GPU_LAUNCH.awsRegion, GPU_LAUNCH.eventName]).toEqual([DATASET_ACCOUNT, 'us-east-1', 'RunInstances']);
    await logs.send(new CreateLogStreamCommand({ logGroupName: CONTROL_TOWER_LOG_GROUP, logStreamName }));
    const timestamp = Date.now();
    await logs.send(new PutLogEventsCommand({ logGroupName: CONTROL_TOWER_LOG_GROUP, logStreamName, logEvents: [{ timestamp, message }] }));

    // THEN the stream holds one record: the CloudWatch Logs payload, gzipped, in the format AWS documents. (AWS gives
    // each log event's id as a string of digits; the emulator gives its own counter as a number. Nothing reads it.)
    const { Records: records } = await kinesis<{ Records: KinesisRecord[] }>('GetRecords', { StreamARN: streamArn, ShardIterator: iterator });
    expect(records).toHaveLength(1);
    const payload = JSON.parse(gunzipSync(Buffer.from(records[0].Data, 'base64')).toString('utf8'));
    expect(payload).toEqual({
      messageType: 'DATA_MESSAGE',
      owner: MANAGEMENT,
      logGroup: CONTROL_TOWER_LOG_GROUP,
      logStream: logStreamName,
      subscriptionFilters: [filter.filterName],
      logEvents: [{ id: expect.anything(), timestamp, message }],
    });

    // AND the batch Lambda invokes the audit account's evaluator with is a logs delivery, whose records are exactly the trail's
    const event = lambdaKinesisEvent(streamArn, shardId, records);
    const unreadable: UnreadableRecord[] = [];
    expect(isLogsDelivery(event)).toBe(true);
    expect(invocationRecords(event, (u) => unreadable.push(u))).toEqual([GPU_LAUNCH]);
    expect(unreadable).toEqual([]);
  });
});

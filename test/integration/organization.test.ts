/**
 * An organization of two accounts in the emulator: the security account runs `examples/organization` (the guard and
 * OrganizationMembers), synthesized for the organization the emulator made; a member account gets the StackSet's
 * template with the StackSet's parameters, as a stack instance would. A GPU launch in the member account, delivered
 * to the central bus as EventBridge delivers it, is judged by the real launch evaluator of the security account, run
 * in-process with the environment the deployed function has, under its own role's credentials: it names the account,
 * stops the instance in the member account through that account's containment role, and alerts.
 *
 * What the emulator (moto 5.2.1) cannot rehearse, and what stands in for it:
 * - its Organizations makes account ids at random (CreateAccount), so the member account is the one it made;
 * - its CloudFormation skips AWS::Events::EventBusPolicy and AWS::CloudFormation::StackSet: the test puts the bus
 *   policy's statement itself and deploys the StackSet's template as a stack in the member account;
 * - it runs Lambda-backed custom resources only through Docker: the security stack is deployed without them (they
 *   call services this rehearsal does not cover, such as GuardDuty's organization configuration);
 * - it enforces neither resource policies (its PutEvents reads only the bus name from an ARN and puts on the caller's
 *   own bus) nor role trust policies (its AssumeRole hands out credentials for any role ARN, even one that does not
 *   exist): who may put events and who may assume the containment role are asserted on the policies themselves.
 */
import { randomInt, randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DescribeInstancesCommand, EC2Client, Reservation, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeEventBusCommand, EventBridgeClient, PutPermissionCommand } from '@aws-sdk/client-eventbridge';
import { GetRoleCommand, GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateAccountCommand, CreateOrganizationCommand, ListRootsCommand, OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient,
} from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { App } from 'aws-cdk-lib';
import type { Context } from 'aws-lambda';
import { OrganizationSecurityStack } from '../../examples/organization/stack';
import { CONTAINMENT_ROLE_NAME, HANDLER_ENVIRONMENT } from '../../lib/catalog';
import { MEMBER_PARAMETERS } from '../../lib/organization/member-template';
import { eventBridgeEvent } from '../fixtures/documented-cloudtrail';
import { readJsonLines } from '../fixtures/real-events';
import { handlerEnvironment } from '../harness/handler-environment';
import { inMotoAccount, motoClientConfig, SnsEnvelope, uniqueName } from '../harness/moto';
import { RecordingProxy } from '../harness/recording-proxy';
import { CfnTemplate, loadStack, StackRehearsal, StackResource } from '../harness/rehearsal';

/**
 * The security account: the organization's management account here, since only that one can name accounts in the
 * emulator. A fresh one each run: some names in its stack are fixed per account, and the emulator may outlive a run.
 */
const SECURITY = `1111${String(randomInt(100_000_000)).padStart(8, '0')}`;
/** The guard's home region, as examples/organization/app.ts has it; its other regions are the example's REGIONS. */
const HOME = 'eu-west-1';
/** The member account's name in the organization, which the alert shows. */
const MEMBER_NAME = 'Production';

/**
 * The real launch this test replays: Stratus Red Team's ec2-launch-unusual-instances, p2.xlarge x 1..10 by an assumed
 * role, in us-east-1 (Invictus dataset, see test/fixtures/SOURCES.md). AWS refused it (VcpuLimitExceeded).
 */
const INVICTUS = readJsonLines('cloudtrail/attack/invictus_stratus_2023-07-10.jsonl');
const REFUSED_GPU_LAUNCH = INVICTUS.find((r) => r.eventID === '8e865acb-b1e1-41d1-bdf3-47462f79d24c')!;
/** A launch AWS accepted in the same account of the same log: the shape of a successful launch's response. */
const ACCEPTED_LAUNCH = INVICTUS.find((r) => r.eventID === '86eac0ac-8521-4126-aa32-a22f2b74d02e')!;
/** The account the dataset was recorded in. */
const DATASET_ACCOUNT = '123837392027';

type Client = { middlewareStack: { add: (...args: any[]) => void }; destroy: () => void };
const clients: Client[] = [];
/** A client of the emulator acting in `account`, closed after the tests. */
function client<T extends Client>(make: (config: ReturnType<typeof motoClientConfig>) => T, account: string, region = HOME): T {
  const made = inMotoAccount(make(motoClientConfig(region)), account);
  clients.push(made);
  return made;
}

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'organization-'));
const rehearsals: StackRehearsal[] = [];
const savedEnvironment = { ...process.env };

/** What the organization, its two accounts and their stacks are, once deployed. */
interface Rehearsed {
  readonly organizationId: string;
  readonly member: string;
  readonly securityTemplate: CfnTemplate;
  readonly evaluatorRoleArn: string;
  readonly evaluatorFunction: { readonly arn: string; readonly environment: Record<string, string> };
  /** The member template's stack in the home region (which makes the containment role) and in us-east-1 (which does not). */
  readonly memberStacks: { readonly home: StackResource[]; readonly other: StackResource[] };
}
let rehearsed: Rehearsed;

/** The emulator's organization, made by the security account, and a member account it creates. */
async function makeOrganization(): Promise<{ organizationId: string; rootId: string; member: string }> {
  const organizations = client((c) => new OrganizationsClient(c), SECURITY);
  const { Organization: organization } = await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const { CreateAccountStatus: created } = await organizations.send(new CreateAccountCommand({
    AccountName: MEMBER_NAME, Email: `${uniqueName('production')}@example.com`,
  }));
  const { Roots = [] } = await organizations.send(new ListRootsCommand({}));
  expect(created?.State).toBe('SUCCEEDED');
  return { organizationId: organization!.Id!, rootId: Roots[0].Id!, member: created!.AccountId! };
}

/** A template's resources of one type, by logical id. */
function resourcesOfType(template: CfnTemplate, type: string): Array<[string, Record<string, any>]> {
  return Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === type).map(([id, r]) => [id, r.Properties ?? {}]);
}

/** A value of the security template as CloudFormation resolves it in the deployed stack: the few forms the tests read. */
async function resolved(value: unknown, deployed: readonly StackResource[]): Promise<any> {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return Promise.all(value.map((v) => resolved(v, deployed)));
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [[fn, args]] = entries;
    if (fn === 'Ref' && args === 'AWS::Partition') return 'aws';
    if (fn === 'Fn::Join') return ((await resolved(args[1], deployed)) as string[]).join(args[0]);
    if (fn === 'Fn::GetAtt' && args[1] === 'Arn') {
      const role = deployed.find((r) => r.logicalId === args[0] && r.type === 'AWS::IAM::Role');
      if (!role?.physicalId) throw new Error(`no deployed role ${args[0]} to resolve ${JSON.stringify(value)}`);
      return (await client((c) => new IAMClient(c), SECURITY).send(new GetRoleCommand({ RoleName: role.physicalId }))).Role!.Arn;
    }
    if (fn.startsWith('Fn::') || fn === 'Ref') throw new Error(`the test does not resolve ${JSON.stringify(value)}`);
  }
  return Object.fromEntries(await Promise.all(entries.map(async ([k, v]) => [k, await resolved(v, deployed)])));
}

/**
 * The template without its custom resources, which the emulator runs only through Docker (they would keep the stack in
 * progress): calls to services this rehearsal does not cover, such as GuardDuty's organization configuration. Fails
 * when anything else reads one of them, since leaving it out would then change what is deployed.
 */
function withoutCustomResources(template: CfnTemplate): CfnTemplate {
  const custom = new Set(Object.entries(template.Resources ?? {})
    .filter(([, r]) => r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource').map(([id]) => id));
  const resources = Object.fromEntries(Object.entries(template.Resources ?? {}).filter(([id]) => !custom.has(id)).map(([id, r]) => {
    const dependsOn = r.DependsOn === undefined ? undefined : [r.DependsOn as string | string[]].flat().filter((d) => !custom.has(d));
    return [id, dependsOn === undefined ? r : { ...r, DependsOn: dependsOn }];
  }));
  const rest = JSON.stringify({ ...template, Resources: resources });
  const read = [...custom].filter((id) => rest.includes(`{"Ref":"${id}"}`) || rest.includes(`{"Fn::GetAtt":["${id}"`));
  if (read.length > 0) throw new Error(`the template reads custom resources the emulator cannot create: ${read.join(', ')}`);
  return { ...template, Resources: resources };
}

/** `examples/organization` for the emulator's organization, synthesized as `cdk deploy -c account=... -c organizationId=...` would. */
function synthSecurityStack(organizationId: string, rootId: string): { dir: string; stack: OrganizationSecurityStack } {
  const dir = path.join(workDir, 'security');
  const app = new App({ outdir: dir });
  const stack = new OrganizationSecurityStack(app, 'MiningGuardOrganization', { env: { account: SECURITY, region: HOME }, organizationId, rootId });
  app.synth();
  return { dir, stack };
}

beforeAll(async () => {
  const { organizationId, rootId, member } = await makeOrganization();

  // The security account: the example, deployed.
  const { dir, stack } = synthSecurityStack(organizationId, rootId);
  const security = loadStack(dir, 'MiningGuardOrganization');
  const securityRehearsal = new StackRehearsal({ account: SECURITY, region: HOME });
  rehearsals.push(securityRehearsal);
  const securityStack = uniqueName('MiningGuardOrganization');
  await securityRehearsal.publishAssets(dir, security);
  const created = await securityRehearsal.createStack(securityStack, withoutCustomResources(security.template));
  expect([created.status, created.failures]).toEqual(['CREATE_COMPLETE', []]);
  const deployed = await securityRehearsal.listStackResources(securityStack);

  // The launch evaluator as deployed: the function whose environment names the containment role.
  const [[evaluatorId]] = resourcesOfType(security.template, 'AWS::Lambda::Function')
    .filter(([, p]) => p.Environment?.Variables?.[HANDLER_ENVIRONMENT.launchEvaluator.containmentRoleName] !== undefined);
  const evaluatorName = deployed.find((r) => r.logicalId === evaluatorId)!.physicalId!;
  const configuration = await client((c) => new LambdaClient(c), SECURITY).send(new GetFunctionConfigurationCommand({ FunctionName: evaluatorName }));

  // The member account: the StackSet's template with the StackSet's parameters, as its stack instances get them, in
  // the home region (which the StackSet names the containment role's) and in another of the guarded regions.
  const [[, stackSet]] = resourcesOfType(security.template, 'AWS::CloudFormation::StackSet').filter(([, p]) => p.PermissionModel === 'SERVICE_MANAGED');
  const memberTemplate = JSON.parse(stackSet.TemplateBody as string) as CfnTemplate;
  expect(memberTemplate).toEqual(stack.members.template);
  const stackSetParameters = stackSet.Parameters as Array<{ ParameterKey: string; ParameterValue: unknown }>;
  const parameters: Record<string, string> = Object.fromEntries(await Promise.all(stackSetParameters
    .map(async (p) => [p.ParameterKey, await resolved(p.ParameterValue, deployed)])));
  expect(parameters[MEMBER_PARAMETERS.containmentRoleRegion]).toBe(HOME);
  expect(stackSet.StackInstancesGroup[0].Regions).toEqual([HOME, 'us-east-1', 'eu-central-1']);
  const memberStacks = await Promise.all([HOME, 'us-east-1'].map(async (region) => {
    const rehearsal = new StackRehearsal({ account: member, region });
    rehearsals.push(rehearsal);
    const name = uniqueName('StackSet-members');
    const outcome = await rehearsal.createStack(name, memberTemplate, parameters);
    expect([region, outcome.status, outcome.failures]).toEqual([region, 'CREATE_COMPLETE', []]);
    return rehearsal.listStackResources(name);
  }));

  rehearsed = {
    organizationId,
    member,
    securityTemplate: security.template,
    evaluatorRoleArn: parameters[MEMBER_PARAMETERS.evaluatorRoleArn],
    evaluatorFunction: { arn: configuration.FunctionArn!, environment: configuration.Environment?.Variables ?? {} },
    memberStacks: { home: memberStacks[0], other: memberStacks[1] },
  };
});

afterAll(() => {
  for (const c of clients) c.destroy();
  for (const r of rehearsals) r.destroy();
  for (const key of Object.keys(process.env)) if (!(key in savedEnvironment)) delete process.env[key];
  Object.assign(process.env, savedEnvironment);
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe('an organization of two accounts, guarded from its security account', () => {
  test('the member account has one containment role, made in the home region, that only the evaluator\'s role of the organization may assume', async () => {
    const { member, evaluatorRoleArn, organizationId, memberStacks } = rehearsed;
    // The evaluator's role is the deployed one of the security account, and its function is given the role's name.
    expect(evaluatorRoleArn).toMatch(new RegExp(`^arn:aws:iam::${SECURITY}:role/.+`));
    expect(rehearsed.evaluatorFunction.environment[HANDLER_ENVIRONMENT.launchEvaluator.containmentRoleName]).toBe(CONTAINMENT_ROLE_NAME);

    // The home region's stack instance made it; the other region's made none (IAM is global: a second would collide).
    const roles = (resources: StackResource[]) => resources.filter((r) => r.type === 'AWS::IAM::Role').map((r) => r.physicalId);
    expect(roles(memberStacks.home).filter((name) => name === CONTAINMENT_ROLE_NAME)).toHaveLength(1);
    expect(roles(memberStacks.other)).not.toContain(CONTAINMENT_ROLE_NAME);

    const iam = client((c) => new IAMClient(c), member);
    const { Role: role } = await iam.send(new GetRoleCommand({ RoleName: CONTAINMENT_ROLE_NAME }));
    expect(role?.Arn).toBe(`arn:aws:iam::${member}:role/${CONTAINMENT_ROLE_NAME}`);
    // The emulator does not evaluate trust policies (its AssumeRole serves any caller, for any role ARN), so that a role
    // other than the evaluator's, or the evaluator's outside the organization, is refused is the policy's to say: exactly this.
    expect(JSON.parse(decodeURIComponent(role!.AssumeRolePolicyDocument!))).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { AWS: evaluatorRoleArn },
        Condition: { StringEquals: { 'aws:PrincipalOrgID': organizationId } },
      }],
    });
    // AND it may read, stop and tag, never terminate, and change nothing outside its own account. (moto 5.2.1 keeps the
    // inline policy of a role CloudFormation made as Python's repr of it, not JSON; this one holds no quote of its own.)
    const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName: CONTAINMENT_ROLE_NAME, PolicyName: 'Containment' }));
    const policy = JSON.parse(decodeURIComponent(PolicyDocument!).replace(/'/g, '"')) as { Statement: Array<{ Action: string | string[]; Condition?: any }> };
    const actions = policy.Statement.flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => !/:(Describe|LookupEvents)/.test(a)).sort()).toEqual(['ec2:CreateTags', 'ec2:ModifyInstanceAttribute', 'ec2:StopInstances']);
    const changes = policy.Statement.filter((s) => [s.Action].flat().some((a) => !/:(Describe|LookupEvents)/.test(a)));
    expect(changes.map((s) => s.Condition?.StringEquals?.['aws:ResourceAccount'])).toEqual(changes.map(() => member));
  });

  test('a GPU launch in the member account is judged centrally, stopped there through its containment role, and alerted naming the account', async () => {
    const { member, evaluatorFunction, evaluatorRoleArn } = rehearsed;
    const environment = evaluatorFunction.environment;
    // The default compute policy denies the GPU families; the example stops what ec2-instance-launch flags.
    expect(JSON.parse(environment[HANDLER_ENVIRONMENT.launchEvaluator.launchSettings])).toMatchObject({ computePolicy: {}, responses: { 'ec2-instance-launch': 'STOP' } });

    // GIVEN the attacker's launch, in the member account's us-east-1 as the record has it, and a GPU instance of the
    // security account's own in the same region, which nothing must touch
    const memberEc2 = client((c) => new EC2Client(c), member, 'us-east-1');
    type Request = { instanceType: string; instancesSet: { items: Array<{ minCount: number; maxCount: number }> } };
    const request = REFUSED_GPU_LAUNCH.requestParameters as Request;
    const launched = await memberEc2.send(new RunInstancesCommand({
      // The emulator knows none of the dataset's AMIs: one of its own.
      ImageId: 'ami-12c6146b',
      InstanceType: request.instanceType as 'p2.xlarge',
      MinCount: request.instancesSet.items[0].minCount,
      MaxCount: request.instancesSet.items[0].maxCount,
    }));
    const memberIds = launched.Instances!.map((i) => i.InstanceId!);
    const securityEc2 = client((c) => new EC2Client(c), SECURITY, 'us-east-1');
    const own = (await securityEc2.send(new RunInstancesCommand({ ImageId: 'ami-12c6146b', InstanceType: 'g5.xlarge', MinCount: 1, MaxCount: 1 }))).Instances![0].InstanceId!;

    // AND an alert inbox on the deployed alert topic
    const inbox = await subscribeInbox(environment[HANDLER_ENVIRONMENT.launchEvaluator.alertTopicArn]);

    // AND the evaluator as Lambda runs it: the deployed function's environment, its role's credentials, its own ARN
    const proxy = await RecordingProxy.start();
    try {
      await runAsEvaluator(environment, evaluatorRoleArn, proxy.endpoint);
      const handler = await freshHandler();

      // WHEN the central bus delivers the launch
      const event = eventBridgeEvent(asLaunchedIn(member, launched));
      expect(event).toMatchObject({ 'source': 'aws.ec2', 'detail-type': 'AWS API Call via CloudTrail', 'account': member, 'region': 'us-east-1' });
      const { outcomes } = await handler(event, lambdaContext(evaluatorFunction.arn));

      // THEN it is a detection, alerted
      expect(outcomes.map((o) => o.result)).toEqual(['alerted']);

      // AND the containment role of the member account was assumed, once, in a session named for the event
      const assumed = proxy.calls('AssumeRole').map((c) => Object.fromEntries(new URLSearchParams(String(c.body))));
      expect(assumed).toEqual([expect.objectContaining({
        RoleArn: `arn:aws:iam::${member}:role/${CONTAINMENT_ROLE_NAME}`,
        RoleSessionName: `mining-guard-${REFUSED_GPU_LAUNCH.eventID as string}`,
      })]);
      // AND the account was named by Organizations, asked from the security account
      expect(proxy.calls('DescribeAccount').map((c) => c.body)).toEqual([{ AccountId: member }]);
      expect(proxy.calls('StopInstances')).toHaveLength(1);
    } finally {
      await proxy.stop();
    }

    // AND the member account's instance is stopped: the evaluator's own credentials act in the security account, so only
    // the containment role's could stop it there
    const memberStates = await statesIn(memberEc2, memberIds);
    expect(Object.values(memberStates)).toEqual(memberIds.map(() => expect.stringMatching(/^(stopping|stopped)$/)));
    // AND the security account's instance runs on
    expect(await statesIn(securityEc2, [own])).toEqual({ [own]: 'running' });

    // AND one alert of the launch, then one of what was done about it (each contained launch has both), nothing else:
    // each names the member account by id and by its name in the organization, and labels its links with the account
    const [launch, outcome] = await receiveAll(inbox, 2);
    expect(launch.Subject).toBe('[MiningGuard][HIGH] 1 x p2.xlarge launched in us-east-1 by role/stratus-...le-pcccexdthk (~$0.90/h)');
    expect(outcome.Subject).toMatch(/^\[MiningGuard\]\[HIGH\] Contained: 1 x p2\.xlarge launched in us-east-1 /);
    for (const alert of [launch, outcome]) {
      expect(alert.Message).toContain(`\nAccount ${member} (${MEMBER_NAME}), region us-east-1\n`);
      expect(alert.Message).toContain(`Instance ${memberIds[0]} (in account ${member}: sign in to it first): `);
      expect(alert.Message).toContain(`Detection: ec2-instance-launch | eventId: ${REFUSED_GPU_LAUNCH.eventID as string} | eventName: RunInstances`);
    }
    expect(launch.Message).toContain(`Planned: stop instance ${memberIds[0]} `);
    expect(outcome.Message).toContain(`Done: stop instance ${memberIds[0]} `);
    expect(await receiveAll(inbox, 0, 2_000)).toEqual([]);
  });

  test('the security account\'s bus takes events from the organization\'s accounts only', async () => {
    const { organizationId, securityTemplate } = rehearsed;
    const [[, busPolicy], ...others] = resourcesOfType(securityTemplate, 'AWS::Events::EventBusPolicy');
    expect(others).toEqual([]);

    // GIVEN the deployed stack's bus policy. The emulator's CloudFormation skips AWS::Events::EventBusPolicy, so the
    // test puts the resource's statement on the default bus itself, as CloudFormation resolves it
    const events = client((c) => new EventBridgeClient(c), SECURITY);
    const statement = await resolved(busPolicy.Statement, []);
    await events.send(new PutPermissionCommand({
      EventBusName: busPolicy.EventBusName,
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
    }));

    // THEN the default bus of the home region lets every principal put events, on the condition that it is of the organization
    const bus = await events.send(new DescribeEventBusCommand({ Name: 'default' }));
    expect(bus.Arn).toBe(`arn:aws:events:${HOME}:${SECURITY}:event-bus/default`);
    expect(JSON.parse(bus.Policy!).Statement).toEqual([{
      Sid: 'MiningGuardOrganizationMembers',
      Effect: 'Allow',
      Principal: '*',
      Action: 'events:PutEvents',
      Resource: bus.Arn,
      Condition: { StringEquals: { 'aws:PrincipalOrgID': organizationId } },
    }]);
    // A PutEvents from an account outside the organization (333333333333, say) is refused by that condition alone: the
    // emulator cannot show it, since its PutEvents takes only the name from a bus ARN and puts on the caller's own bus.
  });
});

/**
 * The record as the central bus receives it for the launch the emulator made: the real refused launch, moved to the
 * member account (its account id replaced throughout) and given the outcome the emulator gave it, a launch that
 * succeeded: no error, and the response of a successful RunInstances in the dataset's shape, naming the emulator's
 * reservation and instances. Its time is the emulator's launch time; its event ID stays the dataset's.
 */
function asLaunchedIn(account: string, launched: Reservation & { $metadata?: unknown }): Record<string, unknown> {
  const moved = JSON.parse(JSON.stringify(REFUSED_GPU_LAUNCH).split(DATASET_ACCOUNT).join(account)) as Record<string, unknown>;
  delete moved.errorCode;
  delete moved.errorMessage;
  const accepted = ACCEPTED_LAUNCH.responseElements as { groupSet: unknown; instancesSet: { items: Array<Record<string, unknown>> } };
  const shape = accepted.instancesSet.items[0];
  const instances = launched.Instances!;
  return {
    ...moved,
    eventTime: instances[0].LaunchTime!.toISOString().replace(/\.\d+Z$/, 'Z'),
    responseElements: {
      requestId: moved.requestID,
      reservationId: launched.ReservationId,
      ownerId: account,
      groupSet: accepted.groupSet,
      instancesSet: {
        items: instances.map((i) => ({
          instanceId: i.InstanceId,
          imageId: i.ImageId,
          instanceState: shape.instanceState,
          amiLaunchIndex: i.AmiLaunchIndex,
          instanceType: i.InstanceType,
          launchTime: i.LaunchTime!.getTime(),
          placement: { availabilityZone: i.Placement?.AvailabilityZone, tenancy: 'default' },
          subnetId: i.SubnetId,
          vpcId: i.VpcId,
          privateIpAddress: i.PrivateIpAddress,
          monitoring: shape.monitoring,
          architecture: shape.architecture,
          rootDeviceType: shape.rootDeviceType,
        })),
      },
    },
  };
}

/** The process environment of the deployed evaluator, its role's credentials, and every AWS call through `endpoint`. */
async function runAsEvaluator(environment: Record<string, string>, roleArn: string, endpoint: string): Promise<void> {
  const { Credentials: credentials } = await client((c) => new STSClient(c), SECURITY).send(new AssumeRoleCommand({
    RoleArn: roleArn, RoleSessionName: 'launch-evaluator',
  }));
  // The function's own log level would print its logs into the test output.
  const { POWERTOOLS_LOG_LEVEL: _logLevel, ...settings } = environment;
  handlerEnvironment({
    ...settings,
    AWS_REGION: HOME,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: credentials!.AccessKeyId!,
    AWS_SECRET_ACCESS_KEY: credentials!.SecretAccessKey!,
    AWS_SESSION_TOKEN: credentials!.SessionToken!,
  });
}

type Handler = (event: unknown, context?: Context) => Promise<{ outcomes: Array<{ result: string }> }>;

/** A fresh copy of the handler, as a new Lambda container runs it. */
async function freshHandler(): Promise<Handler> {
  let handler: Handler | undefined;
  await jest.isolateModulesAsync(async () => {
    handler = (await import('../../lambda/launch-evaluator.lambda')).handler;
  });
  return handler!;
}

function lambdaContext(functionArn: string): Context {
  return {
    functionName: functionArn.split(':').pop()!,
    invokedFunctionArn: functionArn,
    awsRequestId: randomUUID(),
    getRemainingTimeInMillis: () => 120_000,
  } as Partial<Context> as Context;
}

async function statesIn(ec2: EC2Client, ids: readonly string[]): Promise<Record<string, string | undefined>> {
  const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [...ids] }));
  return Object.fromEntries(out.Reservations!.flatMap((r) => r.Instances!).map((i) => [i.InstanceId!, i.State?.Name]));
}

/** A queue of the security account subscribed to its alert topic. */
async function subscribeInbox(topicArn: string): Promise<string> {
  const sqs = client((c) => new SQSClient(c), SECURITY);
  const { QueueUrl: queueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('alerts-inbox') }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  await client((c) => new SNSClient(c), SECURITY).send(new SubscribeCommand({
    TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn, Attributes: { RawMessageDelivery: 'false' },
  }));
  return queueUrl!;
}

/** The SNS envelopes on the security account's queue: `expected` of them, or, with 0, whatever comes within the time. */
async function receiveAll(queueUrl: string, expected: number, timeoutMs = 10_000): Promise<SnsEnvelope[]> {
  const sqs = client((c) => new SQSClient(c), SECURITY);
  const envelopes: SnsEnvelope[] = [];
  const deadline = Date.now() + timeoutMs;
  while ((expected === 0 || envelopes.length < expected) && Date.now() < deadline) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    if (Messages.length === 0) continue;
    envelopes.push(...Messages.map((m) => JSON.parse(m.Body ?? '{}') as SnsEnvelope));
    const entries = Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle }));
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
  }
  if (envelopes.length < expected) throw new Error(`expected ${expected} alert(s), got ${envelopes.length}: ${JSON.stringify(envelopes.map((e) => e.Subject))}`);
  return envelopes;
}

import { DescribeInstancesCommand, EC2Client, ModifyInstanceAttributeCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { handler } from '../../../lambda/config-evaluator.lambda';
import { configInvocations, messageTypeOf } from '../../fixtures/config-invocations';
import { handlerEnvironment } from '../../harness/handler-environment';
import { MOTO_ACCOUNT, motoClientConfig } from '../../harness/moto';
import { RecordingProxy } from '../../harness/recording-proxy';

/** A region no other test launches instances in: the running-compute check counts every instance of its region. */
const REGION = 'ap-northeast-1';
const INVOCATIONS = configInvocations({ account: MOTO_ACCOUNT, region: REGION, partition: 'aws' });
/** `[line, rule, event]` of the invocations of one message type, for test titles that name the fixture line. */
const ofType = (type: string) => INVOCATIONS.flatMap((e, i) => (messageTypeOf(e) === type ? [[i + 1, e.configRuleName as string, e] as const] : []));

interface SentEvaluation {
  readonly ComplianceResourceType: string;
  readonly ComplianceResourceId: string;
  readonly ComplianceType: string;
  readonly Annotation: string;
}
interface SentPutEvaluations {
  readonly ResultToken: string;
  readonly TestMode: boolean;
  readonly Evaluations: SentEvaluation[];
}

let proxy: RecordingProxy;
const ec2 = new EC2Client(motoClientConfig(REGION));

beforeAll(async () => {
  // moto 5.2.1 implements PutEvaluations only in test mode (otherwise it raises NotImplementedError): the proxy
  // forwards a copy in test mode and records what the evaluator really sent.
  proxy = await RecordingProxy.start({
    rewrite: (operation, body) => (operation === 'PutEvaluations' ? { ...body, TestMode: true } : body),
  });
  handlerEnvironment({ AWS_ENDPOINT_URL: proxy.endpoint, AWS_REGION: REGION });
});
beforeEach(() => proxy.reset());
afterAll(async () => {
  ec2.destroy();
  await proxy.stop();
});

const sent = () => proxy.calls('PutEvaluations').map((c) => {
  expect(c.status).toBe(200);
  return c.body as SentPutEvaluations;
});

async function launch(instanceType: string, count: number): Promise<string[]> {
  const { Instances = [] } = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12c6146b', InstanceType: instanceType as never, MinCount: count, MaxCount: count }));
  return Instances.map((i) => i.InstanceId!);
}

describe('the config evaluator, on the real invocation events, against the emulated Config and EC2', () => {
  test.each(ofType('ConfigurationItemChangeNotification'))(
    'line %d, a change notification of %s, gets one evaluation, reported with its result token', async (_line, _rule, event) => {
      // WHEN
      const outcome = await handler(event);

      // THEN
      const calls = sent();
      expect(calls).toHaveLength(1);
      expect(calls[0].ResultToken).toBe(event.resultToken);
      expect(calls[0].TestMode).toBe(false);
      expect(calls[0].Evaluations).toHaveLength(1);
      type Item = { resourceId: string; configuration: { instanceType?: string } };
      const item = (JSON.parse(event.invokingEvent as string) as { configurationItem: Item }).configurationItem;
      expect(calls[0].Evaluations[0]).toMatchObject({ ComplianceResourceType: 'AWS::EC2::Instance', ComplianceResourceId: item.resourceId });
      // The sample configurations hold no instance type except the t2.medium of one: judged allowed, the others cannot be judged.
      expect(calls[0].Evaluations[0].ComplianceType).toBe(item.configuration.instanceType ? 'COMPLIANT' : 'NOT_APPLICABLE');
      expect(outcome).toEqual({ rule: event.configRuleName, testMode: false, evaluations: 1, batches: 1, failed: [] });
    });

  test.each(ofType('OversizedConfigurationItemChangeNotification'))(
    'line %d, an oversized notification of %s, fetches the item from Config; a resource Config no longer has is NOT_APPLICABLE', async (_line, _rule, event) => {
      // WHEN
      await handler(event);

      // THEN
      expect(proxy.calls('GetResourceConfigHistory').map((c) => c.body)).toEqual([{ resourceType: 'AWS::EC2::Instance', resourceId: 'i-00000000', limit: 1 }]);
      const calls = sent();
      expect(calls).toHaveLength(1);
      expect(calls[0].Evaluations).toEqual([expect.objectContaining({
        ComplianceResourceId: 'i-00000000',
        ComplianceType: 'NOT_APPLICABLE',
        Annotation: 'the instance was deleted or left the rule\'s scope',
      })]);
    });

  test('a snapshot-delivery notification is acknowledged without evaluations', async () => {
    // GIVEN
    const [[, , event]] = ofType('ConfigurationSnapshotDeliveryCompleted');

    // WHEN
    const outcome = await handler(event);

    // THEN
    expect(outcome).toMatchObject({ evaluations: 0, batches: 0 });
    expect(proxy.requests).toEqual([]);
  });

  test('the console\'s test run (result token TESTMODE) is reported in test mode, so Config does not record it', async () => {
    // GIVEN an invocation of our own: no public sample is a test run
    const event = {
      configRuleName: 'MiningGuard-instance-family',
      accountId: MOTO_ACCOUNT,
      resultToken: 'TESTMODE',
      eventLeftScope: false,
      ruleParameters: JSON.stringify({ check: 'instance-family' }),
      invokingEvent: JSON.stringify({
        messageType: 'ConfigurationItemChangeNotification',
        configurationItem: {
          resourceType: 'AWS::EC2::Instance',
          resourceId: 'i-0abcd1234efgh5678',
          awsRegion: REGION,
          configurationItemStatus: 'OK',
          configurationItemCaptureTime: '2026-11-20T03:12:08.000Z',
          configuration: { instanceType: 'p4d.24xlarge', state: { name: 'running' } },
        },
      }),
    };

    // WHEN
    const outcome = await handler(event);

    // THEN
    expect(outcome).toMatchObject({ testMode: true, evaluations: 1 });
    expect(sent()).toEqual([expect.objectContaining({
      ResultToken: 'TESTMODE',
      TestMode: true,
      Evaluations: [expect.objectContaining({ ComplianceResourceId: 'i-0abcd1234efgh5678', ComplianceType: 'NON_COMPLIANT' })],
    })]);
  });

  describe('periodic notifications, with instances launched in the emulated EC2', () => {
    let gpu: string[];
    let protectedInstance: string;

    beforeAll(async () => {
      // GIVEN 2 x p4d.24xlarge (192 vCPUs, over the default ceiling of 128) and one protected t3.micro
      gpu = await launch('p4d.24xlarge', 2);
      [protectedInstance] = await launch('t3.micro', 1);
      await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: protectedInstance, DisableApiTermination: { Value: true } }));
    });

    test.each(ofType('ScheduledNotification'))(
      'line %d, a periodic notification of %s, judges every instance of the region and the account\'s running compute', async (_line, _rule, event) => {
        // WHEN
        await handler(event);

        // THEN
        const calls = sent();
        expect(calls).toHaveLength(1);
        expect(calls[0].ResultToken).toBe(event.resultToken);
        const byId = Object.fromEntries(calls[0].Evaluations.map((e) => [e.ComplianceResourceId, e]));
        for (const id of gpu) {
          expect(byId[id]).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: expect.stringContaining('p4d.24xlarge is in the denied family p') });
        }
        expect(byId[protectedInstance]).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: expect.stringMatching(/^termination protection is on and the launcher is unknown/) });
        expect(byId[event.accountId as string]).toMatchObject({
          ComplianceResourceType: 'AWS::::Account',
          ComplianceType: 'NON_COMPLIANT',
          Annotation: expect.stringMatching(new RegExp(`^${REGION}: .*\\d+ running vCPUs > 128`)),
        });
      });

    test('more than 100 evaluations go out in batches of at most 100, each with the result token', async () => {
      // GIVEN 150 more instances in the region
      await launch('t3.micro', 150);
      const { Reservations = [] } = await ec2.send(new DescribeInstancesCommand({}));
      const running = Reservations.flatMap((r) => r.Instances ?? []).filter((i) => i.State?.Name !== 'terminated').length;
      const [[, , event]] = ofType('ScheduledNotification');

      // WHEN
      const outcome = await handler(event);

      // THEN one evaluation per instance and one for the account
      const calls = sent();
      expect(calls.map((c) => c.Evaluations.length)).toEqual([100, running + 1 - 100]);
      expect(calls.every((c) => c.ResultToken === event.resultToken && c.TestMode === false)).toBe(true);
      expect(outcome).toMatchObject({ evaluations: running + 1, batches: 2, failed: [] });
      const account = calls.flatMap((c) => c.Evaluations).find((e) => e.ComplianceResourceType === 'AWS::::Account')!;
      expect(account.Annotation).toMatch(new RegExp(`${running} running instances > 50`));
    });
  });
});

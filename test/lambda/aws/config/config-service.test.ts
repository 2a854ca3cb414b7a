import { ConfigServiceClient, GetResourceConfigHistoryCommand, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import type { Evaluation } from '../../../../lambda/core/config/evaluate';
import { handlerEnvironment } from '../../../harness/handler-environment';
import { awsError, freshModule, regionOf } from '../../../harness/mocked-aws';

const config = mockClient(ConfigServiceClient);
const TOKEN = 'eyJyZXN1bHRUb2tlbiI6ImV4YW1wbGUifQ==';

/** A non-compliant instance evaluation, numbered so batches can be told apart. */
function evaluation(n: number): Evaluation {
  return {
    complianceResourceType: 'AWS::EC2::Instance',
    complianceResourceId: `i-${String(n).padStart(17, '0')}`,
    complianceType: 'NON_COMPLIANT',
    annotation: `instance family p3 is not allowed (${n})`,
    orderingTimestamp: '2026-11-20T03:12:08.000Z',
  };
}

const load = () => freshModule(() => import('../../../../lambda/aws/config/config-service'));

beforeAll(() => handlerEnvironment({ AWS_REGION: 'eu-central-1' }));
beforeEach(() => config.reset());

describe('putEvaluations', () => {
  test('reports the evaluations with the result token, in the Lambda\'s region, the ordering time as a date', async () => {
    // GIVEN
    config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
    const { putEvaluations } = await load();

    // WHEN
    const outcome = await putEvaluations(TOKEN, false, [evaluation(1)]);

    // THEN
    expect(outcome).toEqual({ evaluations: 1, batches: 1, failed: [] });
    const [call] = config.commandCalls(PutEvaluationsCommand);
    expect(call.args[0].input).toEqual({
      ResultToken: TOKEN,
      TestMode: false,
      Evaluations: [{
        ComplianceResourceType: 'AWS::EC2::Instance',
        ComplianceResourceId: 'i-00000000000000001',
        ComplianceType: 'NON_COMPLIANT',
        Annotation: 'instance family p3 is not allowed (1)',
        OrderingTimestamp: new Date('2026-11-20T03:12:08.000Z'),
      }],
    });
    expect(await regionOf(call)).toBe('eu-central-1');
  });

  test('sends at most 100 evaluations a call, every call with the same token', async () => {
    // GIVEN
    config.on(PutEvaluationsCommand).resolves({});
    const { putEvaluations } = await load();
    const evaluations = Array.from({ length: 250 }, (_, i) => evaluation(i));

    // WHEN
    const outcome = await putEvaluations(TOKEN, false, evaluations);

    // THEN
    expect(outcome).toEqual({ evaluations: 250, batches: 3, failed: [] });
    const calls = config.commandCalls(PutEvaluationsCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.Evaluations!.length)).toEqual([100, 100, 50]);
    expect(calls.map((c) => c.ResultToken)).toEqual([TOKEN, TOKEN, TOKEN]);
    expect(calls.flatMap((c) => c.Evaluations!.map((e) => e.ComplianceResourceId))).toEqual(evaluations.map((e) => e.complianceResourceId));
  });

  test('a test run from the console is reported in test mode', async () => {
    // GIVEN
    config.on(PutEvaluationsCommand).resolves({});
    const { putEvaluations } = await load();

    // WHEN
    await putEvaluations('TESTMODE', true, [evaluation(1)]);

    // THEN
    expect(config.commandCalls(PutEvaluationsCommand)[0].args[0].input).toMatchObject({ ResultToken: 'TESTMODE', TestMode: true });
  });

  test('evaluations Config refuses in any batch are listed, and the other batches are still sent', async () => {
    // GIVEN the second of three batches partly refused
    config.on(PutEvaluationsCommand)
      .resolvesOnce({ FailedEvaluations: [] })
      .resolvesOnce({
        FailedEvaluations: ['i-00000000000000150', 'i-00000000000000199'].map((id) => ({
          ComplianceResourceType: 'AWS::EC2::Instance',
          ComplianceResourceId: id,
          ComplianceType: 'NON_COMPLIANT' as const,
          OrderingTimestamp: new Date(),
        })),
      })
      .resolves({});
    const { putEvaluations } = await load();

    // WHEN
    const outcome = await putEvaluations(TOKEN, false, Array.from({ length: 201 }, (_, i) => evaluation(i)));

    // THEN
    expect(outcome).toEqual({
      evaluations: 201,
      batches: 3,
      failed: ['AWS::EC2::Instance/i-00000000000000150', 'AWS::EC2::Instance/i-00000000000000199'],
    });
    expect(config.commandCalls(PutEvaluationsCommand)).toHaveLength(3);
  });

  test('nothing to report makes no call at all', async () => {
    // GIVEN
    const { putEvaluations } = await load();

    // WHEN
    const outcome = await putEvaluations(TOKEN, false, []);

    // THEN
    expect(outcome).toEqual({ evaluations: 0, batches: 0, failed: [] });
    expect(config.calls()).toHaveLength(0);
  });

  test.each([
    ['an expired result token', awsError('InvalidResultTokenException', 'The result token is invalid.')],
    ['AccessDenied', awsError('AccessDeniedException', 'User is not authorized to perform: config:PutEvaluations')],
    ['throttling that outlasts the SDK\'s retries', awsError('ThrottlingException', 'Rate exceeded')],
  ])('throws on %s, so the invocation fails and Config retries it', async (_, error) => {
    // GIVEN
    config.on(PutEvaluationsCommand).rejects(error);
    const { putEvaluations } = await load();

    // WHEN / THEN
    await expect(putEvaluations(TOKEN, false, [evaluation(1)])).rejects.toBe(error);
  });

  test('a failure in a later batch stops the report there', async () => {
    // GIVEN
    config.on(PutEvaluationsCommand).resolvesOnce({}).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const { putEvaluations } = await load();

    // WHEN / THEN
    await expect(putEvaluations(TOKEN, false, Array.from({ length: 300 }, (_, i) => evaluation(i)))).rejects.toThrow('Rate exceeded');
    expect(config.commandCalls(PutEvaluationsCommand)).toHaveLength(2);
  });

  test('one Config client serves every call of a container, with the SDK\'s adaptive retry', async () => {
    // GIVEN
    config.onAnyCommand().resolves({});
    const { putEvaluations, latestConfigurationItem } = await load();

    // WHEN
    await putEvaluations(TOKEN, false, [evaluation(1)]);
    await latestConfigurationItem('AWS::EC2::Instance', 'i-0abc');

    // THEN
    const [put, get] = config.calls();
    expect(get.thisValue).toBe(put.thisValue);
    expect((put.thisValue as ConfigServiceClient).config.retryMode).toBe('adaptive');
    expect(await (put.thisValue as ConfigServiceClient).config.maxAttempts()).toBe(5);
  });
});

describe('latestConfigurationItem', () => {
  test('asks for the resource\'s latest item and reads its JSON configuration', async () => {
    // GIVEN
    config.on(GetResourceConfigHistoryCommand).resolves({
      configurationItems: [{
        resourceType: 'AWS::EC2::Instance',
        resourceId: 'i-0a1b2c3d4e5f6a7b8',
        awsRegion: 'eu-central-1',
        configurationItemStatus: 'OK',
        configuration: JSON.stringify({ instanceType: 'p3.16xlarge', state: { name: 'running' } }),
      }],
    });
    const { latestConfigurationItem } = await load();

    // WHEN
    const item = await latestConfigurationItem('AWS::EC2::Instance', 'i-0a1b2c3d4e5f6a7b8');

    // THEN
    expect(item).toMatchObject({
      resourceType: 'AWS::EC2::Instance',
      resourceId: 'i-0a1b2c3d4e5f6a7b8',
      awsRegion: 'eu-central-1',
      status: 'OK',
      configuration: { instanceType: 'p3.16xlarge', state: { name: 'running' } },
    });
    const [call] = config.commandCalls(GetResourceConfigHistoryCommand);
    expect(call.args[0].input).toEqual({ resourceType: 'AWS::EC2::Instance', resourceId: 'i-0a1b2c3d4e5f6a7b8', limit: 1 });
    expect(await regionOf(call)).toBe('eu-central-1');
  });

  test('a resource Config no longer has (deleted or not recorded) is undefined', async () => {
    // GIVEN
    config.on(GetResourceConfigHistoryCommand).rejects(awsError('ResourceNotDiscoveredException',
      'Resource i-0abc of resourceType:AWS::EC2::Instance is unknown or has not been discovered'));
    const { latestConfigurationItem } = await load();

    // WHEN / THEN
    expect(await latestConfigurationItem('AWS::EC2::Instance', 'i-0abc')).toBeUndefined();
  });

  test('an empty history is undefined', async () => {
    // GIVEN
    config.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [] });
    const { latestConfigurationItem } = await load();

    // WHEN / THEN
    expect(await latestConfigurationItem('AWS::EC2::Instance', 'i-0abc')).toBeUndefined();
  });

  test.each([
    ['AccessDenied', awsError('AccessDeniedException', 'User is not authorized to perform: config:GetResourceConfigHistory')],
    ['throttling that outlasts the SDK\'s retries', awsError('ThrottlingException', 'Rate exceeded')],
  ])('throws on %s', async (_, error) => {
    // GIVEN
    config.on(GetResourceConfigHistoryCommand).rejects(error);
    const { latestConfigurationItem } = await load();

    // WHEN / THEN
    await expect(latestConfigurationItem('AWS::EC2::Instance', 'i-0abc')).rejects.toBe(error);
  });
});

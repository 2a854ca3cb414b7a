import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { loadSpendState, saveSpendState } from '../../../../lambda/aws/spend/spend-state-parameter';
import { handlerEnvironment } from '../../../harness/handler-environment';
import { awsError, regionOf } from '../../../harness/mocked-aws';

const ssm = mockClient(SSMClient);
const NAME = '/mining-guard/spend-evaluator/state';

beforeAll(() => handlerEnvironment({ AWS_REGION: 'us-east-1' }));
beforeEach(() => ssm.reset());

describe('loadSpendState', () => {
  test('returns the parameter\'s text', async () => {
    // GIVEN
    const text = '{"monthly-cost":{"month":"2026-11-01T00:00:00.000Z","actualUsd":576,"seenAt":"2026-11-25T04:00:00.000Z"}}';
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Type: 'String', Value: text, Version: 3 } });

    // WHEN
    const loaded = await loadSpendState(NAME);

    // THEN
    expect(loaded).toBe(text);
    const [call] = ssm.commandCalls(GetParameterCommand);
    expect(call.args[0].input).toEqual({ Name: NAME });
    expect(await regionOf(call)).toBe('us-east-1');
  });

  test('returns undefined when the parameter does not exist yet (the first run)', async () => {
    // GIVEN
    ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound', ''));

    // WHEN / THEN
    expect(await loadSpendState(NAME)).toBeUndefined();
  });

  test('throws any other failure, so the run does not start from a blank memory', async () => {
    // GIVEN
    ssm.on(GetParameterCommand).rejects(awsError('AccessDeniedException', `Not authorized to perform: ssm:GetParameter on resource: ${NAME}`));

    // WHEN / THEN
    await expect(loadSpendState(NAME)).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  test('throws when throttling outlasts the SDK\'s retries', async () => {
    // GIVEN
    ssm.on(GetParameterCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));

    // WHEN / THEN
    await expect(loadSpendState(NAME)).rejects.toThrow('Rate exceeded');
  });
});

describe('saveSpendState', () => {
  test('overwrites the parameter with the text, as a plain String', async () => {
    // GIVEN
    ssm.on(PutParameterCommand).resolves({ Version: 4 });

    // WHEN
    await saveSpendState(NAME, '{}');

    // THEN
    const [call] = ssm.commandCalls(PutParameterCommand);
    expect(call.args[0].input).toEqual({ Name: NAME, Value: '{}', Type: 'String', Overwrite: true });
    expect(await regionOf(call)).toBe('us-east-1');
  });

  test('throws when SSM refuses, so the run fails rather than forgets silently', async () => {
    // GIVEN
    ssm.on(PutParameterCommand).rejects(awsError('AccessDeniedException', 'User is not authorized to perform: ssm:PutParameter'));

    // WHEN / THEN
    await expect(saveSpendState(NAME, '{}')).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  test('loads and saves through one SSM client with the SDK\'s adaptive retry', async () => {
    // GIVEN
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '{}' } });
    ssm.on(PutParameterCommand).resolves({});

    // WHEN
    await loadSpendState(NAME);
    await saveSpendState(NAME, '{}');

    // THEN
    const [load, save] = ssm.calls();
    expect(save.thisValue).toBe(load.thisValue);
    expect((load.thisValue as SSMClient).config.retryMode).toBe('adaptive');
    expect(await (load.thisValue as SSMClient).config.maxAttempts()).toBe(5);
  });
});

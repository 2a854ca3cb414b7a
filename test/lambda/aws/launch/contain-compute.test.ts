import { BatchClient, TagResourceCommand, UpdateComputeEnvironmentCommand } from '@aws-sdk/client-batch';
import { DescribeInstanceTypesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { SageMakerClient, StopNotebookInstanceCommand, StopProcessingJobCommand, StopTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import {
  batchComputeEnvironmentArn, createComputeEnvironment, createNotebookInstance, createProcessingJob, createTrainingJob, eventBridgeEvent,
  updateComputeEnvironment,
} from '../../../fixtures/documented-cloudtrail';
import { mockedHandlerEnvironment } from '../../../harness/handler-environment';
import { launchHandlerWith } from '../../../harness/launch-handler';

// The emulator has neither Batch UpdateComputeEnvironment nor SageMaker's Stop* calls.
const batch = mockClient(BatchClient);
const sageMaker = mockClient(SageMakerClient);
const sns = mockClient(SNSClient);
const ec2 = mockClient(EC2Client);
const pricing = mockClient(PricingClient);

const STOP = { responses: { 'batch-compute-environment-change': 'STOP', 'sagemaker-compute-launch': 'STOP' } } as const;
const REGION = 'eu-west-1';

beforeAll(mockedHandlerEnvironment);
beforeEach(() => {
  for (const mock of [batch, sageMaker, sns, ec2, pricing]) mock.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  ec2.on(DescribeInstanceTypesCommand).rejects(new Error('not in this test'));
  pricing.on(GetProductsCommand).rejects(new Error('not in this test'));
});

function published(): Array<{ subject: string; message: string }> {
  return sns.commandCalls(PublishCommand).map((c) => ({ subject: c.args[0].input.Subject!, message: JSON.parse(c.args[0].input.Message!).default }));
}

/** The region of the client a mocked call was sent through. */
function regionOf(call: { thisValue: unknown }): Promise<string> {
  return (call.thisValue as BatchClient | SageMakerClient).config.region();
}

/** An error as the SDK throws it for the service's error response. */
function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

describe('Batch', () => {
  test('STOP disables a GPU compute environment in the event\'s region, then tags it', async () => {
    const arn = batchComputeEnvironmentArn('gpu-miners', { region: REGION });
    batch.on(UpdateComputeEnvironmentCommand).resolves({ computeEnvironmentName: 'gpu-miners', computeEnvironmentArn: arn });
    batch.on(TagResourceCommand).resolves({});
    const record = createComputeEnvironment('gpu-miners', ['p3.16xlarge'], 2048, { region: REGION, eventId: 'batch-create-1' });

    await (await launchHandlerWith(STOP))(eventBridgeEvent(record));

    expect(batch.calls().map((c) => c.args[0].constructor.name)).toEqual(['UpdateComputeEnvironmentCommand', 'TagResourceCommand']);
    const [update] = batch.commandCalls(UpdateComputeEnvironmentCommand);
    expect(update.args[0].input).toEqual({ computeEnvironment: arn, state: 'DISABLED' });
    expect(await regionOf(update)).toBe(REGION);
    expect(batch.commandCalls(TagResourceCommand)[0].args[0].input).toEqual({
      resourceArn: arn,
      tags: {
        'mining-guard:detection': 'batch-compute-environment-change',
        'mining-guard:event-id': 'batch-create-1',
        'mining-guard:contained-at': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
    });
    const [alert] = published();
    expect(alert.message).toContain(`Done: disable Batch compute environment ${arn}.`);
  });

  test('STOP disables an existing compute environment changed to GPU types', async () => {
    const arn = batchComputeEnvironmentArn('nightly', { region: REGION });
    batch.on(UpdateComputeEnvironmentCommand).resolves({ computeEnvironmentName: 'nightly', computeEnvironmentArn: arn });
    batch.on(TagResourceCommand).resolves({});

    await (await launchHandlerWith(STOP))(eventBridgeEvent(updateComputeEnvironment('nightly', ['g5.48xlarge'], 4096, { region: REGION })));

    expect(batch.commandCalls(UpdateComputeEnvironmentCommand).map((c) => c.args[0].input)).toEqual([{ computeEnvironment: arn, state: 'DISABLED' }]);
    expect(published()[0].message).toContain(`Done: disable Batch compute environment ${arn}.`);
  });

  test('AccessDenied on disabling is reported as failed, for a person to do by hand', async () => {
    batch.on(UpdateComputeEnvironmentCommand).rejects(awsError('AccessDeniedException',
      'User: arn:aws:sts::123456789012:assumed-role/launch-evaluator/fn is not authorized to perform: batch:UpdateComputeEnvironment'));
    const arn = batchComputeEnvironmentArn('gpu-miners', { region: REGION });

    await (await launchHandlerWith(STOP))(eventBridgeEvent(createComputeEnvironment('gpu-miners', ['p3.16xlarge'], 2048, { region: REGION })));

    expect(batch.commandCalls(TagResourceCommand)).toHaveLength(0);
    expect(published()[0].message).toContain(
      `FAILED: disable Batch compute environment ${arn}: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/launch-evaluator/fn`
      + ' is not authorized to perform: batch:UpdateComputeEnvironment. Do it by hand.');
  });

  test('a tag refused after the environment is disabled leaves it disabled, and the alert says it is untagged', async () => {
    const arn = batchComputeEnvironmentArn('gpu-miners', { region: REGION });
    batch.on(UpdateComputeEnvironmentCommand).resolves({ computeEnvironmentName: 'gpu-miners', computeEnvironmentArn: arn });
    batch.on(TagResourceCommand).rejects(awsError('AccessDeniedException', 'User is not authorized to perform: batch:TagResource'));

    await (await launchHandlerWith(STOP))(eventBridgeEvent(createComputeEnvironment('gpu-miners', ['p3.16xlarge'], 2048, { region: REGION })));

    expect(published()[0].message).toContain(
      `Done: disable Batch compute environment ${arn}; not tagged: AccessDeniedException: User is not authorized to perform: batch:TagResource.`);
  });
});

describe('SageMaker', () => {
  test.each([
    ['training job', 'train-xmr', createTrainingJob('train-xmr', 'ml.p3.16xlarge', 4, { region: REGION }), StopTrainingJobCommand, { TrainingJobName: 'train-xmr' }],
    ['notebook', 'scratch', createNotebookInstance('scratch', 'ml.p3.16xlarge', { region: REGION }), StopNotebookInstanceCommand, { NotebookInstanceName: 'scratch' }],
    ['processing job', 'etl-gpu', createProcessingJob('etl-gpu', 'ml.g5.48xlarge', 8, { region: REGION }), StopProcessingJobCommand, { ProcessingJobName: 'etl-gpu' }],
  ] as const)('STOP stops a %s in the event\'s region', async (what, name, record, command, input) => {
    sageMaker.onAnyCommand().resolves({});

    await (await launchHandlerWith(STOP))(eventBridgeEvent(record));

    expect(sageMaker.calls()).toHaveLength(1);
    const [call] = sageMaker.calls();
    expect(call.args[0]).toBeInstanceOf(command);
    expect(call.args[0].input).toEqual(input);
    expect(await regionOf(call)).toBe(REGION);
    expect(published()[0].message).toContain(`Done: stop SageMaker ${what} ${name}.`);
  });

  test.each([
    ['ValidationException', 'Requested resource not found'],
    ['ResourceNotFound', 'Resource being accessed is not found'],
  ])('a job already gone (%s) is reported as nothing to do', async (name, message) => {
    sageMaker.on(StopTrainingJobCommand).rejects(awsError(name, `${message}.`));

    await (await launchHandlerWith(STOP))(eventBridgeEvent(createTrainingJob('train-xmr', 'ml.p3.16xlarge', 4, { region: REGION })));

    expect(published()[0].message).toContain(`Nothing to do: stop SageMaker training job train-xmr (${name}: ${message}).`);
  });

  test('AccessDenied is reported as failed, and the alert still goes out', async () => {
    const message = 'User: arn:aws:sts::123456789012:assumed-role/launch-evaluator/fn is not authorized to perform: sagemaker:StopNotebookInstance'
      + ' on resource: arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/scratch because no identity-based policy allows the'
      + ' sagemaker:StopNotebookInstance action';
    sageMaker.on(StopNotebookInstanceCommand).rejects(awsError('AccessDeniedException', message));

    await (await launchHandlerWith(STOP))(eventBridgeEvent(createNotebookInstance('scratch', 'ml.p3.16xlarge', { region: REGION })));

    expect(published()[0].message).toContain(`FAILED: stop SageMaker notebook scratch: AccessDeniedException: ${message}. Do it by hand.`);
  });

  test('throttling that outlasts the SDK\'s retries is reported as failed, not thrown', async () => {
    sageMaker.on(StopProcessingJobCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const handler = await launchHandlerWith(STOP);

    const { outcomes } = await handler(eventBridgeEvent(createProcessingJob('etl-gpu', 'ml.g5.48xlarge', 8, { region: REGION })));

    expect(outcomes.map((o) => o.result)).toEqual(['alerted']);
    expect(published()[0].message).toContain('FAILED: stop SageMaker processing job etl-gpu: ThrottlingException: Rate exceeded. Do it by hand.');
  });
});

describe('without STOP', () => {
  const records = () => [
    createComputeEnvironment('gpu-miners', ['p3.16xlarge'], 2048, { region: REGION }),
    createTrainingJob('train-xmr', 'ml.p3.16xlarge', 4, { region: REGION }),
    createNotebookInstance('scratch', 'ml.p3.16xlarge', { region: REGION }),
    createProcessingJob('etl-gpu', 'ml.g5.48xlarge', 8, { region: REGION }),
  ];

  test('the default policy only notifies: no Batch or SageMaker call at all', async () => {
    const handler = await launchHandlerWith({});
    for (const record of records()) await handler(eventBridgeEvent(record));

    expect(batch.calls()).toHaveLength(0);
    expect(sageMaker.calls()).toHaveLength(0);
    const alerts = published();
    expect(alerts).toHaveLength(4);
    for (const alert of alerts) expect(alert.message).toContain('Notified this channel. No containment is configured for this detection.');
  });

  test('a dry run says what it would do and makes no Batch or SageMaker call', async () => {
    const handler = await launchHandlerWith({ ...STOP, dryRun: true });
    for (const record of records()) await handler(eventBridgeEvent(record));

    expect(batch.calls()).toHaveLength(0);
    expect(sageMaker.calls()).toHaveLength(0);
    expect(published().map((a) => a.message.match(/Dry run, not done: .*/)?.[0])).toEqual([
      `Dry run, not done: disable Batch compute environment ${batchComputeEnvironmentArn('gpu-miners', { region: REGION })}.`,
      'Dry run, not done: stop SageMaker training job train-xmr.',
      'Dry run, not done: stop SageMaker notebook scratch.',
      'Dry run, not done: stop SageMaker processing job etl-gpu.',
    ]);
  });
});

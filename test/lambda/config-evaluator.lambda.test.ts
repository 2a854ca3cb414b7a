import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/config-evaluator.lambda';
import { handlerEnvironment } from '../harness/handler-environment';

// A failure the emulator cannot produce. The evaluator must fail the invocation, so Config records an error for
// the rule and evaluates again on the next change or period, instead of leaving a stale result standing.
const config = mockClient(ConfigServiceClient);

beforeAll(() => handlerEnvironment());

/** An invocation of our own of the instance-family rule, which needs no AWS call before it reports. */
const invocation = {
  configRuleName: 'MiningGuard-instance-family',
  accountId: '123456789012',
  resultToken: 'token',
  eventLeftScope: false,
  ruleParameters: JSON.stringify({ check: 'instance-family' }),
  invokingEvent: JSON.stringify({
    messageType: 'ConfigurationItemChangeNotification',
    configurationItem: {
      resourceType: 'AWS::EC2::Instance',
      resourceId: 'i-0abcd1234efgh5678',
      awsRegion: 'us-east-1',
      configurationItemStatus: 'OK',
      configurationItemCaptureTime: '2026-11-20T03:12:08.000Z',
      configuration: { instanceType: 'p4d.24xlarge', state: { name: 'running' } },
    },
  }),
};

test('throttling of PutEvaluations that outlasts the SDK\'s retries fails the invocation', async () => {
  // GIVEN
  config.on(PutEvaluationsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }));
  // WHEN / THEN
  await expect(handler(invocation)).rejects.toThrow(/Rate exceeded/);
});

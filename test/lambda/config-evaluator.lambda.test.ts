import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/config-evaluator.lambda';
import { captureLogs } from '../harness/captured-logs';
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

test('logs the rule, the check and the counts, never the configuration item it judged', async () => {
  // GIVEN an instance whose configuration carries a secret-looking tag
  const SECRET = 'ghp_SECRETLOOKINGTOKEN0123456789abcdef';
  const item = JSON.parse(invocation.invokingEvent) as { configurationItem: { configuration: Record<string, unknown> } };
  item.configurationItem.configuration.tags = [{ key: 'deploy-token', value: SECRET }];
  config.reset();
  config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  const lines = captureLogs();
  try {
    // WHEN
    await handler({ ...invocation, invokingEvent: JSON.stringify(item) });
    // THEN
    expect(JSON.stringify(lines)).not.toContain(SECRET);
    expect(lines).toContainEqual(['info', 'Evaluations reported', expect.objectContaining({ rule: 'MiningGuard-instance-family', checks: ['instance-family'], evaluations: 1, failed: 0 })]);
  } finally {
    jest.restoreAllMocks();
  }
});

/** The environment of a handler whose AWS clients are mocked: an alert topic, a region, dummy credentials, no table. */
export function mockedHandlerEnvironment(): void {
  Object.assign(process.env, {
    ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alerts',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
  });
  delete process.env.IDEMPOTENCY_TABLE;
}

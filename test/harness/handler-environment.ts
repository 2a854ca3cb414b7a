/** The process environment a Lambda handler under test reads: its settings, a region and dummy credentials. */
import { motoEndpoint } from './moto';

/** A region, dummy credentials, and the handler's own settings (which may replace the region). */
export function handlerEnvironment(settings: Readonly<Record<string, string>> = {}): void {
  Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', ...settings });
}

/** A handler run against the emulator: its SDK clients find the emulator's endpoint in the environment, as in Lambda. */
export function emulatedHandlerEnvironment(settings: Readonly<Record<string, string>>): void {
  handlerEnvironment({ AWS_ENDPOINT_URL: motoEndpoint(), ...settings });
}

/** A handler whose AWS clients are mocked: an alert topic, and no idempotency table. */
export function mockedHandlerEnvironment(): void {
  handlerEnvironment({ ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alerts' });
  delete process.env.IDEMPOTENCY_TABLE;
}

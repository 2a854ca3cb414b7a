import { Lazy } from 'aws-cdk-lib';
import { validateEmails, validateWebhookUrls } from '../../lib/alerts/alert-destinations';

describe('validateEmails', () => {
  test('accepts addresses, and tokens as they are', () => {
    expect(() => validateEmails('emails', ['secops@example.com', 'on-call+mining@security.example.co.uk'])).not.toThrow();
    expect(() => validateEmails('emails', [Lazy.string({ produce: () => 'not an address' })])).not.toThrow();
    expect(() => validateEmails('emails', [])).not.toThrow();
  });

  test.each([
    'secops',
    'secops@example',
    '@example.com',
    'sec ops@example.com',
    'secops@example.com, it@example.com',
    'secops@example.com;it@example.com',
    'SecOps <secops@example.com>',
  ])('refuses %j, saying to write one address per item', (email) => {
    expect(() => validateEmails('alertEmails', ['secops@example.com', email])).toThrow(
      `alertEmails: '${email}' is not an email address. Write one address per item, e.g. ['secops@example.com'].`,
    );
  });
});

describe('validateWebhookUrls', () => {
  test('accepts HTTPS URLs, and tokens as they are', () => {
    expect(() => validateWebhookUrls('webhookUrls', ['https://hooks.example.com/mining-guard', 'https://hooks.example.com'])).not.toThrow();
    expect(() => validateWebhookUrls('webhookUrls', [Lazy.string({ produce: () => 'http://insecure' })])).not.toThrow();
  });

  test.each([
    'http://hooks.example.com/path',
    'hooks.example.com/path',
    'https://',
    'https:// hooks.example.com',
  ])('refuses %j, saying how to write the endpoint', (url) => {
    expect(() => validateWebhookUrls('alertWebhookUrls', [url])).toThrow(
      `alertWebhookUrls: '${url}' is not an HTTPS URL. Write the endpoint as 'https://hooks.example.com/path'.`,
    );
  });
});

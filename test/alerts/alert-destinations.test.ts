import { Lazy, SecretValue, Stack } from 'aws-cdk-lib';
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

describe('validateWebhookUrls and secrets', () => {
  test.each([
    ['https://alerts:hunter2@hooks.example.com/in', 'user information before the host (`user:password@`)', 'https://hooks.example.com/in'],
    ['https://hunter2@hooks.example.com/in', 'user information before the host (`user:password@`)', 'https://hooks.example.com/in'],
    ['https://hooks.example.com/in?token=hunter2', 'the query parameter `token`', 'https://hooks.example.com/in?...'],
    ['https://hooks.example.com/in?team=sec&api_key=hunter2', 'the query parameter `api_key`', 'https://hooks.example.com/in?...'],
    ['https://fn.azurewebsites.net/api/alert?code=hunter2', 'the query parameter `code`', 'https://fn.azurewebsites.net/api/alert?...'],
    ['https://hooks.example.com/in?X-Amz-Signature=hunter2', 'the query parameter `X-Amz-Signature`', 'https://hooks.example.com/in?...'],
  ])('refuses %j without repeating the secret, and says how to pass one', (url, where, shown) => {
    let message = '';
    try {
      validateWebhookUrls('alertWebhookUrls', [url]);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(`alertWebhookUrls: '${shown}' carries a secret in ${where}, which would be written into the CloudFormation template in clear text. `
      + 'Keep the whole URL in AWS Secrets Manager and pass `SecretValue.secretsManager(\'mining-guard/webhook-url\').unsafeUnwrap()`: '
      + 'CloudFormation resolves it at deploy and the template holds only the reference. Or use a URL without a secret, and let the endpoint '
      + 'authenticate each alert by the SNS message signature.');
    expect(message).not.toContain('hunter2');
  });

  test('accepts query parameters that name no secret, and a URL held in Secrets Manager', () => {
    expect(() => validateWebhookUrls('webhookUrls', ['https://hooks.example.com/in?team=sec&monkey=1&keyboard=us'])).not.toThrow();
    const secret = SecretValue.secretsManager('mining-guard/webhook-url').unsafeUnwrap();
    expect(() => validateWebhookUrls('webhookUrls', [secret])).not.toThrow();
    expect(new Stack().resolve(secret)).toBe('{{resolve:secretsmanager:mining-guard/webhook-url:SecretString:::}}');
  });
});

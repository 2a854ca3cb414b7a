/** Prop checks shared by the parts: each error says what is wrong and what to write instead. */
import { URL } from 'url';
import { Token } from 'aws-cdk-lib';

// Deliberately simple: SNS rejects what it cannot deliver; this catches typos at synth instead of at deploy.
const EMAIL = /^[^\s@,;<>()]+@[^\s@,;<>()]+\.[^\s@,;<>()]+$/;

/** Throws unless every address looks like an email address. Tokens are accepted as they are. */
export function validateEmails(prop: string, emails: readonly string[]): void {
  for (const email of emails) {
    if (!Token.isUnresolved(email) && !EMAIL.test(email)) {
      throw new Error(`${prop}: '${email}' is not an email address. Write one address per item, e.g. ['secops@example.com'].`);
    }
  }
}

/** Query parameters that carry a secret by their name: `?token=`, `?api_key=`, `?code=` (Azure Functions), `?sig=` (SAS). */
const SECRET_PARAMETER = /^(?:.*[_-])?(?:token|secret|password|passwd|pwd|key|apikey|sig|signature|code|auth|authorization|credentials?)$/i;

/** What secret a URL carries in the clear, if any: user information (`user:pass@`) or a query parameter named for one. */
function secretIn(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.username !== '' || parsed.password !== '') return 'user information before the host (`user:password@`)';
  const named = [...parsed.searchParams.keys()].find((name) => SECRET_PARAMETER.test(name));
  return named !== undefined ? `the query parameter \`${named}\`` : undefined;
}

/** The URL with its user information and query left out, to name it in an error without repeating the secret. */
function redacted(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search ? '?...' : ''}`;
}

/**
 * Throws unless every URL is an HTTPS URL (SNS also takes HTTP, but alerts must not cross the internet in clear
 * text) that carries no credentials: a URL is written into the CloudFormation template and the SNS subscription as it
 * is, so a password or token in it would be readable by anyone who can read either. Tokens are accepted as they are,
 * which is how a URL held in AWS Secrets Manager is passed. A secret in the URL's path (some chat webhooks) cannot be
 * told from a path and is not caught.
 */
export function validateWebhookUrls(prop: string, urls: readonly string[]): void {
  for (const url of urls) {
    if (Token.isUnresolved(url)) continue;
    if (!/^https:\/\/[^\s/]+/.test(url)) {
      throw new Error(`${prop}: '${url}' is not an HTTPS URL. Write the endpoint as 'https://hooks.example.com/path'.`);
    }
    const secret = secretIn(url);
    if (secret !== undefined) {
      throw new Error(`${prop}: '${redacted(url)}' carries a secret in ${secret}, which would be written into the CloudFormation template `
        + 'in clear text. Keep the whole URL in AWS Secrets Manager and pass `SecretValue.secretsManager(\'mining-guard/webhook-url\').unsafeUnwrap()`: '
        + 'CloudFormation resolves it at deploy and the template holds only the reference. Or use a URL without a secret, and let the endpoint '
        + 'authenticate each alert by the SNS message signature.');
    }
  }
}

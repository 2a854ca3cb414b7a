/** Prop checks shared by the parts: each error says what is wrong and what to write instead. */
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

/** Throws unless every URL is an HTTPS URL (SNS also takes HTTP, but alerts must not cross the internet in clear text). */
export function validateWebhookUrls(prop: string, urls: readonly string[]): void {
  for (const url of urls) {
    if (!Token.isUnresolved(url) && !/^https:\/\/[^\s/]+/.test(url)) {
      throw new Error(`${prop}: '${url}' is not an HTTPS URL. Write the endpoint as 'https://hooks.example.com/path'.`);
    }
  }
}

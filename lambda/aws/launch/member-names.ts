/**
 * The names of the organization's accounts, for alerts: Organizations DescribeAccount, asked once per account per
 * container. It answers only in the organization's management or delegated administrator account, with
 * `organizations:DescribeAccount`; anywhere else, or on any failure, the alert shows the account's id alone.
 */
import { errorText } from '../clients/error-text';
import { regionalClient } from '../clients/regional-client';

/** DescribeAccount as the SDK's Organizations client answers it: `{ Account: { Id, Name, ... } }`. */
export type DescribeAccount = (accountId: string) => Promise<{ readonly Account?: { readonly Name?: string } }>;

/** A failure is asked about again after this long: a throttled or refused call is not the name's final word. */
export const RETRY_AFTER_MS = 5 * 60_000;

const names = new Map<string, { readonly name?: string; readonly until: number }>();

/** DescribeAccount through the SDK's Organizations client, from the function's own account. */
async function describeWithSdk(accountId: string): Promise<{ Account?: { Name?: string } }> {
  // Loaded when a member account's name is first needed: most invocations never need it.
  const { DescribeAccountCommand, OrganizationsClient } = await import('@aws-sdk/client-organizations');
  // Organizations answers at one endpoint per partition, whatever region the client is made for.
  const client = regionalClient('organizations', process.env.AWS_REGION ?? 'us-east-1', (c) => new OrganizationsClient(c));
  return client.send(new DescribeAccountCommand({ AccountId: accountId }));
}

/**
 * The account's name, or undefined when Organizations does not say; `onFailure` hears why. Both answers are kept,
 * a failure only for a while.
 */
export async function memberName(
  accountId: string, onFailure: (reason: string) => void, describe: DescribeAccount = describeWithSdk, now: () => number = Date.now,
): Promise<string | undefined> {
  const known = names.get(accountId);
  if (known && known.until > now()) return known.name;
  try {
    const name = (await describe(accountId)).Account?.Name || undefined;
    names.set(accountId, { name, until: Infinity });
    return name;
  } catch (error) {
    onFailure(errorText(error));
    names.set(accountId, { until: now() + RETRY_AFTER_MS });
    return undefined;
  }
}

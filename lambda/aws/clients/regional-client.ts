/** SDK clients created on first use, once per region (and account acted in) per container, with the SDK's adaptive retry. */
import { CredentialProvider, eventAccess } from './event-account';

const clients = new Map<string, unknown>();

/** The client of this kind for this region, created by `create` the first time. */
export function regionalClient<T>(kind: string, region: string, create: (config: { region: string; retryMode: 'adaptive'; maxAttempts: number }) => T): T {
  const key = `${kind}:${region}`;
  if (!clients.has(key)) clients.set(key, create({ region, retryMode: 'adaptive', maxAttempts: 6 }));
  return clients.get(key) as T;
}

/**
 * The client of this kind for this region in the current event's account: the function's own client, or, while an
 * event of another account is judged (`inEventAccount`), one that acts through that account's credentials.
 */
export function eventClient<T>(
  kind: string, region: string, create: (config: { region: string; retryMode: 'adaptive'; maxAttempts: number; credentials?: CredentialProvider }) => T,
): T {
  const access = eventAccess();
  if (!access) return regionalClient(kind, region, create);
  return regionalClient(`${kind}@${access.account}`, region, (config) => create({ ...config, credentials: access.credentials }));
}

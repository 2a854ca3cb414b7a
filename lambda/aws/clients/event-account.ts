/**
 * The account an event's AWS calls act in, for the calls made while the event is judged and contained: the
 * function's own (nothing set), or another account of the organization through credentials of its containment role.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** Temporary credentials, as every SDK client's `credentials` takes them. */
export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** Where a client gets its credentials from, each time they are about to expire. */
export type CredentialProvider = () => Promise<TemporaryCredentials>;

/** Another account, and the credentials that act in it. */
export interface AccountAccess {
  readonly account: string;
  readonly credentials: CredentialProvider;
}

const current = new AsyncLocalStorage<AccountAccess>();

/** Runs `work` with its event's calls acting through `access`; undefined runs it in the function's own account. */
export function inEventAccount<T>(access: AccountAccess | undefined, work: () => Promise<T>): Promise<T> {
  return access ? current.run(access, work) : work();
}

/** The access the current event's calls act through, or undefined in the function's own account. */
export function eventAccess(): AccountAccess | undefined {
  return current.getStore();
}

/**
 * What a container's cache of AWS answers (a launch template's types, a task definition's size) prefixes its keys
 * with: empty in the function's own account, so that two accounts' resources of the same name never share an answer.
 */
export function accountCacheKey(): string {
  const access = current.getStore();
  return access ? `${access.account}|` : '';
}

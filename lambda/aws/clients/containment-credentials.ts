/**
 * Credentials in another account of the organization from its containment role: STS AssumeRole in the event's
 * region, the session named after the event, kept per account until shortly before they expire.
 */
import { errorText } from './error-text';
import type { AccountAccess, TemporaryCredentials } from './event-account';
import { regionalClient } from './regional-client';
import { AccountPlace, containmentRoleArn, containmentSessionName } from '../../core/launch/acting-account';

/** The role to assume, and for which event. */
export interface ContainmentTarget extends AccountPlace {
  readonly roleName: string;
  /** The event's region: STS is asked at that region's endpoint. */
  readonly region: string;
  readonly eventId: string;
}

/** Credentials are asked for again this long before they expire, so that no call is made with expiring ones. */
export const REFRESH_BEFORE_MS = 5 * 60_000;

/** Thrown by the credentials of an account whose containment role could not be assumed. */
export class RoleNotAssumed extends Error {
  public readonly name = 'RoleNotAssumed';
  public constructor(public readonly account: string, public readonly roleArn: string, public readonly reason: string) {
    super(`the role ${roleArn} could not be assumed: ${reason}`);
  }
}

/** Each account's credentials, or the AssumeRole call under way for them; a failed call is forgotten, to be asked again. */
const held = new Map<string, Promise<TemporaryCredentials>>();

async function assume(target: ContainmentTarget, roleArn: string): Promise<TemporaryCredentials> {
  // Loaded when another account's event first comes: most invocations never need it.
  const { AssumeRoleCommand, STSClient } = await import('@aws-sdk/client-sts');
  const client = regionalClient('sts', target.region, (c) => new STSClient(c));
  let out;
  try {
    out = await client.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: containmentSessionName(target.eventId) }));
  } catch (error) {
    throw new RoleNotAssumed(target.account, roleArn, errorText(error));
  }
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new RoleNotAssumed(target.account, roleArn, 'STS answered without credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
}

/** Whether credentials are still good for a while at `now`. */
function fresh(credentials: TemporaryCredentials, now: number): boolean {
  return credentials.expiration === undefined || credentials.expiration.getTime() - REFRESH_BEFORE_MS > now;
}

/** The account's credentials: those held while fresh, else a new AssumeRole, shared by every caller meanwhile. */
async function credentialsOf(target: ContainmentTarget, now: () => number): Promise<TemporaryCredentials> {
  const roleArn = containmentRoleArn(target, target.roleName);
  const key = `${roleArn}`;
  const pending = held.get(key);
  if (pending) {
    const credentials = await pending.catch(() => undefined);
    if (credentials && fresh(credentials, now())) return credentials;
    if (held.get(key) !== pending) return credentialsOf(target, now);
  }
  const asked = assume(target, roleArn);
  held.set(key, asked);
  asked.catch(() => {
    if (held.get(key) === asked) held.delete(key);
  });
  return asked;
}

/** How the calls of an event in `target.account` act there: through credentials of its containment role. */
export function containmentAccess(target: ContainmentTarget, now: () => number = Date.now): AccountAccess {
  return { account: target.account, credentials: () => credentialsOf(target, now) };
}

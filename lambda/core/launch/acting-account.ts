/**
 * Which account an event's lookups and containment act in: the evaluator's own, or, when an organization's central
 * evaluator is given the members' containment role, the event's own account through that role.
 */
import type { Alert } from '../alerts/alert';
import { contentLine, oneLine } from '../alerts/alert-text';

/** An account, and the partition its ARNs are written in. */
export interface AccountPlace {
  readonly account: string;
  readonly partition: string;
}

const ACCOUNT_ID = /^\d{12}$/;
/** A Lambda function's or an IAM role's ARN: its partition and account. */
const ARN_ACCOUNT = /^arn:(aws[a-z-]*):(?:lambda:[a-z0-9-]+|iam:):(\d{12}):/;

/**
 * The evaluator's own account, from the first of the ARNs that names one: its function's (the invocation context's
 * `invokedFunctionArn`), then its role's. Undefined when none does.
 */
export function ownAccountOf(arns: ReadonlyArray<string | undefined>): AccountPlace | undefined {
  for (const arn of arns) {
    const found = arn === undefined ? null : ARN_ACCOUNT.exec(arn);
    if (found) return { partition: found[1], account: found[2] };
  }
  return undefined;
}

/**
 * The account of an event that is not the evaluator's own: the record's `recipientAccountId` when it is an account
 * id, else the EventBridge envelope's `account`. Undefined for the evaluator's own account, or when neither names one.
 */
export function foreignAccount(recordAccount: string | undefined, envelopeAccount: string | undefined, own: string): string | undefined {
  const account = [recordAccount, envelopeAccount].find((a) => a !== undefined && ACCOUNT_ID.test(a));
  return account !== undefined && account !== own ? account : undefined;
}

/** The containment role's ARN in an account. */
export function containmentRoleArn(place: AccountPlace, roleName: string): string {
  return `arn:${place.partition}:iam::${place.account}:role/${roleName}`;
}

/** STS's RoleSessionName: 2 to 64 of `[\w+=,.@-]`. */
const SESSION_NAME_LENGTH = 64;

/** The session name of the containment role for an event: the guard's name and the event's id, in STS's characters. */
export function containmentSessionName(eventId: string): string {
  return `mining-guard-${eventId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, SESSION_NAME_LENGTH);
}

/** Why nothing was contained in another account: its containment role could not be assumed, and how to fix it. */
export function roleRefusedLine(account: string, roleArn: string, reason: string): string {
  return `not done in account ${account}: the role ${roleArn} could not be assumed (${oneLine(reason).replace(/\.+$/, '')}); `
    + 'deploy MiningGuard\'s member part (the containment role that trusts this evaluator) in that account';
}

/**
 * A storm window's principal: the principal as alerts name it, and, for another account's event, that account, so
 * that the same role name or root in two accounts never share a window.
 */
export function windowPrincipal(principal: string, foreign: string | undefined): string {
  return foreign === undefined ? principal : `${principal} in ${foreign}`;
}

/** The other account a window's principal names, if it does. */
export function windowAccount(principal: string): string | undefined {
  return / in (\d{12})$/.exec(principal)?.[1];
}

/** An event's once-only key: its id, and for another account's event that account, so accounts never share a key. */
export function onceKey(eventId: string, foreign: string | undefined): string {
  return foreign === undefined ? eventId : `${foreign}/${eventId}`;
}

/** An account's name as an alert may quote it: one line, bounded; the name is the account's owner's to choose. */
const NAME_LENGTH = 64;

/**
 * The alert with its account named: `Account 222233334444 (Production)` where it says the id, and, for another
 * account's event, each console link labelled with the account, since a console link cannot switch accounts.
 */
export function withAccountNamed(alert: Alert, account: string, name: string | undefined, foreign: boolean): Alert {
  const shown = name === undefined ? undefined : contentLine(name).slice(0, NAME_LENGTH);
  const where = shown ? alert.where.replace(`Account ${account}`, `Account ${account} (${shown})`) : alert.where;
  const links = foreign
    ? alert.links.map((link) => ({ ...link, label: `${link.label} (in account ${account}: sign in to it first)` }))
    : alert.links;
  return { ...alert, where, links };
}

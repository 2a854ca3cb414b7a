/**
 * Reads an IAM policy document and says whether it grants administrator-equivalent access. Pure: the document comes
 * from a request (inline policies) or from a lookup the notifier made before judging (managed policies).
 *
 * A statement grants administrator-equivalent access when its `Effect` is `Allow` and either
 * - its `Action` includes a pattern that matches every action of IAM (`*`, `*:*`, `iam:*`, `iam*`...): whoever may
 *   call every IAM action can grant themselves anything else; or
 * - it has `NotAction` (allow everything but the listed actions) on `Resource: "*"`, unless the listed actions are
 *   themselves everything.
 *
 * An `Allow` of `*` limited to named resources (`arn:aws:s3:::bucket/*`) is not administrator access. `Deny`
 * statements grant nothing, whatever they name, and conditions are not read: a conditional grant is flagged as a grant.
 * A document that cannot be read is reported as unreadable and counted as a grant: IAM refuses malformed documents,
 * so one that reached an accepted call but defeats this reader deserves a person's eyes.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
 */
import { isObject } from '../events/event-fields';

/** What a policy document grants, and why the answer is what it is. */
export interface PolicyDocumentVerdict {
  /** Whether the document grants administrator-equivalent access (or could not be read). */
  readonly grantsAdmin: boolean;
  /** Why: the statement that grants it, or why nothing does. */
  readonly reason: string;
}

/** The longest document read: IAM's managed-policy limit is 6,144 characters, inline ones 10,240 (URL-encoded more). */
const MAX_DOCUMENT_LENGTH = 131_072;

/** IAM actions that, allowed together, let a principal grant itself anything else. */
const ESCALATION_ACTIONS = ['iam:AttachUserPolicy', 'iam:PutRolePolicy', 'iam:CreateAccessKey', 'iam:PassRole', 'iam:CreatePolicyVersion'];

/**
 * Whether an IAM action pattern (`*` any run, `?` one character, case-insensitive) matches an action. Matched without
 * a regular expression, in time proportional to the lengths' product: a pattern is the attacker's to write.
 */
function actionMatches(pattern: string, action: string): boolean {
  const p = pattern.toLowerCase();
  const a = action.toLowerCase();
  let i = 0;
  let j = 0;
  let star = -1;
  let resume = 0;
  while (j < a.length) {
    if (i < p.length && (p[i] === '?' || p[i] === a[j])) {
      i++;
      j++;
    } else if (i < p.length && p[i] === '*') {
      star = i++;
      resume = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++resume;
    } else {
      return false;
    }
  }
  while (i < p.length && p[i] === '*') i++;
  return i === p.length;
}

/** Whether a pattern matches every IAM action, as `*`, `*:*` and `iam:*` do. */
function matchesAllOfIam(pattern: string): boolean {
  return pattern.length <= 256 && ESCALATION_ACTIONS.every((action) => actionMatches(pattern, action));
}

/** A string or list of strings from a policy element; undefined when it is neither. */
function stringsOf(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

/** The parsed document, or why it cannot be parsed: a JSON string (URL-encoded, as IAM returns it, or not) or an object. */
function parseDocument(document: unknown): Record<string, unknown> | string {
  if (isObject(document)) return document;
  if (typeof document !== 'string') return `a ${document === null ? 'null' : typeof document} instead of a document`;
  if (document.length > MAX_DOCUMENT_LENGTH) return `${document.length} characters, more than IAM allows`;
  for (const text of [document, decoded(document)]) {
    if (text === undefined) continue;
    try {
      const parsed: unknown = JSON.parse(text);
      if (isObject(parsed)) return parsed;
    } catch {
      // Not JSON as it stands: IAM returns documents URL-encoded, so try that next.
    }
  }
  return 'not a JSON object';
}

function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The verdict on one statement: why it grants administrator access, or undefined. Throws nothing. */
function adminGrantOf(statement: unknown, index: number): string | undefined | { unreadable: string } {
  if (!isObject(statement)) return { unreadable: `statement ${index + 1} is not an object` };
  const effect = statement.Effect;
  if (typeof effect !== 'string') return { unreadable: `statement ${index + 1} has no Effect` };
  if (effect.toLowerCase() !== 'allow') return undefined;
  const label = typeof statement.Sid === 'string' && statement.Sid !== '' ? `statement ${JSON.stringify(statement.Sid.slice(0, 64))}` : `statement ${index + 1}`;
  if (statement.Action !== undefined) {
    const actions = stringsOf(statement.Action);
    if (!actions) return { unreadable: `${label} has an Action that is not a string or list of strings` };
    if (!broadResource(statement)) return undefined;
    const all = actions.find(matchesAllOfIam);
    return all === undefined ? undefined : `${label} allows ${JSON.stringify(all.slice(0, 64))}`;
  }
  if (statement.NotAction !== undefined) {
    const excluded = stringsOf(statement.NotAction);
    if (!excluded) return { unreadable: `${label} has a NotAction that is not a string or list of strings` };
    if (excluded.some((a) => actionMatches(a, 'ec2:RunInstances') && matchesAllOfIam(a))) return undefined;
    const resources = stringsOf(statement.Resource);
    return resources?.includes('*') ? `${label} allows every action but ${excluded.length} (NotAction) on every resource` : undefined;
  }
  return { unreadable: `${label} has neither Action nor NotAction` };
}

/** Whether a statement's resources reach every resource: `*`, `NotResource`, or resources that cannot be read. */
function broadResource(statement: Record<string, unknown>): boolean {
  if (statement.NotResource !== undefined) return true;
  const resources = stringsOf(statement.Resource);
  return resources === undefined || resources.includes('*');
}

/** Whether an IAM policy document, as a request or a lookup holds it, grants administrator-equivalent access. */
export function judgePolicyDocument(document: unknown): PolicyDocumentVerdict {
  const parsed = parseDocument(document);
  if (typeof parsed === 'string') return { grantsAdmin: true, reason: `unreadable policy (${parsed})` };
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  if (parsed.Statement === undefined) return { grantsAdmin: true, reason: 'unreadable policy (no Statement)' };
  let unreadable: string | undefined;
  for (const [index, statement] of statements.entries()) {
    const grant = adminGrantOf(statement, index);
    if (typeof grant === 'string') return { grantsAdmin: true, reason: grant };
    if (grant !== undefined) unreadable ??= grant.unreadable;
  }
  return unreadable
    ? { grantsAdmin: true, reason: `unreadable policy (${unreadable})` }
    : { grantsAdmin: false, reason: 'no Allow statement grants every action or every IAM action' };
}

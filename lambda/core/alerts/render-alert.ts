/**
 * Renders an alert for each subscriber: plain text for email and queues, an AWS Chatbot custom notification for HTTPS.
 *
 * Every value in an alert may have been written by an attacker (a user agent, a resource name, a process path), so
 * this is the one place that makes them inert, and no reader can forget it:
 * - every field is rendered as one line (`oneLine`): line breaks become a visible mark, control and invisible
 *   characters go. Only `what` is several lines: its line breaks are the guard's, and readers write it with
 *   `textLines`, which makes each of its lines one line first;
 * - every line of content that could pass for a section heading is quoted (`> WHAT MININGGUARD DID`), so whatever
 *   a reader let through, no section can be forged; no address in the text is left for a client to link;
 * - each line is at most 2,000 bytes (`MAX_LINE_BYTES`), cut with ` [cut]`; the subject is printable ASCII under
 *   100 characters (`formatSubject`); every part is bounded in UTF-8 bytes so the whole SNS message fits whatever the
 *   alert carries: long lists keep their first lines and count the rest, and no cut ever splits a character;
 * - in the chat notification every string is escaped for Slack (`chatText`: `&lt;`, `&gt;`, `&amp;`, mrkdwn marks
 *   made inert), and the only links are the alert's own `links`, which the guard builds from `console-links`.
 */
import type { Alert } from './alert';
import { contentLine, oneLine } from './alert-text';
import { chatLink, chatText, cutChatText } from './chat-text';
import { formatSubject } from './subject';

/**
 * SNS refuses a message over 262,144 bytes of UTF-8, message attributes (names, types and values) included.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
export const MAX_SNS_MESSAGE_BYTES = 262_144;

/** Each copy of the text (`default`, `email`) stays under this, so two copies and the chat JSON fit one message. */
export const MAX_TEXT_BYTES = 100_000;

/**
 * Slack shows at most 3,000 characters of a section's text, where Chatbot puts the description; longer text is
 * refused or cut by the chat service, not by us, so we cut first and say so.
 * @see https://api.slack.com/reference/block-kit/blocks#section
 */
export const MAX_CHAT_DESCRIPTION_CHARS = 3_000;

/** One line (a step, a principal, an entry) never takes more than this, whatever an attacker put in it. */
export const MAX_LINE_BYTES = 2_000;

/** The share of the text budget each long section may take, so one section cannot crowd out the others. */
const SECTION_SHARE = { what: 0.35, who: 0.1, done: 0.35, links: 0.1 } as const;

/** The UTF-8 length of a text. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * The longest start of `text` that is at most `maxBytes` in UTF-8, cut between characters (never inside one, nor
 * between the halves of a surrogate pair), followed by `note` when anything was cut; the note counts in the budget.
 */
export function cutToBytes(text: string, maxBytes: number, note = ''): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  const room = Math.max(maxBytes - utf8Bytes(note), 0);
  const bytes = Buffer.from(text, 'utf8');
  let end = Math.min(room, bytes.length);
  // Step back over continuation bytes (0x80 to 0xBF) to the first byte of the character that did not fit.
  while (end > 0 && bytes[end] >= 0x80 && bytes[end] < 0xc0) end--;
  return bytes.subarray(0, end).toString('utf8') + (room > 0 ? note : '');
}

/**
 * As many of `lines` as fit in `maxBytes` (each line itself cut to a sane length), then one line counting the rest.
 * The lines are kept in their order, so a caller lists what matters most (failures) first.
 */
export function boundedLines(lines: readonly string[], maxBytes: number, what = 'lines'): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const [i, raw] of lines.entries()) {
    const line = cutToBytes(raw, MAX_LINE_BYTES, ' [cut]');
    const rest = lines.length - i - 1;
    // Room is kept for the counting line whenever another line could follow.
    const reserve = rest > 0 ? 80 : 0;
    if (used + utf8Bytes(line) + 1 + reserve > maxBytes) {
      kept.push(`... and ${lines.length - i} more ${what}, not listed here.`);
      return kept;
    }
    kept.push(line);
    used += utf8Bytes(line) + 1;
  }
  return kept;
}

/** One field as a line of the email: one line, inert, bounded. */
function fieldLine(text: string): string {
  return cutToBytes(contentLine(text), MAX_LINE_BYTES, ' [cut]');
}

/** The alert as a person reads it in an email, at most `maxBytes` of UTF-8. */
export function renderText(alert: Alert, maxBytes = MAX_TEXT_BYTES): string {
  const section = (heading: string, lines: readonly string[]) => `${heading}\n${lines.join('\n')}`;
  const share = (part: keyof typeof SECTION_SHARE) => Math.floor(maxBytes * SECTION_SHARE[part]);
  const lines = (texts: readonly string[]) => texts.map(fieldLine);
  // A link's label is content; its URL is the guard's, made one line only in case it was not.
  const links = alert.links.map((l) => `${fieldLine(l.label)}: ${oneLine(l.url)}`);
  const refs = Object.entries(alert.refs).map(([k, v]) => `${oneLine(k)}: ${oneLine(v)}`);
  const text = [
    `MiningGuard ${alert.severity}: ${fieldLine(alert.title)}`,
    fieldLine(alert.headline),
    section('WHAT HAPPENED', boundedLines(lines(alert.what.split('\n')), share('what'))),
    section('WHO', boundedLines(lines(alert.who), share('who'))),
    section('WHERE', [fieldLine(alert.where)]),
    section('WHY IT MATTERS', [fieldLine(alert.why)]),
    section('WHAT MININGGUARD DID', boundedLines(lines(alert.done), share('done'), 'steps')),
    section('WHAT TO DO NEXT', alert.next.map((step, i) => fieldLine(`${i + 1}. ${step}`))),
    ...(links.length > 0 ? [section('LINKS', boundedLines(links, share('links'), 'links'))] : []),
    fieldLine([`Detection: ${alert.detectionId}`, ...refs].join(' | ')),
  ].join('\n\n');
  return cutToBytes(text, maxBytes, `\n\n(cut at ${maxBytes} bytes)`);
}

/** The most links a chat notification carries, and the room they may take in its description. */
const MAX_CHAT_LINKS = 10;
const CHAT_LINKS_CHARS = 1_000;

/** The guard's links as one line of chat links, as many whole links as fit. */
function chatLinks(alert: Alert): string {
  const kept: string[] = [];
  for (const l of alert.links.slice(0, MAX_CHAT_LINKS)) {
    const link = chatLink(l.url, l.label);
    if (link === undefined) continue;
    if ([...kept, link].join(' · ').length > CHAT_LINKS_CHARS) break;
    kept.push(link);
  }
  return kept.join(' · ');
}

/**
 * The alert as an AWS Chatbot custom notification, which Slack and Teams render; other HTTPS subscribers get the
 * same JSON, with every field in `metadata.additionalContext`. The description keeps the first steps (failures first,
 * as the evaluators order them) and counts the rest. Every string is escaped for chat (`chatText`); the bold labels
 * and the links are the only markup, and the guard writes both.
 * @see https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html
 */
export function renderChatbot(alert: Alert): Record<string, unknown> {
  const links = chatLinks(alert);
  const done = boundedLines(alert.done.map(oneLine), 1_200, 'steps');
  // The links line is whole or absent: the text before it is cut to leave it room.
  const room = MAX_CHAT_DESCRIPTION_CHARS - (links ? links.length + 1 : 0);
  const text = [
    // The guard's line breaks in `what` stay; each of its lines is escaped on its own.
    cutChatText(alert.what.split('\n').map((l) => chatText(l, 1_500, '')).join('\n'), 1_500, ''),
    `*Who:* ${chatText(alert.who.join('; '), 500)}`,
    `*Where:* ${chatText(alert.where, 200)}`,
    `*Why:* ${chatText(alert.why, 600)}`,
    `*MiningGuard did:* ${chatText(done.join(' '), 1_300)}`,
  ].filter(Boolean).join('\n');
  const description = [cutChatText(text, room), links].filter(Boolean).join('\n');
  const refs = Object.fromEntries(Object.entries(alert.refs).slice(0, 20).map(([k, v]) => [chatText(k, 100), chatText(v, 500)]));
  return {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: `${alert.severity === 'CRITICAL' || alert.severity === 'HIGH' ? ':rotating_light:' : ':warning:'} ${chatText(formatSubject(alert.severity, alert.headline), 200)}`,
      description,
      nextSteps: alert.next.slice(0, 20).map((step) => chatText(step, 500)),
      keywords: [alert.severity, chatText(alert.detectionId, 100)],
    },
    metadata: {
      summary: chatText(alert.headline, 500),
      eventType: chatText(alert.detectionId, 100),
      additionalContext: { severity: alert.severity, detection: chatText(alert.detectionId, 100), ...refs },
    },
  };
}

/** The SNS publish input for an alert: a subject, a per-protocol message, and filterable attributes. */
export interface AlertMessage {
  readonly subject: string;
  /** JSON for `MessageStructure: 'json'`: `default` and `email` as text, `https` as a Chatbot notification. */
  readonly message: string;
  readonly attributes: Readonly<Record<'severity' | 'detection', string>>;
}

/** The bytes SNS counts for a message: the body and every attribute's name, type and value. */
export function snsMessageBytes(message: AlertMessage): number {
  const attributes = Object.entries(message.attributes).reduce((sum, [name, value]) => sum + utf8Bytes(name) + utf8Bytes('String') + utf8Bytes(value), 0);
  return utf8Bytes(message.message) + attributes;
}

export function toAlertMessage(alert: Alert): AlertMessage {
  const subject = formatSubject(alert.severity, alert.headline);
  const attributes = { severity: alert.severity, detection: alert.detectionId };
  const https = JSON.stringify(renderChatbot(alert));
  // JSON escapes control characters up to six-fold: shrink the text until the escaped message fits.
  for (let budget = MAX_TEXT_BYTES; ; budget = Math.floor(budget / 2)) {
    const text = renderText(alert, budget);
    const message = { subject, message: JSON.stringify({ default: text, email: text, https }), attributes };
    if (snsMessageBytes(message) <= MAX_SNS_MESSAGE_BYTES || budget < 1_000) return message;
  }
}

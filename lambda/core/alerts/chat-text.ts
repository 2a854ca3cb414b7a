/**
 * Writes text for the AWS Chatbot notification so that chat clients show it as it is: Slack's `<`, `>` and `&`
 * escaped (no `<!channel>`, no `<https://evil|label>`), mrkdwn and Markdown marks made inert (no bold, italics,
 * strike-through, code, headings or `[label](url)` links), and no bare address that could become a link.
 * Only `chatLink` writes a link, and only from a URL the guard built.
 * @see https://api.slack.com/reference/surfaces/formatting#escaping
 */
import { oneLine, unlinked } from './alert-text';

/** The three characters Slack reads as markup, as the entities Slack asks for. */
const SLACK_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * mrkdwn marks, each replaced by a character that looks alike and means nothing: `*` bold, `~` strike, `` ` `` code.
 * `_` (italics) is replaced only where it could open or close italics, so `snake_case_names` stay as they are.
 */
const LOOK_ALIKES: Readonly<Record<string, string>> = { '*': '\u2217', '~': '\u223c', '`': '\u02cb', '_': '\u02cd' };

/** A whole Slack entity, or one character: text is cut between these, never inside `&amp;`. */
const CHAT_UNITS = /&(?:amp|lt|gt);|[^]/gu;

/** `text` as inert chat text on one line, without any cut. */
export function chatEscape(text: string): string {
  return unlinked(oneLine(text))
    .replace(/[&<>]/g, (c) => SLACK_ENTITIES[c])
    .replace(/[*~`]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, (c) => LOOK_ALIKES[c])
    // Mentions that chat clients may expand, written with a full-width at sign.
    .replace(/@(?=(?:channel|here|everyone)\b)/gi, '\uff20')
    // A Markdown link (Teams) needs `](` right after its label; a heading, a `#` at the start.
    .replace(/\]\(/g, '] (')
    .replace(/^#/, '\uff03');
}

/** Escaped chat text cut to at most `max` characters (an entity counts as its length, and is never split), with a note when cut. */
export function cutChatText(escaped: string, max: number, note = ' [cut]'): string {
  if (escaped.length <= max) return escaped;
  let kept = '';
  for (const unit of escaped.match(CHAT_UNITS) ?? []) {
    if (kept.length + unit.length > max - note.length) break;
    kept += unit;
  }
  return kept + note;
}

/** `text` escaped as `chatEscape` does, at most `max` characters, with a note when cut. */
export function chatText(text: string, max: number, note = ' [cut]'): string {
  return cutChatText(chatEscape(text), max, note);
}

/** A URL the guard built, as chat clients link it: `https:`, no space, no character that ends a Slack link. */
const LINKABLE_URL = /^https:\/\/[^\s<>|"`]+$/;

/** The longest URL an alert links to in chat; longer ones (an attacker's 100 KB name in a query) are left out. */
export const MAX_CHAT_URL_LENGTH = 2_000;

/** A Slack link to a URL the guard built, labelled with inert text; none when the URL is not one a link may carry. */
export function chatLink(url: string, label: string): string | undefined {
  if (url.length > MAX_CHAT_URL_LENGTH || !LINKABLE_URL.test(url)) return undefined;
  return `<${url}|${chatText(label, 100)}>`;
}

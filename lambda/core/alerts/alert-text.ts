/**
 * Makes any text an event wrote safe to show as one line of an alert: no line break, no control or invisible
 * character, no line that reads as one of the guard's section headings, no address a mail client turns into a link.
 *
 * Every field of an `Alert` is one line, except `what`, whose line breaks are the guard's own: readers write a
 * multi-line `what` with `textLines`, which makes each of its lines one line first. The renderer passes every field
 * through `oneLine` (each line of `what` too) and `contentLine`, so a reader that forgets still cannot forge a section.
 */

/** The headings the email text is made of, in order; a line of content never reads as one of them. */
export const SECTION_HEADINGS = [
  'WHAT HAPPENED', 'WHO', 'WHERE', 'WHY IT MATTERS', 'WHAT MININGGUARD DID', 'WHAT TO DO NEXT', 'LINKS',
] as const;

/** What a line break inside a value becomes: visible, so a reader sees the value had one, and never a new line. */
export const LINE_BREAK_MARK = ' \u23CE ';

/** Every character that ends a line somewhere: CR, LF, vertical tab, form feed, NEL, line and paragraph separators. */
const LINE_BREAKS = /\r\n|[\n\v\f\r\u0085\u2028\u2029]/g;

/** C0 and C1 control characters (tab included) that are not line breaks: each becomes a space. */
const CONTROLS = /[\u0000-\u0009\u000e-\u001f\u007f-\u0084\u0086-\u009f]/g;

/** Characters that change how text around them is drawn without being seen: zero-width characters and bidi controls. */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** An address with a scheme, or starting `www.`, that mail and chat clients would make a link of. */
const LINKABLE = /\b([a-z][a-z0-9+.-]*):\/\/|\bwww\./gi;

/** `text` as one line: line breaks marked, other control characters spaced out, invisible characters dropped. */
export function oneLine(text: string): string {
  return text.replace(LINE_BREAKS, LINE_BREAK_MARK).replace(CONTROLS, ' ').replace(INVISIBLE, '');
}

/**
 * Writes a multi-line text from lines the guard composed: each line is made one line first, so a value an event
 * wrote inside it can never start a line of its own. Empty and missing lines are left out.
 */
export function textLines(lines: ReadonlyArray<string | false | undefined | null>): string {
  return lines.filter((l): l is string => typeof l === 'string' && l !== '').map(oneLine).join('\n');
}

/**
 * Whether a line could pass for a section heading: it has letters and none of them is lower case (after Unicode
 * compatibility folding, so full-width and styled capitals count too). Every heading is written in capitals and
 * no line the guard writes as content is.
 */
export function readsAsHeading(line: string): boolean {
  const folded = line.normalize('NFKC');
  return /\p{Lu}/u.test(folded) && !/\p{Ll}/u.test(folded);
}

/** Turns an address into text a client shows but does not link: `https://x` becomes `https[:]//x`, `www.` `www[.]`. */
export function unlinked(text: string): string {
  return text.replace(LINKABLE, (_match: string, scheme?: string) => (scheme !== undefined ? `${scheme}[:]//` : 'www[.]'));
}

/** Marks a line of content that could pass for a heading as quoted text, so it is never read as one. */
export function quotedIfHeading(line: string): string {
  return readsAsHeading(line) ? `> ${line}` : line;
}

/** A line of content as the email shows it: one line, not linkable, never a heading. */
export function contentLine(text: string): string {
  return quotedIfHeading(unlinked(oneLine(text)));
}

/** Builds an SNS subject that fits: printable ASCII, one line, under 100 characters, severity and headline first. */
import type { Severity } from '../../../lib/catalog';

/** SNS refuses subjects of 100 characters or more; MiningGuard keeps them under that. */
export const MAX_SUBJECT_LENGTH = 99;

/** What a drill's headline starts with (`drillHeadline`). */
export const DRILL_MARK = 'DRILL: ';

/** A word shortened in its middle never gets shorter than this, so it stays recognisable. */
const MIN_WORD_LENGTH = 12;

/** Replaces what SNS rejects in a subject (control and non-ASCII characters) and folds whitespace. */
export function toSubjectText(text: string): string {
  return text.replace(/[^\x20-\x7e]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** `word` cut to `length` characters by an ellipsis in its middle. */
function cutMiddle(word: string, length: number): string {
  const keep = Math.max(length - 3, 2);
  return `${word.slice(0, Math.ceil(keep / 2))}...${word.slice(word.length - Math.floor(keep / 2))}`;
}

/**
 * `[MiningGuard][HIGH] ` followed by the headline. The headline's first word says what happened (a finding type,
 * a count) and its last says where (a region); both are kept whole as long as possible: when the line is too
 * long, the long words between them (resource names, ARNs) are shortened in their middle first, then a finding type loses its threat-purpose prefix
 * (`UnauthorizedAccess:`), and only then is the first word itself cut.
 */
export function formatSubject(severity: Severity, headline: string): string {
  // A drill's mark (`drillHeadline`) goes with the tag, so that the headline's own first word is kept whole.
  const cleaned = toSubjectText(headline);
  const drill = cleaned.startsWith(DRILL_MARK) ? DRILL_MARK : '';
  const tag = `[MiningGuard][${severity}] ${drill}`;
  const room = MAX_SUBJECT_LENGTH - tag.length;
  const words = cleaned.slice(drill.length).split(' ');
  const length = () => words.join(' ').length;

  // The last word is where (a region) and stays whole, like the first.
  const middle = (i: number) => i > 0 && i < words.length - 1;
  while (length() > room) {
    const longest = words.reduce((a, w, i) => (middle(i) && w.length > (a > 0 ? words[a].length : 0) ? i : a), 0);
    if (longest === 0 || words[longest].length <= MIN_WORD_LENGTH) break;
    words[longest] = cutMiddle(words[longest], Math.max(words[longest].length - (length() - room), MIN_WORD_LENGTH));
  }
  if (length() > room && /^[A-Za-z]+:[^/\s]+\//.test(words[0])) {
    words[0] = words[0].slice(words[0].indexOf(':') + 1);
  }
  // A short first word (a count) is never "shortened": cutting it in its middle would only make it longer.
  if (length() > room && words[0].length > MIN_WORD_LENGTH) {
    words[0] = cutMiddle(words[0], Math.max(words[0].length - (length() - room), MIN_WORD_LENGTH));
  }
  const text = words.join(' ');
  return tag + (text.length > room ? cutMiddle(text, room) : text);
}

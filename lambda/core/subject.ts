/** Builds an SNS subject that fits: printable ASCII, one line, under 100 characters, severity and headline first. */
import type { Severity } from '../../lib/catalog';

/** SNS refuses subjects of 100 characters or more; MiningGuard keeps them under that. */
export const MAX_SUBJECT_LENGTH = 99;

/** Replaces what SNS rejects in a subject (control and non-ASCII characters) and folds whitespace. */
export function toSubjectText(text: string): string {
  return text.replace(/[^\x20-\x7e]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * `[MiningGuard][HIGH] ` followed by the headline, shortened in the middle of its longest word when it does not
 * fit, so the start (what) and the end (where) both stay readable.
 */
export function formatSubject(severity: Severity, headline: string): string {
  const tag = `[MiningGuard][${severity}] `;
  let text = toSubjectText(headline);
  const room = MAX_SUBJECT_LENGTH - tag.length;
  while (text.length > room) {
    const words = text.split(' ');
    const longest = words.reduce((a, w, i) => (w.length > words[a].length ? i : a), 0);
    const word = words[longest];
    const excess = text.length - room;
    if (word.length - excess < 8) {
      // No single word can absorb the cut: keep the start and the end of the whole line instead.
      const keep = room - 3;
      text = `${text.slice(0, Math.ceil(keep / 2))}...${text.slice(text.length - Math.floor(keep / 2))}`;
      break;
    }
    const keep = word.length - excess - 3;
    words[longest] = `${word.slice(0, Math.ceil(keep / 2))}...${word.slice(word.length - Math.floor(keep / 2))}`;
    text = words.join(' ');
  }
  return tag + text;
}

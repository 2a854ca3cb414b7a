/** Tagging what containment touched: a failed tag never blocks or undoes the containment, and the alert says it failed. */
import { errorText } from '../clients/error-text';

/** Thrown by a containment step that did its work but could not tag the resource. */
export class NotTagged extends Error {
  public readonly name = 'NotTagged';
}

/** Runs the tagging call; returns why it failed, or undefined. */
export async function tagOrNote(tag: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await tag();
    return undefined;
  } catch (error) {
    return errorText(error);
  }
}

/** Ends a step whose tagging failed, once its work is done. */
export function reportUntagged(note: string | undefined): void {
  if (note !== undefined) throw new NotTagged(note);
}

/** Tagging what containment touched: a failed tag never blocks or undoes the containment, and the alert says it failed. */
import type { Tag } from '@aws-sdk/client-ec2';
import { errorText } from '../clients/error-text';

/** Runs the tagging call; returns a note saying why it failed, or nothing. */
export async function tagOrNote(what: string, tag: () => Promise<unknown>): Promise<string[]> {
  try {
    await tag();
    return [];
  } catch (error) {
    return [`not tagged: ${what}: ${errorText(error)}`];
  }
}

/** The tags as EC2 takes them. */
export function ec2Tags(tags: Readonly<Record<string, string>>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

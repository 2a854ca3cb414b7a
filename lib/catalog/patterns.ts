/** Turns the catalog's `*` patterns into EventBridge filters and matches values against them, so rule and evaluator agree. */

/** An EventBridge content filter for one string field. */
export type StringFilter = string | { readonly prefix: string } | { readonly suffix: string } | { readonly wildcard: string };

/** The narrowest EventBridge filter that matches exactly what `pattern` matches. */
export function toEventFilter(pattern: string): StringFilter {
  const stars = pattern.split('*').length - 1;
  if (stars === 0) return pattern;
  if (stars === 1 && pattern.endsWith('*')) return { prefix: pattern.slice(0, -1) };
  if (stars === 1 && pattern.startsWith('*')) return { suffix: pattern.slice(1) };
  return { wildcard: pattern };
}

/** Whether `value` matches `pattern`, where `*` stands for any run of characters (as in EventBridge wildcard filters): for finding types, never for principals. */
export function matchesPattern(pattern: string, value: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === value;
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (!value.startsWith(first) || value.length < first.length + last.length || !value.endsWith(last)) return false;
  let at = first.length;
  const end = value.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const found = value.indexOf(middle, at);
    if (found < 0 || found + middle.length > end) return false;
    at = found + middle.length;
  }
  return true;
}

/**
 * A regular expression for an ARN pattern matched segment by segment: `*` stands for any run of characters within one
 * part of the ARN and never crosses `:` or `/`, so `arn:aws:iam::*:role/ci-*` cannot match a user whose path or name
 * spells `:role/ci-`.
 */
export function segmentPattern(pattern: string): RegExp {
  const body = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^:/]*');
  return new RegExp(`^${body}$`);
}

/** Safe reads from untrusted JSON: every event is treated as unknown until a field is proven to have its type. */

/** The value at a dotted path (`a.b.0.c`), or undefined when any step is missing or not an object. */
export function fieldAt(value: unknown, path: string): unknown {
  let at: unknown = value;
  for (const step of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[step];
  }
  return at;
}

/** A non-empty string at the path, or undefined. Numbers are accepted and written as strings. */
export function stringAt(value: unknown, path: string): string | undefined {
  const v = fieldAt(value, path);
  if (typeof v === 'string') return v.length > 0 ? v : undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A finite number at the path (numeric strings accepted), or undefined. */
export function numberAt(value: unknown, path: string): number | undefined {
  const v = fieldAt(value, path);
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** Whether the value is a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** How deep `deepValues` looks: request shapes nest a few levels; a hostile document may nest thousands. */
export const MAX_SEARCH_DEPTH = 32;

/**
 * Every value of a key anywhere in a JSON value (case-insensitive key), for request shapes that nest templates; it
 * looks at most {@link MAX_SEARCH_DEPTH} levels down, without recursion, so no document can exhaust the stack.
 */
export function deepValues(value: unknown, key: string): unknown[] {
  const wanted = key.toLowerCase();
  const found: unknown[] = [];
  // A value to look into, or a value found: taken off the stack in document order, as a recursive walk would meet them.
  const stack: Array<{ readonly look: unknown; readonly depth: number } | { readonly hit: unknown }> = [{ look: value, depth: 0 }];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if ('hit' in next) {
      found.push(next.hit);
      continue;
    }
    if (next.depth > MAX_SEARCH_DEPTH) continue;
    const entries: Array<[string | undefined, unknown]> = Array.isArray(next.look) ? next.look.map((v) => [undefined, v])
      : isObject(next.look) ? Object.entries(next.look) : [];
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, v] = entries[i];
      stack.push(k !== undefined && k.toLowerCase() === wanted ? { hit: v } : { look: v, depth: next.depth + 1 });
    }
  }
  return found;
}

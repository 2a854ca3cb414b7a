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

/** Every value of a key anywhere in a JSON value (case-insensitive key), for request shapes that nest templates. */
export function deepValues(value: unknown, key: string, found: unknown[] = []): unknown[] {
  if (Array.isArray(value)) {
    for (const v of value) deepValues(v, key, found);
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k.toLowerCase() === key.toLowerCase()) found.push(v);
      else deepValues(v, key, found);
    }
  }
  return found;
}

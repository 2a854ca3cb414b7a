/** SDK clients created on first use, once per region per container, with the SDK's adaptive retry. */

const clients = new Map<string, unknown>();

/** The client of this kind for this region, created by `create` the first time. */
export function regionalClient<T>(kind: string, region: string, create: (config: { region: string; retryMode: 'adaptive'; maxAttempts: number }) => T): T {
  const key = `${kind}:${region}`;
  if (!clients.has(key)) clients.set(key, create({ region, retryMode: 'adaptive', maxAttempts: 6 }));
  return clients.get(key) as T;
}

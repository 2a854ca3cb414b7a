/** Keeps the spend evaluator's memory in one SSM parameter; the client is created on first use. */
import type { SSMClient } from '@aws-sdk/client-ssm';

type Ssm = typeof import('@aws-sdk/client-ssm');

let loaded: { client: SSMClient; sdk: Ssm } | undefined;

async function ssm(): Promise<{ client: SSMClient; sdk: Ssm }> {
  if (!loaded) {
    const sdk = await import('@aws-sdk/client-ssm');
    loaded = { sdk, client: new sdk.SSMClient({ retryMode: 'adaptive', maxAttempts: 5 }) };
  }
  return loaded;
}

/** The parameter's text, or undefined when it does not exist yet. */
export async function loadSpendState(parameterName: string): Promise<string | undefined> {
  const { client, sdk } = await ssm();
  try {
    const out = await client.send(new sdk.GetParameterCommand({ Name: parameterName }));
    return out.Parameter?.Value;
  } catch (error) {
    if ((error as Error).name === 'ParameterNotFound') return undefined;
    throw error;
  }
}

export async function saveSpendState(parameterName: string, text: string): Promise<void> {
  const { client, sdk } = await ssm();
  await client.send(new sdk.PutParameterCommand({ Name: parameterName, Value: text, Type: 'String', Overwrite: true }));
}

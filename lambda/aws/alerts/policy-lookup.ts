/**
 * Reads a customer-managed policy's default-version document for the notifier to judge. The IAM client is created on
 * first use, once per container, with the SDK's adaptive retry; documents are cached per container by policy and
 * version (a version never changes, a policy's default version may), and a failed read is never cached.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { PolicyLookup } from '../../core/notifier/event-reader';
import { errorText } from '../clients/error-text';

type IamSdk = typeof import('@aws-sdk/client-iam');

let client: IAMClient | undefined;
const documents = new Map<string, unknown>();

async function iam(): Promise<{ client: IAMClient; sdk: IamSdk }> {
  const sdk = await import('@aws-sdk/client-iam');
  client ??= new sdk.IAMClient({ retryMode: 'adaptive', maxAttempts: 5 });
  return { client, sdk };
}

/** The document as IAM returns it: URL-encoded JSON. Left as it is when it does not decode. */
function decodedDocument(document: string): string {
  try {
    return decodeURIComponent(document);
  } catch {
    return document;
  }
}

/** The policy's default-version document, or why it could not be read. Never throws. */
export async function lookUpPolicy(policyArn: string): Promise<PolicyLookup> {
  try {
    const { client: iamClient, sdk } = await iam();
    const policy = await iamClient.send(new sdk.GetPolicyCommand({ PolicyArn: policyArn }));
    const versionId = policy.Policy?.DefaultVersionId;
    if (!versionId) return { error: 'IAM named no default version' };
    const key = `${policyArn} ${versionId}`;
    if (!documents.has(key)) {
      const version = await iamClient.send(new sdk.GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId }));
      const document = version.PolicyVersion?.Document;
      if (document === undefined) return { error: `IAM returned no document for version ${versionId}` };
      documents.set(key, decodedDocument(document));
    }
    return { document: documents.get(key) };
  } catch (error) {
    return { error: errorText(error) };
  }
}

/** The documents of the given policies, by ARN, each read or failed on its own. */
export async function lookUpPolicies(policyArns: readonly string[]): Promise<ReadonlyMap<string, PolicyLookup>> {
  const unique = [...new Set(policyArns)];
  return new Map(await Promise.all(unique.map(async (arn) => [arn, await lookUpPolicy(arn)] as const)));
}

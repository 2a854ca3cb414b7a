/** Finds who launched an instance from CloudTrail's 90-day event history (`RunInstances` naming the instance). */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';

let client: CloudTrailClient | undefined;

/** The launcher's ARN, or the reason it is not known; never throws, because an unknown launcher is judged, not fatal. */
export async function instanceLauncher(instanceId: string): Promise<{ arn?: string; sessionIssuerArn?: string; unknownReason?: string }> {
  try {
    const sdk = await import('./sdk/cloudtrail-client');
    client ??= new sdk.CloudTrailClient({ retryMode: 'adaptive', maxAttempts: 5 });
    const out = await client.send(new sdk.LookupEventsCommand({
      LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: instanceId }],
      MaxResults: 50,
    }));
    for (const event of out.Events ?? []) {
      if (event.EventName !== 'RunInstances' || !event.CloudTrailEvent) continue;
      type Identity = { arn?: string; sessionContext?: { sessionIssuer?: { arn?: string } } };
      const identity = (JSON.parse(event.CloudTrailEvent) as { userIdentity?: Identity }).userIdentity;
      if (identity?.arn) return { arn: identity.arn, sessionIssuerArn: identity.sessionContext?.sessionIssuer?.arn };
    }
    return { unknownReason: 'no RunInstances event in the last 90 days' };
  } catch (error) {
    return { unknownReason: `CloudTrail lookup failed: ${(error as Error).name}` };
  }
}

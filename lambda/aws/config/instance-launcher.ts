/** Finds who launched an instance from CloudTrail's 90-day event history (`RunInstances` naming the instance). */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';

let client: CloudTrailClient | undefined;

/**
 * How many pages of an instance's events are read. RunInstances is its oldest event, so on the last page; LookupEvents
 * answers two calls a second, so a busy instance's search stops here and says so.
 */
export const MAX_LOOKUP_PAGES = 10;

/** The launcher's ARN, or the reason it is not known; never throws, because an unknown launcher is judged, not fatal. */
export async function instanceLauncher(instanceId: string): Promise<{ arn?: string; sessionIssuerArn?: string; unknownReason?: string }> {
  try {
    const sdk = await import('./sdk/cloudtrail-client');
    client ??= new sdk.CloudTrailClient({ retryMode: 'adaptive', maxAttempts: 5 });
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_LOOKUP_PAGES; page++) {
      const out = await client.send(new sdk.LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: instanceId }],
        MaxResults: 50,
        NextToken: nextToken,
      }));
      for (const event of out.Events ?? []) {
        if (event.EventName !== 'RunInstances' || !event.CloudTrailEvent) continue;
        type Identity = { arn?: string; sessionContext?: { sessionIssuer?: { arn?: string } } };
        const identity = (JSON.parse(event.CloudTrailEvent) as { userIdentity?: Identity }).userIdentity;
        if (identity?.arn) return { arn: identity.arn, sessionIssuerArn: identity.sessionContext?.sessionIssuer?.arn };
      }
      nextToken = out.NextToken;
      if (!nextToken) return { unknownReason: 'no RunInstances event in the last 90 days' };
    }
    return { unknownReason: `no RunInstances event among the instance's latest ${MAX_LOOKUP_PAGES * 50} events` };
  } catch (error) {
    return { unknownReason: `CloudTrail lookup failed: ${(error as Error).name}` };
  }
}

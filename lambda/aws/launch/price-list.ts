/**
 * On-demand prices from the AWS Price List API (`pricing:GetProducts`): Linux, shared tenancy, no pre-installed
 * software, in the launch's own region. Answers are kept for the container's life; a failed call is not retried for
 * {@link RETRY_AFTER_MS}, so a storm of launches does not become a storm of Price List calls.
 */
import { errorText } from '../clients/error-text';
import { regionalClient } from '../clients/regional-client';

/** The Price List API answers in us-east-1 (and eu-central-1, ap-south-1) for every region's prices. */
const PRICE_LIST_REGION = 'us-east-1';
const RETRY_AFTER_MS = 10 * 60_000;

/** USD per hour, or null when the Price List holds no such product; a failure is remembered with its time. */
const prices = new Map<string, number | null | { failedAt: number }>();

/** The hourly USD price in a Price List product document, or undefined when it has none. */
export function onDemandUsdPerHour(product: unknown): number | undefined {
  const terms = (product as { terms?: { OnDemand?: Record<string, { priceDimensions?: Record<string, unknown> }> } })?.terms?.OnDemand ?? {};
  for (const offer of Object.values(terms)) {
    for (const dimension of Object.values(offer?.priceDimensions ?? {})) {
      const { unit, pricePerUnit } = dimension as { unit?: string; pricePerUnit?: { USD?: string } };
      const usd = Number(pricePerUnit?.USD);
      if (/^hrs?$/i.test(unit ?? '') && Number.isFinite(usd) && usd > 0) return usd;
    }
  }
  return undefined;
}

async function askPriceList(region: string, type: string): Promise<number | null> {
  const sdk = await import('@aws-sdk/client-pricing');
  const client = regionalClient('pricing', PRICE_LIST_REGION, (c) => new sdk.PricingClient(c));
  const match = (Field: string, Value: string) => ({ Type: 'TERM_MATCH' as const, Field, Value });
  const out = await client.send(new sdk.GetProductsCommand({
    ServiceCode: 'AmazonEC2',
    FormatVersion: 'aws_v1',
    MaxResults: 10,
    Filters: [
      match('instanceType', type), match('regionCode', region), match('operatingSystem', 'Linux'), match('tenancy', 'Shared'),
      match('preInstalledSw', 'NA'), match('capacitystatus', 'Used'), match('marketoption', 'OnDemand'),
    ],
  }));
  for (const item of out.PriceList ?? []) {
    const usd = onDemandUsdPerHour(JSON.parse(String(item)));
    if (usd !== undefined) return usd;
  }
  return null;
}

/** The region's on-demand price of each EC2 type the Price List knows; a type it could not price is left out. */
export async function regionPrices(
  region: string, types: readonly string[], onFailure: (reason: string) => void, now = Date.now(),
): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const type of new Set(types)) {
    const key = `${region}|${type}`;
    let known = prices.get(key);
    if (known === undefined || (typeof known === 'object' && known !== null && now - known.failedAt >= RETRY_AFTER_MS)) {
      try {
        known = await askPriceList(region, type);
      } catch (error) {
        // The alert falls back to the bundled price, or says the cost is unknown.
        onFailure(`Price List GetProducts for ${type} in ${region} failed: ${errorText(error)}`);
        known = { failedAt: now };
      }
      prices.set(key, known);
    }
    if (typeof known === 'number') found.set(type, known);
  }
  return found;
}

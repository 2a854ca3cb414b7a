/** Judges an opt-in region being enabled: says whether the guard already runs there, and what to do if not. */
import { isRegionName } from '../../../lib/catalog';
import type { GuardContext } from '../../../lib/catalog';
import type { CloudTrailRecord } from '../events/cloudtrail-record';
import { stringAt } from '../events/event-fields';

/** What the alert says of an enabled region: why it matters here, and the steps for this case. */
export interface RegionEnabledFinding {
  /** The region, when the call names a real one; it goes into the subject. */
  readonly region?: string;
  readonly reason: string;
  readonly next: readonly string[];
}

/**
 * The region the call enables. The Account Management API takes `RegionName`; CloudTrail writes this service's
 * request parameters in lower camel case (`alternateContactType` in AWS's examples), so both spellings are read.
 * Anything that is not a region name is never repeated: the record may be forged, and the text goes to a person.
 * @see https://docs.aws.amazon.com/accounts/latest/reference/API_EnableRegion.html
 * @see https://docs.aws.amazon.com/accounts/latest/reference/monitoring-cloudtrail.html
 */
export function enabledRegion(record: CloudTrailRecord): string | { readonly problem: string } {
  const named = stringAt(record.request, 'regionName') ?? stringAt(record.request, 'RegionName');
  if (named === undefined) return { problem: 'The call does not name the region it enables' };
  return isRegionName(named) ? named : { problem: 'The call names something that is not a region name as the region it enables' };
}

/** Disabling the region is the first step whenever nobody planned it. */
function disable(region: string): string {
  return `If nobody planned it: disable ${region} (AWS console, Account, AWS Regions), then find who enabled it and with which credentials.`;
}

/** The finding for an EnableRegion call, by what the guard's context says of the regions it runs in. */
export function regionEnabled(record: CloudTrailRecord, context: GuardContext): RegionEnabledFinding {
  const region = enabledRegion(record);
  if (typeof region !== 'string') {
    return {
      reason: `${region.problem}, so MiningGuard cannot say whether it runs there`,
      next: ['Open the call in CloudTrail (link below) to see which region was enabled, and by whom.', disable('the region')],
    };
  }
  const guarded = context.guardedRegions;
  if (guarded === undefined) {
    return {
      region,
      reason: `${region} was enabled. This notifier was not told which regions MiningGuard runs in, so it cannot say whether ${region} has `
        + 'a GuardDuty detector, vCPU alarms and the seconds-fast path; calls made there are judged through the multi-region trail, within minutes',
      next: [`Check whether MiningGuard runs in ${region}. If not and the region was planned, add '${region}' to everyRegion.regions of MiningGuard and deploy.`, disable(region)],
    };
  }
  if (guarded.includes(region)) {
    return {
      region,
      reason: `${region} was enabled, and MiningGuard already runs there: GuardDuty, vCPU alarms and the seconds-fast path cover it`,
      next: [`Confirm that ${region} was meant to be enabled; MiningGuard needs nothing more there.`, disable(region)],
    };
  }
  return {
    region,
    reason: `${region} was enabled, and MiningGuard has no regional part there yet: no GuardDuty detector, no vCPU alarms, no seconds-fast path. `
      + 'Calls made there are still judged through the multi-region trail, within minutes instead of seconds',
    next: [
      `If ${region} was planned: add '${region}' to everyRegion.regions of MiningGuard and deploy, so that it gets GuardDuty, vCPU alarms and the fast path.`,
      disable(region),
    ],
  };
}

/** The regions of a partition that the resource-type table knows: all of them, or only those AWS enables by default. */
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { RESOURCE_TYPES_BY_REGION } from './resource-types-by-region';

/**
 * Every region of `partition` (`aws`, `aws-cn`, `aws-us-gov`...) in the resource-type table, sorted. Regions the table
 * does not know (launched after the cfn-lint release it was generated from) are not listed.
 */
export function regionsOfPartition(partition: string): string[] {
  return Object.entries(RESOURCE_TYPES_BY_REGION.regions).filter(([, p]) => p === partition).map(([region]) => region).sort();
}

/** Every region of the commercial partition, `aws`, in the resource-type table, sorted. */
export function commercialRegions(): string[] {
  return regionsOfPartition('aws');
}

/**
 * The regions of `partition` that AWS enables in every account (not opt-in), as aws-cdk-lib's region-info says, among
 * those the resource-type table knows, sorted.
 *
 * A region must be in both to be listed. A table region that region-info does not know is treated as opt-in and left
 * out: every region launched after March 20, 2019 is opt-in, and a region the installed aws-cdk-lib does not know is
 * newer than that. A region-info region the table does not know is left out too: nothing could check what it offers.
 *
 * @see https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html
 */
export function defaultEnabledRegions(partition: string): string[] {
  const regionInfoKnows = new Set(RegionInfo.regions.map((r) => r.name));
  return regionsOfPartition(partition).filter((region) => regionInfoKnows.has(region) && !RegionInfo.get(region).isOptInRegion);
}

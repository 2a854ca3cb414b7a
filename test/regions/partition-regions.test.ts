import { RegionInfo } from 'aws-cdk-lib/region-info';
import { commercialRegions, defaultEnabledRegions, regionsOfPartition } from '../../lib/regions/partition-regions';

describe('commercialRegions', () => {
  test('lists every region of the aws partition in the table, sorted, and no other partition\'s', () => {
    // WHEN
    const regions = commercialRegions();

    // THEN
    expect(regions).toEqual([...regions].sort());
    expect(regions).toEqual(expect.arrayContaining(['us-east-1', 'eu-north-1', 'af-south-1', 'mx-central-1']));
    expect(regions.filter((r) => /^(cn|us-gov|us-iso)/.test(r))).toEqual([]);
    expect(regions.length).toBeGreaterThanOrEqual(30);
  });
});

describe('regionsOfPartition', () => {
  test('lists the regions of the other partitions the table knows', () => {
    expect(regionsOfPartition('aws-cn')).toEqual(['cn-north-1', 'cn-northwest-1']);
    expect(regionsOfPartition('aws-us-gov')).toEqual(['us-gov-east-1', 'us-gov-west-1']);
    expect(regionsOfPartition('aws-iso')).toEqual([]);
  });
});

describe('defaultEnabledRegions', () => {
  afterEach(() => jest.restoreAllMocks());

  test('lists the regions of the partition that are not opt-in', () => {
    // WHEN
    const regions = defaultEnabledRegions('aws');

    // THEN
    expect(regions).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1', 'eu-north-1', 'sa-east-1']));
    expect(regions).not.toContain('af-south-1');
    expect(regions).not.toContain('eu-central-2');
    expect(regions.every((r) => !RegionInfo.get(r).isOptInRegion)).toBe(true);
    expect(defaultEnabledRegions('aws-cn')).toEqual(['cn-north-1', 'cn-northwest-1']);
  });

  test('leaves out a region of the table that region-info does not know, as an opt-in region', () => {
    // GIVEN an aws-cdk-lib that does not know eu-north-1 yet
    const known = RegionInfo.regions.filter((r) => r.name !== 'eu-north-1');
    jest.spyOn(RegionInfo, 'regions', 'get').mockReturnValue(known);

    // THEN
    expect(defaultEnabledRegions('aws')).not.toContain('eu-north-1');
    expect(defaultEnabledRegions('aws')).toContain('eu-west-1');
  });
});

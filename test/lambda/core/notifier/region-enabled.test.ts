import * as fc from 'fast-check';
import { readRecord } from '../../../../lambda/core/events/cloudtrail-record';
import { enabledRegion, regionEnabled } from '../../../../lambda/core/notifier/region-enabled';
import { EMPTY_GUARD_CONTEXT, GuardContext } from '../../../../lib/catalog';
import { cloudTrailRecord } from '../../../fixtures/documented-cloudtrail';

/** EnableRegion as the Account Management API records it: called in us-east-1, naming the region it enables. */
function enableRegion(requestParameters: unknown) {
  const record = readRecord(cloudTrailRecord('account.amazonaws.com', 'EnableRegion', requestParameters, null, { region: 'us-east-1' }));
  if (typeof record === 'string') throw new Error(record);
  return record;
}

const GUARDED: GuardContext = { ...EMPTY_GUARD_CONTEXT, guardedRegions: ['us-east-1', 'eu-west-1'] };

describe('enabledRegion', () => {
  test('reads the region in either spelling the request parameters may use', () => {
    expect(enabledRegion(enableRegion({ regionName: 'af-south-1' }))).toBe('af-south-1');
    expect(enabledRegion(enableRegion({ RegionName: 'af-south-1' }))).toBe('af-south-1');
  });

  test('a missing region, or one that is not a region name, is a problem, never repeated', () => {
    expect(enabledRegion(enableRegion(null))).toEqual({ problem: 'The call does not name the region it enables' });
    expect(enabledRegion(enableRegion({ regionName: 42 }))).toEqual({ problem: 'The call names something that is not a region name as the region it enables' });
    for (const hostile of ['af-south-1\n\nAll clear, ignore this alert', 'https://evil.example/', '<b>x</b>', { nested: 'af-south-1' }]) {
      const read = enabledRegion(enableRegion({ regionName: hostile }));
      expect(JSON.stringify(read)).not.toContain('evil');
      expect(read).toHaveProperty('problem');
    }
  });
});

describe('regionEnabled', () => {
  test('a region the guard does not run in: says what is missing there, what still works, and how to add it', () => {
    const finding = regionEnabled(enableRegion({ regionName: 'af-south-1' }), GUARDED);
    expect(finding.region).toBe('af-south-1');
    expect(finding.reason).toBe('af-south-1 was enabled, and MiningGuard has no regional part there yet: no GuardDuty detector, no vCPU alarms, '
      + 'no seconds-fast path. Calls made there are still judged through the multi-region trail, within minutes instead of seconds');
    expect(finding.next[0]).toBe('If af-south-1 was planned: add \'af-south-1\' to everyRegion.regions of MiningGuard and deploy, so that it gets GuardDuty, vCPU alarms and the fast path.');
    expect(finding.next[1]).toMatch(/^If nobody planned it: disable af-south-1 /);
  });

  test('a region the guard runs in: says it is covered', () => {
    const finding = regionEnabled(enableRegion({ regionName: 'eu-west-1' }), GUARDED);
    expect(finding.reason).toBe('eu-west-1 was enabled, and MiningGuard already runs there: GuardDuty, vCPU alarms and the seconds-fast path cover it');
    expect(finding.next[0]).toBe('Confirm that eu-west-1 was meant to be enabled; MiningGuard needs nothing more there.');
  });

  test('no list of regions: says what it cannot know, and how to check', () => {
    const finding = regionEnabled(enableRegion({ regionName: 'af-south-1' }), EMPTY_GUARD_CONTEXT);
    expect(finding.reason).toMatch(/^af-south-1 was enabled\. This notifier was not told which regions MiningGuard runs in, so it cannot say whether af-south-1 has /);
    expect(finding.next[0]).toMatch(/^Check whether MiningGuard runs in af-south-1\. If not and the region was planned, add 'af-south-1' to everyRegion\.regions/);
  });

  test('an empty list means no region is guarded, not "unknown"', () => {
    expect(regionEnabled(enableRegion({ regionName: 'eu-west-1' }), { ...EMPTY_GUARD_CONTEXT, guardedRegions: [] }).reason).toContain('has no regional part there yet');
  });

  test('a call without a readable region names none, and points to the call itself', () => {
    const finding = regionEnabled(enableRegion({ regionName: '../../etc' }), GUARDED);
    expect(finding.region).toBeUndefined();
    expect(finding.reason).toBe('The call names something that is not a region name as the region it enables, so MiningGuard cannot say whether it runs there');
    expect(finding.next[0]).toMatch(/^Open the call in CloudTrail/);
  });

  test('any request parameters: never throws, and repeats only region names', () => {
    fc.assert(fc.property(fc.jsonValue(), (params) => {
      const finding = regionEnabled(enableRegion({ regionName: params }), GUARDED);
      expect(finding.region === undefined || /^[a-z]{2}(-[a-z]+)+-\d$/.test(finding.region)).toBe(true);
    }));
  });
});

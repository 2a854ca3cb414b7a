import * as fc from 'fast-check';
import { estimateVcpus } from '../../../../lambda/core/config/running-vcpus';
import { INSTANCE_TABLE } from '../../../../lambda/core/launch/instance-types';

describe('estimateVcpus', () => {
  test.each([
    ['p4d.24xlarge', 96], ['p3.2xlarge', 8], ['g4dn.xlarge', 4], ['m5.large', 2], ['t3.nano', 2], ['t2.micro', 1],
    ['m6g.medium', 1], ['p5.48xlarge', 192], ['c5.metal', 96], ['x9z.metal', 96],
  ])('estimates %s at %d vCPUs when EC2 does not say', (type, vcpus) => {
    expect(estimateVcpus(type)).toBe(vcpus);
  });

  test('reads the type whatever its case, as EC2 names are lower case', () => {
    expect(estimateVcpus('P4D.24XLARGE')).toBe(96);
    expect(estimateVcpus('M5.Large')).toBe(2);
  });

  test('agrees with the bundled table for every type it lists', () => {
    for (const [type, [vcpus]] of Object.entries(INSTANCE_TABLE)) expect(estimateVcpus(type)).toBe(vcpus);
  });

  test.each([
    ['an empty name', ''],
    ['a name without a size', 'garbage'],
    ['a family without a size', 'm5.'],
    ['a huge name', 'a'.repeat(100_000)],
  ])('counts %s as 96, never as a small instance', (_name, type) => {
    expect(estimateVcpus(type)).toBe(96);
  });

  test('any name, however hostile, gives a positive whole number of vCPUs', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (type) => {
      const vcpus = estimateVcpus(type);
      expect(Number.isInteger(vcpus)).toBe(true);
      expect(vcpus).toBeGreaterThan(0);
    }), { numRuns: 1000 });
  });
});

import * as fc from 'fast-check';
import { bundledSpec } from '../../../../lambda/core/launch/bundled-specs';
import { INSTANCE_TABLE } from '../../../../lambda/core/launch/instance-types';

describe('bundledSpec', () => {
  test('weighs a type of the table by the table, with its us-east-1 price', () => {
    expect(bundledSpec('p4d.24xlarge'))
      .toEqual({ type: 'p4d.24xlarge', vcpus: 96, gpus: 8, memoryGiB: 1152, usdPerHour: 21.957642, estimated: false });
  });

  test('weighs the p2.xlarge of the real Stratus launches at the price the replay reports', () => {
    expect(bundledSpec('p2.xlarge')).toEqual({ type: 'p2.xlarge', vcpus: 4, gpus: 1, memoryGiB: 61, usdPerHour: 0.9, estimated: false });
  });

  test('gives a SageMaker type the EC2 type\'s figures but not its price', () => {
    expect(bundledSpec('ml.p3.2xlarge')).toEqual({ type: 'ml.p3.2xlarge', vcpus: 8, gpus: 1, memoryGiB: 61, estimated: false });
  });

  test('estimates a type the table lacks by its size, and says so', () => {
    expect(bundledSpec('zz9.24xlarge')).toEqual({ type: 'zz9.24xlarge', vcpus: 96, gpus: 0, memoryGiB: 0, estimated: true });
  });

  test('every row of the table is looked up as it is written', () => {
    for (const [type, [vcpus, gpus, memoryGiB, usdPerHour]] of Object.entries(INSTANCE_TABLE)) {
      expect(bundledSpec(type)).toEqual({ type, vcpus, gpus, memoryGiB, ...(usdPerHour === undefined ? {} : { usdPerHour }), estimated: false });
    }
  });

  test('any name gives figures that are whole, not negative, and a price only from the table', () => {
    const names = fc.oneof(fc.string({ unit: 'binary', maxLength: 100 }), fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty'));
    fc.assert(fc.property(names, (type) => {
      const spec = bundledSpec(type);
      expect(Number.isInteger(spec.vcpus) && spec.vcpus >= 0).toBe(true);
      expect(Number.isInteger(spec.gpus) && spec.gpus >= 0).toBe(true);
      if (spec.estimated) expect(spec.usdPerHour).toBeUndefined();
    }), { numRuns: 1000 });
  });
});

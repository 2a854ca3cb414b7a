import {
  INSTANCE_TABLE,
  INSTANCE_TABLE_DATE,
  NON_GPU_ACCELERATOR_FAMILIES,
  instanceFamily,
  instanceSpec,
} from '../../../../lambda/core/launch/instance-types';

/** Families whose every size carries GPUs, as EC2 reports them. */
const GPU_FAMILIES = ['p2', 'p3', 'p3dn', 'p4d', 'p4de', 'p5', 'p5e', 'p5en', 'p6-b200', 'g3', 'g3s', 'g4dn', 'g4ad', 'g5', 'g5g', 'g6', 'g6e', 'gr6', 'dl1'];

/** Families priced by GPUs rather than size: their one-GPU 16xlarge costs less than their four-GPU 12xlarge. */
const PRICED_BY_GPUS = ['g5', 'g6', 'g6e'];

describe('instanceSpec', () => {
  test.each([
    // type, vCPUs, GPUs, memory GiB
    ['p2.xlarge', 4, 1, 61],
    ['p4d.24xlarge', 96, 8, 1152],
    ['t3.micro', 2, 0, 1],
    ['g4dn.xlarge', 4, 1, 16],
    ['p5.48xlarge', 192, 8, 2048],
    ['c5n.large', 2, 0, 5.25],
  ])('knows %s as AWS documents it', (type, vcpus, gpus, memoryGiB) => {
    // WHEN
    const spec = instanceSpec(type);

    // THEN
    expect(spec).toMatchObject({ type, vcpus, gpus, memoryGiB, estimated: false });
  });

  test('gives the us-east-1 on-demand price of a known type', () => {
    // WHEN
    const spec = instanceSpec('g4dn.xlarge');

    // THEN
    expect(spec.usdPerHour).toBe(0.526);
  });

  test('leaves out a price it could not confirm', () => {
    // WHEN
    const spec = instanceSpec('p5e.48xlarge');

    // THEN
    expect(spec).toMatchObject({ vcpus: 192, gpus: 8, estimated: false });
    expect(spec.usdPerHour).toBeUndefined();
  });

  test('reads a type in any case and with spaces around it', () => {
    // WHEN
    const spec = instanceSpec(' P4D.24XLarge ');

    // THEN
    expect(spec).toMatchObject({ type: 'p4d.24xlarge', vcpus: 96, gpus: 8, estimated: false });
  });

  test('estimates an unknown Nxlarge type at 4N vCPUs, without GPUs or price', () => {
    // WHEN
    const spec = instanceSpec('zz9.24xlarge');

    // THEN
    expect(spec).toEqual({ type: 'zz9.24xlarge', vcpus: 96, gpus: 0, memoryGiB: 0, estimated: true });
  });

  test.each([
    ['zz9.xlarge', 4],
    ['zz9.large', 2],
    ['zz9.medium', 1],
    ['zz9.small', 1],
    ['zz9.micro', 1],
    ['zz9.nano', 1],
    ['zz9.metal-48xl', 192],
    ['zz9.huge', 0],
    ['zz9', 0],
    ['zz9.constructor', 0],
  ])('estimates %s at %d vCPUs', (type, vcpus) => {
    // WHEN
    const spec = instanceSpec(type);

    // THEN
    expect(spec).toMatchObject({ vcpus, gpus: 0, estimated: true });
  });

  test('estimates an unknown metal size as the largest size of its family', () => {
    // WHEN
    const spec = instanceSpec('g6e.metal');

    // THEN
    expect(spec).toEqual({ type: 'g6e.metal', vcpus: 192, gpus: 0, memoryGiB: 1536, estimated: true });
  });

  test('estimates the metal size of an unknown family at 0 vCPUs', () => {
    // WHEN
    const spec = instanceSpec('zz9.metal');

    // THEN
    expect(spec).toMatchObject({ vcpus: 0, gpus: 0, estimated: true });
  });

  test('reads a SageMaker type as its EC2 type, without the EC2 price', () => {
    // WHEN
    const spec = instanceSpec('ml.p3.2xlarge');

    // THEN
    expect(spec).toEqual({ type: 'ml.p3.2xlarge', vcpus: 8, gpus: 1, memoryGiB: 61, estimated: false });
  });
});

describe('instanceFamily', () => {
  test.each([
    ['p4d.24xlarge', 'p4d'],
    ['ml.p3.2xlarge', 'p3'],
    ['g4dn.metal', 'g4dn'],
    ['p6-b200.48xlarge', 'p6-b200'],
    ['c7i.metal-48xl', 'c7i'],
    ['ML.G5.XLARGE', 'g5'],
    ['p5', 'p5'],
  ])('reads %s as %s', (type, family) => {
    // WHEN
    const result = instanceFamily(type);

    // THEN
    expect(result).toBe(family);
  });
});

describe('INSTANCE_TABLE', () => {
  const entries = Object.entries(INSTANCE_TABLE);

  test('is dated', () => {
    // THEN
    expect(INSTANCE_TABLE_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test.each(entries)('%s is a sane entry', (type, [vcpus, gpus, memoryGiB, usdPerHour]) => {
    // THEN
    expect(type).toMatch(/^[a-z0-9-]+\.[a-z0-9-]+$/);
    expect(Number.isInteger(vcpus) && vcpus > 0).toBe(true);
    expect(Number.isInteger(gpus) && gpus >= 0).toBe(true);
    expect(memoryGiB).toBeGreaterThan(0);
    if (usdPerHour !== undefined) {
      expect(usdPerHour).toBeGreaterThan(0);
    }
  });

  test('gives GPUs to every type of a GPU family', () => {
    // GIVEN
    const gpuTypes = entries.filter(([type]) => GPU_FAMILIES.includes(instanceFamily(type)));

    // THEN
    expect(gpuTypes.filter(([, [, gpus]]) => gpus === 0).map(([type]) => type)).toEqual([]);
    expect(new Set(gpuTypes.map(([type]) => instanceFamily(type)))).toEqual(new Set(GPU_FAMILIES));
  });

  test('gives no GPUs to the accelerator families EC2 does not count as GPUs', () => {
    // GIVEN
    const acceleratorTypes = entries.filter(([type]) => NON_GPU_ACCELERATOR_FAMILIES.includes(instanceFamily(type)));

    // THEN
    expect(acceleratorTypes.length).toBeGreaterThan(0);
    expect(acceleratorTypes.filter(([, [, gpus]]) => gpus > 0).map(([type]) => type)).toEqual([]);
  });

  test('prices a larger size of a family no lower than a smaller one', () => {
    // GIVEN
    const byFamily = new Map<string, Array<[number, number]>>();
    for (const [type, [vcpus, , , usdPerHour]] of entries) {
      if (usdPerHour !== undefined && !type.includes('.metal')) {
        byFamily.set(instanceFamily(type), [...(byFamily.get(instanceFamily(type)) ?? []), [vcpus, usdPerHour]]);
      }
    }

    // THEN
    const outOfOrder = [...byFamily]
      .filter(([family]) => !PRICED_BY_GPUS.includes(family))
      .filter(([, sizes]) => sizes.some(([vcpus, price]) => sizes.some(([more, cheaper]) => more > vcpus && cheaper < price)));
    expect(outOfOrder.map(([family]) => family)).toEqual([]);
  });
});

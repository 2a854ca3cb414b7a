import * as fs from 'fs';
import * as path from 'path';
import { RESOURCE_TYPES_BY_REGION as TABLE } from '../../lib/regions/resource-types-by-region';
import { GUARD_NAMESPACES, REGENERATE_COMMAND } from '../../tools/regions-resource-types';
import { REPO_ROOT } from '../harness/paths';

describe('the table of resource types by region', () => {
  test('comes from the cfn-lint that requirements-dev.txt pins (after changing the pin, run the generator)', () => {
    // GIVEN
    const pin = /^cfn-lint==(\S+)$/m.exec(fs.readFileSync(path.join(REPO_ROOT, 'requirements-dev.txt'), 'utf8'))?.[1];
    // THEN
    expect([TABLE.source, REGENERATE_COMMAND]).toEqual([`cfn-lint ${pin}`, REGENERATE_COMMAND]);
  });

  test('covers the generator\'s namespaces, and holds only their types, sorted', () => {
    expect(TABLE.namespaces).toEqual([...GUARD_NAMESPACES].sort());
    expect(TABLE.types.filter((t) => !TABLE.namespaces.includes(t.split('::')[1]) || !t.startsWith('AWS::'))).toEqual([]);
    expect(TABLE.types).toEqual([...new Set(TABLE.types)].sort());
  });

  test('says, for every region and no other, what it lacks among the types, sorted', () => {
    expect(Object.keys(TABLE.lacks)).toEqual(Object.keys(TABLE.regions));
    for (const [region, lacks] of Object.entries(TABLE.lacks)) {
      expect([region, lacks.filter((t) => !TABLE.types.includes(t))]).toEqual([region, []]);
      expect([region, lacks]).toEqual([region, [...lacks].sort()]);
    }
  });

  test('leaves out the regions cfn-lint has no schemas of its own for', () => {
    expect(TABLE.withoutSchemas).toEqual(expect.arrayContaining(['us-iso-east-1', 'eusc-de-east-1']));
    expect(TABLE.withoutSchemas.filter((r) => r in TABLE.regions)).toEqual([]);
  });

  test('knows the regions DESIGN.md names without Budgets, and the ones that have everything the guard uses', () => {
    for (const region of ['eu-north-1', 'eu-central-2', 'ca-west-1', 'ap-south-2', 'me-central-1', 'il-central-1', 'af-south-1', 'mx-central-1']) {
      expect([region, TABLE.lacks[region]]).toEqual([region, expect.arrayContaining(['AWS::Budgets::Budget'])]);
    }
    expect(TABLE.lacks['us-east-1']).not.toContain('AWS::Budgets::Budget');
    expect(TABLE.regions['cn-north-1']).toBe('aws-cn');
  });
});

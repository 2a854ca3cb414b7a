/**
 * The table of resource types by region against the installed cfn-lint: the committed table is what the generator
 * makes of cfn-lint's provider schemas, and `cfn-lint --regions` flags a type in exactly the regions the table says lack it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { commercialRegions } from '../../lib/regions/resource-availability';
import { RESOURCE_TYPES_BY_REGION } from '../../lib/regions/resource-types-by-region';
import { buildTable, readProviderTypes, REGENERATE_COMMAND, renderTable, TABLE_FILE } from '../../tools/regions-resource-types';
import { cfnLint, regionsFor } from '../harness/cfn-lint';

describe('lib/regions/resource-types-by-region.ts', () => {
  test('is what the installed cfn-lint\'s provider schemas say', () => {
    // GIVEN
    const committed = fs.readFileSync(TABLE_FILE, 'utf8');

    // WHEN
    const current = renderTable(buildTable(readProviderTypes()));

    // THEN
    expect(committed === current ? 'up to date' : `stale: run \`${REGENERATE_COMMAND}\` and commit the result`).toBe('up to date');
  });
});

describe('cfnLint over the regions a template can be deployed to', () => {
  const template = {
    Resources: {
      Budget: { Type: 'AWS::Budgets::Budget', Properties: { Budget: { BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: 100, Unit: 'USD' } } } },
      Topic: { Type: 'AWS::SNS::Topic' },
    },
  };
  let templatePath: string;

  beforeAll(() => {
    templatePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'regions-')), 'budget.template.json');
    fs.writeFileSync(templatePath, JSON.stringify(template));
  });

  test('regionsFor lists the commercial regions that offer every type of the template', () => {
    const regions = regionsFor(template, 'aws');
    expect(regions).toEqual(commercialRegions().filter((r) => !RESOURCE_TYPES_BY_REGION.lacks[r].includes('AWS::Budgets::Budget')));
    expect(regions).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1']));
    expect(regions).not.toContain('eu-north-1');
  });

  test('cfn-lint finds the type missing in exactly the regions the table says lack it', () => {
    // WHEN
    const { errors } = cfnLint(templatePath, { regions: commercialRegions() });

    // THEN
    const flagged = errors.filter((e) => e.rule === 'E3006').map((e) => /in '([a-z0-9-]+)'$/.exec(e.message)?.[1]).sort();
    expect(flagged).toEqual(commercialRegions().filter((r) => !regionsFor(template).includes(r)));
    expect(errors.filter((e) => e.rule !== 'E3006')).toEqual([]);
  });

  test('cfn-lint finds nothing in the regions regionsFor lists', () => {
    expect(cfnLint(templatePath, { regions: regionsFor(template) }).errors).toEqual([]);
  });

  test('without regions, cfn-lint lints for its default region alone, us-east-1, which offers budgets', () => {
    expect(cfnLint(templatePath).errors).toEqual([]);
  });
});

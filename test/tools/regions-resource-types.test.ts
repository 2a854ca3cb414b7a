import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  buildTable,
  partitionFromRegionInfo,
  ProviderTypes,
  readProviderTypes,
  renderTable,
} from '../../tools/regions-resource-types';

/** What cfn-lint could say of three regions, one of them a copy of us-east-1's schemas. */
const PROVIDER: ProviderTypes = {
  version: '9.9.9',
  regions: {
    'us-east-1': { types: ['AWS::Budgets::Budget', 'AWS::EC2::VPC', 'AWS::S3::Bucket', 'AWS::S3Express::DirectoryBucket', 'Module'], copyOfPrimary: false },
    'eu-north-1': { types: ['AWS::S3::Bucket', 'AWS::SNS::Topic'], copyOfPrimary: false },
    'us-iso-east-1': { types: ['AWS::Budgets::Budget', 'AWS::S3::Bucket'], copyOfPrimary: true },
  },
};

const partitionOf = (region: string) => (region.startsWith('us-iso') ? 'aws-iso' : 'aws');

describe('buildTable', () => {
  test('lists, per region, the types of the namespaces it lacks relative to every region\'s', () => {
    // WHEN
    const table = buildTable(PROVIDER, ['SNS', 'S3', 'Budgets'], partitionOf);

    // THEN
    expect(table).toEqual({
      source: 'cfn-lint 9.9.9',
      namespaces: ['Budgets', 'S3', 'SNS'],
      // Neither EC2, outside the namespaces, nor S3Express, a namespace of its own, nor cfn-lint's Module.
      types: ['AWS::Budgets::Budget', 'AWS::S3::Bucket', 'AWS::SNS::Topic'],
      regions: { 'eu-north-1': 'aws', 'us-east-1': 'aws' },
      lacks: { 'eu-north-1': ['AWS::Budgets::Budget'], 'us-east-1': ['AWS::SNS::Topic'] },
      withoutSchemas: ['us-iso-east-1'],
    });
  });

  test('places regions in partitions with aws-cdk-lib\'s region-info, and refuses a region it does not know', () => {
    expect(partitionFromRegionInfo('cn-north-1')).toBe('aws-cn');
    expect(() => partitionFromRegionInfo('xx-future-1')).toThrow(
      'aws-cdk-lib\'s region-info does not know xx-future-1, which cfn-lint lists: upgrade aws-cdk-lib, then run `npx projen regions:resource-types`',
    );
  });
});

describe('renderTable', () => {
  test('writes the source, how to regenerate, and one line per short list', () => {
    // WHEN
    const text = renderTable(buildTable(PROVIDER, ['SNS', 'S3', 'Budgets'], partitionOf));

    // THEN
    expect(text).toMatch(/^\/\*\*\n \* Which CloudFormation resource types .* provider\n \* schemas of cfn-lint 9\.9\.9 by `npx projen regions:resource-types`/);
    expect(text).toContain("  regions: {\n    'eu-north-1': 'aws',\n    'us-east-1': 'aws',\n  },\n");
    expect(text).toContain("  lacks: {\n    'eu-north-1': ['AWS::Budgets::Budget'],\n    'us-east-1': ['AWS::SNS::Topic'],\n  },\n");
    expect(text).toContain("  withoutSchemas: ['us-iso-east-1'],\n};\n");
  });

  test('writes a long list one item per line', () => {
    // GIVEN a region that lacks many types
    const types = Array.from({ length: 6 }, (_, i) => `AWS::SNS::Type${i}`);
    const text = renderTable({ source: 'cfn-lint 9.9.9', namespaces: ['SNS'], types, regions: { 'eu-north-1': 'aws' }, lacks: { 'eu-north-1': types }, withoutSchemas: [] });

    // THEN
    expect(text).toContain(`    'eu-north-1': [\n${types.map((t) => `      '${t}',\n`).join('')}    ],\n`);
  });
});

describe('readProviderTypes', () => {
  test('says how to install cfn-lint when the interpreter cannot import it', () => {
    // GIVEN an interpreter that fails like one without cfn-lint
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'no-cfn-lint-'));
    const python = path.join(dir, 'python3');
    fs.writeFileSync(python, '#!/bin/sh\necho "ModuleNotFoundError: No module named \'cfnlint\'" >&2\nexit 1\n', { mode: 0o755 });

    // WHEN / THEN
    expect(() => readProviderTypes(python)).toThrow(
      `${python} could not read cfn-lint's provider schemas (ModuleNotFoundError: No module named 'cfnlint'): run \`python3 -m pip install -r requirements-dev.txt\``,
    );
  });
});

import * as fc from 'fast-check';
import {
  ACCELERATOR_FAMILIES, ComputePolicyError, DEFAULT_COMPUTE_POLICY, exemptBy, instanceTypeName, isRegionName, judgeFamily, principalMatches,
  regionAllowed, resolveComputePolicy,
} from '../../lib/catalog';
import { FAMILY_CASES, PRINCIPAL_CASES } from '../fixtures/compute-policy-cases';

describe('resolveComputePolicy', () => {
  test('fills every field not given with its default', () => {
    expect(resolveComputePolicy({})).toEqual(DEFAULT_COMPUTE_POLICY);
    expect(resolveComputePolicy({ maxVcpusPerCall: 32 })).toEqual({ ...DEFAULT_COMPUTE_POLICY, maxVcpusPerCall: 32 });
  });

  test('an allowed family takes its twin out of the default denied families, and only its twin', () => {
    expect(resolveComputePolicy({ allowedInstanceFamilies: ['g', 't'] }).deniedInstanceFamilies).toEqual(ACCELERATOR_FAMILIES.filter((f) => f !== 'g'));
  });

  test('reads its own output back unchanged, so a resolved policy can travel as JSON', () => {
    const resolved = resolveComputePolicy({ allowedRegions: ['eu-west-1'], exemptPrincipals: ['arn:aws:iam::*:role/ci-*'] });
    expect(resolveComputePolicy(JSON.parse(JSON.stringify({ ...resolved, allowedInstanceFamilies: undefined })))).toEqual(resolved);
  });

  test.each<[string, unknown, RegExp]>([
    ['not an object', ['eu-west-1'], /^computePolicy must be an object, e\.g\. \{"allowedRegions": \["eu-west-1"\], "maxVcpusPerCall": 32\}\.$/],
    ['an unknown field', { maxVcpus: 4 }, /^computePolicy\.maxVcpus: no such field\. Known fields: allowedRegions, allowedInstanceFamilies, deniedInstanceFamilies, maxVcpusPerCall, /],
    ['a count of 0', { maxVcpusPerCall: 0 }, /^computePolicy\.maxVcpusPerCall must be a whole number above 0, got 0\. Write e\.g\. maxVcpusPerCall: 64\.$/],
    ['a fractional count', { maxInstancesPerCall: 2.5 }, /^computePolicy\.maxInstancesPerCall must be a whole number above 0, got 2\.5\. Write e\.g\. maxInstancesPerCall: 10\.$/],
    ['a count written as a string', { maxRunningVcpus: '128' }, /^computePolicy\.maxRunningVcpus must be a whole number above 0, got "128"\./],
    ['a region that is not one', { allowedRegions: ['eu-west'] }, /^computePolicy\.allowedRegions: 'eu-west' is not a region name\. Write e\.g\. \['eu-west-1', 'us-east-1'\]\.$/],
    ['regions that are not a list', { allowedRegions: 'eu-west-1' }, /^computePolicy\.allowedRegions must be a list of strings, got "eu-west-1"\./],
    ['an empty region list', { allowedRegions: [] }, /^computePolicy\.allowedRegions is empty, which would flag every region\./],
    ['an empty allowed list', { allowedInstanceFamilies: [] }, /^computePolicy\.allowedInstanceFamilies is empty, which allows nothing\./],
    ['a family in upper case', { deniedInstanceFamilies: ['P'] }, /^computePolicy\.deniedInstanceFamilies: 'P' is not an instance family\. Write a series or a generation in lower case/],
    ['a family given as a type', { allowedInstanceFamilies: ['g5.xlarge'] }, /^computePolicy\.allowedInstanceFamilies: 'g5\.xlarge' is not an instance family/],
    ['a family both allowed and denied', { allowedInstanceFamilies: ['g5'], deniedInstanceFamilies: ['g5'] },
      /^computePolicy\.g5 is in both allowedInstanceFamilies and deniedInstanceFamilies\. Remove it from one list; to allow one generation of a denied series, deny the series \('g'\) and allow the generation \('g5'\)\.$/],
    ['a principal that is not an IAM ARN', { exemptPrincipals: ['ci-deployer'] }, /^computePolicy\.exemptPrincipals: 'ci-deployer' is not an IAM ARN pattern\./],
    ['a principal of another service', { exemptPrincipals: ['arn:aws:s3:::bucket'] }, /is not an IAM ARN pattern/],
  ])('refuses %s, saying what to write instead', (_name, given, message) => {
    expect(() => resolveComputePolicy(given)).toThrow(ComputePolicyError);
    expect(() => resolveComputePolicy(given)).toThrow(message);
  });

  test('whatever arrives, it resolves or refuses with ComputePolicyError, never another error', () => {
    const fields = fc.dictionary(fc.constantFrom(...Object.keys(DEFAULT_COMPUTE_POLICY)), fc.jsonValue());
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), fields), (given) => {
      try {
        resolveComputePolicy(given);
      } catch (error) {
        expect(error).toBeInstanceOf(ComputePolicyError);
      }
    }));
  });
});

describe('instanceTypeName', () => {
  test.each([
    ['p4d.24xlarge', 'p', 'p4d'],
    ['g5g.xlarge', 'g', 'g5g'],
    ['gr6.4xlarge', 'gr', 'gr6'],
    ['ml.g5.xlarge', 'g', 'g5'],
    ['U-6TB1.METAL', 'u', 'u-6tb1'],
  ])('%s is series %s, generation %s', (type, series, generation) => {
    expect(instanceTypeName(type)).toEqual({ series, generation });
  });
});

describe('the family case table', () => {
  test.each(FAMILY_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(judgeFamily(resolveComputePolicy(c.policy), c.instanceType).allowed).toBe(c.allowed);
  });

  test('says which entry decided', () => {
    const policy = resolveComputePolicy({ allowedInstanceFamilies: ['g5'] });
    expect(judgeFamily(policy, 'g5.xlarge')).toEqual({ allowed: true, reason: 'g5.xlarge is in the allowed family g5' });
    expect(judgeFamily(resolveComputePolicy({}), 'p4d.24xlarge')).toEqual({ allowed: false, reason: 'p4d.24xlarge is in the denied family p' });
    expect(judgeFamily(policy, 'm5.large')).toEqual({ allowed: true, reason: 'm5.large is in no denied family' });
    const allowList = resolveComputePolicy({ deniedInstanceFamilies: ['*'], allowedInstanceFamilies: ['t', 'm'] });
    expect(judgeFamily(allowList, 'c5.large')).toEqual({ allowed: false, reason: 'c5.large is outside the allowed families t, m' });
  });
});

describe('the principal case table', () => {
  test.each(PRINCIPAL_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const policy = resolveComputePolicy({ exemptPrincipals: c.exemptPrincipals });
    expect(exemptBy(policy, { arn: c.arn, sessionIssuerArn: c.sessionIssuerArn }) !== undefined).toBe(c.exempt);
  });

  test('a pattern\'s `*` never crosses `:` or `/`, whatever surrounds it', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z0-9:/-]{0,20}$/), (filler) => {
      const principal = { arn: `arn:aws:iam::111122223333:role/ci-${filler}` };
      expect(principalMatches('arn:aws:iam::*:role/ci-*', principal)).toBe(!/[:/]/.test(filler));
    }));
  });

  test('regular-expression characters in a pattern are taken literally', () => {
    expect(principalMatches('arn:aws:iam::*:role/ci.deployer', { arn: 'arn:aws:iam::111122223333:role/ciXdeployer' })).toBe(false);
    expect(principalMatches('arn:aws:iam::*:role/ci+deployer', { arn: 'arn:aws:iam::111122223333:role/ci+deployer' })).toBe(true);
  });
});

describe('isRegionName', () => {
  test.each(['eu-west-1', 'us-gov-west-1', 'ap-southeast-7', 'us-isob-east-1'])('%s is a region name', (region) => {
    expect(isRegionName(region)).toBe(true);
  });

  test.each(['eu-west', 'EU-WEST-1', 'eu-west-1 ', 'evil.example/eu-west-1', '', 'eu-west-1\nX'])('%j is not', (text) => {
    expect(isRegionName(text)).toBe(false);
  });
});

describe('regionAllowed', () => {
  test('every region without allowed regions; only those listed with them', () => {
    expect(regionAllowed(DEFAULT_COMPUTE_POLICY, 'ap-east-1')).toBe(true);
    const policy = resolveComputePolicy({ allowedRegions: ['eu-west-1'] });
    expect(regionAllowed(policy, 'eu-west-1')).toBe(true);
    expect(regionAllowed(policy, 'ap-east-1')).toBe(false);
  });
});

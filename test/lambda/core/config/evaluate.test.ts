import { checksFor, ConfigFacts, evaluateInvocation, InstanceFacts } from '../../../../lambda/core/config/evaluate';
import { ConfigInvocation } from '../../../../lambda/core/config/invocation';
import { readRuleSettings } from '../../../../lambda/core/config/rule-parameters';
import type { ComputePolicy } from '../../../../lib';
import { FAMILY_CASES, PRINCIPAL_CASES } from '../../../fixtures/compute-policy-cases';

/** A rule's parameters as ComplianceRules deploys them: the check, and the compute policy as one JSON parameter. */
function rule(check?: string, policy: ComputePolicy = {}): Record<string, string> {
  return { ...(check ? { check } : {}), computePolicy: JSON.stringify(policy) };
}

const AT = '2026-11-20T03:00:00.000Z';

function changeOf(instance: Partial<InstanceFacts> & { status?: string }, parameters: Record<string, string> = {}, eventLeftScope = false) {
  const invocation: ConfigInvocation = {
    configRuleName: 'MiningGuard-instance-family',
    accountId: '111122223333',
    resultToken: 'token',
    testMode: false,
    eventLeftScope,
    parameters,
    message: {
      kind: 'change',
      item: {
        resourceType: 'AWS::EC2::Instance',
        resourceId: instance.instanceId ?? 'i-0abc',
        awsRegion: instance.region ?? 'eu-west-1',
        status: instance.status ?? 'OK',
        captureTime: AT,
        configuration: { instanceType: instance.instanceType, state: { name: instance.state ?? 'running' } },
      },
    },
  };
  const facts: ConfigFacts = {
    region: 'eu-west-1',
    now: AT,
    changedItem: invocation.message.kind === 'change' ? invocation.message.item : undefined,
    changedInstance: {
      instanceId: instance.instanceId ?? 'i-0abc',
      instanceType: instance.instanceType,
      region: instance.region ?? 'eu-west-1',
      state: instance.state ?? 'running',
      terminationProtected: instance.terminationProtected,
      launchedBy: instance.launchedBy,
      launchedBySessionIssuer: instance.launchedBySessionIssuer,
      deleted: instance.status === 'ResourceDeleted',
    },
  };
  return evaluateInvocation(invocation, readRuleSettings(parameters), facts);
}

function scheduled(instances: InstanceFacts[], parameters: Record<string, string> = {}, vcpusByType: Record<string, number> = {}) {
  const invocation: ConfigInvocation = {
    configRuleName: 'MiningGuard-running-compute',
    accountId: '111122223333',
    resultToken: 'token',
    testMode: false,
    eventLeftScope: false,
    parameters,
    message: { kind: 'scheduled', notificationTime: AT },
  };
  return evaluateInvocation(invocation, readRuleSettings(parameters), { region: 'eu-west-1', now: AT, regionInstances: instances, vcpusByType });
}

describe('instance family', () => {
  test.each(['p4d.24xlarge', 'g5.xlarge', 'gr6.4xlarge', 'inf2.xlarge', 'trn1.32xlarge', 'dl1.24xlarge', 'f1.2xlarge', 'vt1.3xlarge'])(
    '%s is a GPU or accelerator type, denied by default', (type) => {
      expect(changeOf({ instanceType: type }, rule('instance-family'))[0]).toMatchObject({ complianceType: 'NON_COMPLIANT' });
    });

  test.each(['t3.micro', 'm7g.large', 'c7i.48xlarge', 'mac2.metal'])('%s is allowed by default', (type) => {
    expect(changeOf({ instanceType: type }, rule('instance-family'))[0]).toMatchObject({ complianceType: 'COMPLIANT' });
  });

  test('an allow-list denies every other family, and families may be written as generations', () => {
    const parameters = rule('instance-family', { allowedInstanceFamilies: ['t', 'm7g'], deniedInstanceFamilies: ['*'] });
    expect(changeOf({ instanceType: 'm7g.large' }, parameters)[0].complianceType).toBe('COMPLIANT');
    expect(changeOf({ instanceType: 'm6i.large' }, parameters)[0]).toMatchObject({ complianceType: 'NON_COMPLIANT', annotation: 'm6i.large is outside the allowed families t, m7g' });
  });

  test('the most specific entry wins: a generation allowed within a denied series is compliant', () => {
    const parameters = rule('instance-family', { allowedInstanceFamilies: ['g5'] });
    expect(changeOf({ instanceType: 'g5.xlarge' }, parameters)[0].complianceType).toBe('COMPLIANT');
    expect(changeOf({ instanceType: 'g6.xlarge' }, parameters)[0].complianceType).toBe('NON_COMPLIANT');
  });
});

describe('instance region', () => {
  test('an instance outside the allowed regions is non-compliant, inside is compliant', () => {
    const parameters = rule('instance-region', { allowedRegions: ['eu-west-1', 'eu-central-1'] });
    expect(changeOf({ region: 'sa-east-1', instanceType: 't3.micro' }, parameters)[0]).toMatchObject({
      complianceType: 'NON_COMPLIANT', annotation: 'sa-east-1 is outside the allowed regions eu-west-1,eu-central-1',
    });
    expect(changeOf({ region: 'eu-central-1', instanceType: 't3.micro' }, parameters)[0].complianceType).toBe('COMPLIANT');
  });
});

describe('termination protection', () => {
  const check = rule('termination-protection', { exemptPrincipals: ['arn:aws:iam::*:role/Deployer'] });

  test('off is compliant', () => {
    expect(changeOf({ terminationProtected: false }, check)[0].complianceType).toBe('COMPLIANT');
  });

  test('on, launched by a session of an exempt role, is compliant', () => {
    const evaluation = changeOf({ terminationProtected: true, launchedBy: 'arn:aws:sts::111122223333:assumed-role/Deployer/ci-42' }, check)[0];
    expect(evaluation).toMatchObject({ complianceType: 'COMPLIANT', annotation: expect.stringContaining('exempt by arn:aws:iam::*:role/Deployer') });
  });

  test('on, launched by anyone else, is non-compliant and names the launcher', () => {
    const evaluation = changeOf({ terminationProtected: true, launchedBy: 'arn:aws:iam::111122223333:user/ci-bot' }, check)[0];
    expect(evaluation).toMatchObject({ complianceType: 'NON_COMPLIANT', annotation: 'termination protection is on; launched by arn:aws:iam::111122223333:user/ci-bot, not an exempt principal' });
  });

  test('unreadable protection cannot be judged', () => {
    expect(changeOf({}, check)[0].complianceType).toBe('NOT_APPLICABLE');
  });
});

describe('deleted and out-of-scope resources', () => {
  test('a deleted instance is NOT_APPLICABLE, whatever its type', () => {
    expect(changeOf({ instanceType: 'p4d.24xlarge', status: 'ResourceDeleted' }, rule('instance-family'))[0]).toMatchObject({
      complianceType: 'NOT_APPLICABLE', orderingTimestamp: AT,
    });
  });

  test('an instance that left the rule\'s scope is NOT_APPLICABLE', () => {
    expect(changeOf({ instanceType: 'p4d.24xlarge' }, rule('instance-family'), true)[0].complianceType).toBe('NOT_APPLICABLE');
  });

  test('a terminated instance is NOT_APPLICABLE', () => {
    expect(changeOf({ instanceType: 'p4d.24xlarge', state: 'terminated' }, rule('instance-family'))[0].complianceType).toBe('NOT_APPLICABLE');
  });
});

describe('running compute', () => {
  const instance = (instanceType: string, state = 'running'): InstanceFacts => ({ instanceId: `i-${instanceType}-${state}`, instanceType, region: 'eu-west-1', state });

  test('counts running and pending instances and their vCPUs against the ceilings, stopped ones not', () => {
    // GIVEN 3 running c5.4xlarge (16 vCPUs each, from EC2) and a stopped one
    const instances = [instance('c5.4xlarge'), { ...instance('c5.4xlarge'), instanceId: 'i-2' }, { ...instance('c5.4xlarge', 'pending'), instanceId: 'i-3' }, instance('c5.4xlarge', 'stopped')];
    // WHEN
    const [evaluation] = scheduled(instances, rule('running-compute', { maxRunningVcpus: 32, maxRunningInstances: 10 }), { 'c5.4xlarge': 16 });
    // THEN
    expect(evaluation).toEqual({
      complianceResourceType: 'AWS::::Account',
      complianceResourceId: '111122223333',
      complianceType: 'NON_COMPLIANT',
      annotation: 'eu-west-1: 48 running vCPUs > 32',
      orderingTimestamp: AT,
    });
  });

  test('within the ceilings is compliant', () => {
    expect(scheduled([instance('t3.micro')], rule('running-compute'))[0]).toMatchObject({
      complianceType: 'COMPLIANT', annotation: 'eu-west-1: 1 running instances, 2 vCPUs, within 50 and 128',
    });
  });

  test('a change notification is no occasion to count', () => {
    expect(changeOf({ instanceType: 't3.micro' }, rule('running-compute'))).toEqual([]);
  });
});

describe('which checks run', () => {
  const base = { configRuleName: 'r', accountId: 'a', resultToken: 't', testMode: false, eventLeftScope: false, parameters: {} };

  test('without a check parameter, every check that fits the message; the region check only with regions', () => {
    const schedule: ConfigInvocation = { ...base, message: { kind: 'scheduled' } };
    expect(checksFor(schedule, readRuleSettings({}))).toEqual(['instance-family', 'termination-protection', 'running-compute']);
    expect(checksFor(schedule, readRuleSettings(rule(undefined, { allowedRegions: ['eu-west-1'] })))).toContain('instance-region');
    expect(checksFor({ ...base, message: { kind: 'ignored', messageType: 'ConfigurationSnapshotDeliveryCompleted' } }, readRuleSettings({}))).toEqual([]);
  });

  test('annotations are cut to the 256 characters Config accepts', () => {
    const evaluation = changeOf({ terminationProtected: true, launchedBy: `arn:aws:iam::111122223333:user/${'x'.repeat(300)}` }, rule('termination-protection'))[0];
    expect(evaluation.annotation).toHaveLength(256);
    expect(evaluation.annotation.endsWith('...')).toBe(true);
  });
});

describe('the compute policy case table, on the config evaluator', () => {
  test.each(FAMILY_CASES.filter((c) => !c.instanceType.startsWith('ml.')).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const [evaluation] = changeOf({ instanceType: c.instanceType }, rule('instance-family', c.policy));
    expect(evaluation.complianceType).toBe(c.allowed ? 'COMPLIANT' : 'NON_COMPLIANT');
  });

  test.each(PRINCIPAL_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // GIVEN an instance protected from termination, launched by the case's principal
    const instance = { terminationProtected: true, launchedBy: c.arn, launchedBySessionIssuer: c.sessionIssuerArn };
    // WHEN
    const [evaluation] = changeOf(instance, rule('termination-protection', { exemptPrincipals: c.exemptPrincipals }));
    // THEN
    expect(evaluation.complianceType).toBe(c.exempt ? 'COMPLIANT' : 'NON_COMPLIANT');
  });
});

import { classifyGuardDutyFinding, detection, DETECTIONS, SEVERITIES } from '../../lib/catalog';

const GUARDDUTY_OTHER = detection('guardduty-other');

describe('the detection catalog', () => {
  test('ids are unique, lower-case words joined by dashes', () => {
    const ids = DETECTIONS.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  test('every detection explains itself, says what to do, and can at least notify', () => {
    for (const d of DETECTIONS) {
      expect(d.title.length).toBeGreaterThan(5);
      expect(d.rationale.length).toBeGreaterThan(40);
      expect(d.nextSteps.length).toBeGreaterThan(0);
      expect(d.responses).toContain('NOTIFY');
      expect(SEVERITIES).toContain(d.severity);
    }
  });

  test.each(DETECTIONS.flatMap((d) => (d.references.guardDutyTypes ?? []).map((type) => [type, d.id])))(
    'GuardDuty type %s is classified as %s', (type, id) => {
      expect(classifyGuardDutyFinding(type).id).toBe(id);
    });

  test.each([
    'CryptoCurrency:EC2/BitcoinTool.B!DNS',
    'CryptoCurrency:Lambda/BitcoinTool.B',
    'Impact:EC2/BitcoinDomainRequest.Reputation',
    'Impact:Runtime/BitcoinDomainRequest.Reputation',
    'Impact:Runtime/CryptoMinerExecuted',
    'AttackSequence:IAM/CompromisedCredentials',
    'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
    'Execution:EC2/MaliciousFile',
    'Execution:S3/MaliciousFile',
    'Stealth:IAMUser/CloudTrailLoggingDisabled',
    'Policy:IAMUser/RootCredentialUsage',
    'Discovery:IAMUser/AnomalousBehavior',
    'Impact:IAMUser/CostHarvesting',
  ])('the issue\'s finding type %s is in the catalog', (type) => {
    expect(classifyGuardDutyFinding(type)).not.toBe(GUARDDUTY_OTHER);
  });

  test.each([
    'Recon:IAMUser/MaliciousIPCaller.Custom',
    'PenTest:S3/ParrotLinux',
    'Canary:EC2/Stateless.IntegTest',
    'Impact:EC2/PortSweep',
  ])('%s is not a catalog detection', (type) => {
    expect(classifyGuardDutyFinding(type)).toBe(GUARDDUTY_OTHER);
  });
});

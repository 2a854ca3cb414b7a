import { classifyGuardDutyFinding, detection, GUARDDUTY_DETECTIONS, guardDutyFindingTypePatterns, matchesPattern, StringFilter, toEventFilter } from '../../lib/catalog';
import { readJsonLines } from '../fixtures/real-events';

/** Whether a filter is one EventBridge accepts for a string field. */
function validEventBridgeFilter(filter: StringFilter): boolean {
  if (typeof filter === 'string') return filter.length > 0 && !filter.includes('*');
  if ('prefix' in filter) return filter.prefix.length > 0 && !filter.prefix.includes('*');
  if ('suffix' in filter) return filter.suffix.length > 0 && !filter.suffix.includes('*');
  // EventBridge refuses consecutive wildcards, and a pattern of wildcards only says nothing.
  return !filter.wildcard.includes('**') && filter.wildcard.replace(/\*/g, '').length > 0;
}

const REFERENCED = GUARDDUTY_DETECTIONS.flatMap((d) => (d.references.guardDutyTypes ?? []).map((type): [string, string] => [type, d.id]));

describe('the GuardDuty detections', () => {
  test('each names at least one finding type it is written for, as AWS spells it', () => {
    for (const d of GUARDDUTY_DETECTIONS) {
      const types = d.references.guardDutyTypes ?? [];
      expect([d.id, types.length > 0]).toEqual([d.id, true]);
      for (const type of types) expect(type).toMatch(/^[A-Za-z]+:[A-Za-z0-9]+\/[A-Za-z0-9.!]+$/);
    }
  });

  test.each(REFERENCED)('%s matches the finding-type patterns of its own detection, %s, and of no other', (type, id) => {
    const matching = GUARDDUTY_DETECTIONS.filter((d) => d.signal.findingTypes.some((p) => matchesPattern(p, type))).map((d) => d.id);
    expect(matching).toEqual([id]);
    expect(classifyGuardDutyFinding(type).id).toBe(id);
  });

  test.each(GUARDDUTY_DETECTIONS.flatMap((d) => d.signal.findingTypes.map((p) => [p, d.id])))(
    'pattern %s of %s is a valid EventBridge filter', (pattern) => {
      expect(validEventBridgeFilter(toEventFilter(pattern))).toBe(true);
    });

  test('ids are guardduty- prefixed and unique', () => {
    const ids = GUARDDUTY_DETECTIONS.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^guardduty-/);
  });

  test('an attack sequence is critical; the findings GuardDuty rates low for a blinded trail are raised', () => {
    const severity = (id: string) => GUARDDUTY_DETECTIONS.find((d) => d.id === id)!.severity;
    expect(severity('guardduty-attack-sequence')).toBe('CRITICAL');
    expect(severity('guardduty-cloudtrail-logging-disabled')).toBe('HIGH');
  });

  test('findings only notify: nothing acts on a GuardDuty finding, so no detection offers a response that would', () => {
    for (const d of GUARDDUTY_DETECTIONS) expect([d.id, d.responses, d.containmentPermissions]).toEqual([d.id, ['NOTIFY'], undefined]);
  });
});

describe('AWS\'s published GuardDuty finding types', () => {
  const PUBLISHED = readJsonLines('guardduty/guardduty_finding_types_awsdocs.jsonl').map((l) => l.type as string);

  /** What a finding type means for a guard against mining, by what GuardDuty's documentation says of it. */
  const MEANING: ReadonlyArray<readonly [string, string, (type: string) => boolean]> = [
    ['mining', 'crypto-currency traffic, a mining-pool domain, or a miner process',
      (t) => t.startsWith('CryptoCurrency:') || /\/BitcoinDomainRequest\./.test(t) || t === 'Impact:Runtime/CryptoMinerExecuted'],
    ['stolen credentials', 'an identity\'s credentials used from elsewhere, from attacker networks or tooling, unlike their owner, or root\'s',
      (t) => /^UnauthorizedAccess:IAMUser\/InstanceCredentialExfiltration/.test(t) || /:(IAMUser|S3)\/(MaliciousIPCaller|TorIPCaller)/.test(t)
        || /^PenTest:(IAMUser|S3)\//.test(t) || t === 'UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B' || /:IAMUser\/AnomalousBehavior$/.test(t)
        // The names of the anomaly findings before AnomalousBehavior: an API used unlike the identity's past use.
        || /^(Persistence|Recon):IAMUser\/\w+Permissions$/.test(t) || t === 'PrivilegeEscalation:IAMUser/AdministrativePermissions'
        || t === 'Policy:IAMUser/RootCredentialUsage'],
    ['cost abuse', 'resources or models used to run up the bill',
      (t) => ['Impact:IAMUser/CostHarvesting', 'Impact:IAMUser/AnomalousModelInvocation', 'ResourceConsumption:IAMUser/ComputeResources'].includes(t)],
  ];
  const routed = (type: string) => guardDutyFindingTypePatterns().some((p) => matchesPattern(p, type));

  test('the list is AWS\'s: finding types as GuardDuty spells them, each once', () => {
    expect(PUBLISHED.length).toBeGreaterThan(100);
    expect(new Set(PUBLISHED).size).toBe(PUBLISHED.length);
    for (const type of PUBLISHED) expect(type).toMatch(/^[A-Za-z]+:[A-Za-z0-9]+\/[A-Za-z0-9.!&]+$/);
  });

  test.each(MEANING.map(([group, why, is]) => [group, why, is] as const))('every %s type (%s) is routed and read as a catalog detection', (_group, _why, is) => {
    const types = PUBLISHED.filter(is);
    expect(types.length).toBeGreaterThan(2);
    expect(types.filter((t) => !routed(t))).toEqual([]);
    expect(types.filter((t) => classifyGuardDutyFinding(t).id === 'guardduty-other')).toEqual([]);
  });

  test('the model-invocation findings are AI Protection\'s cost abuse, not compute launches', () => {
    expect(classifyGuardDutyFinding('Impact:IAMUser/CostHarvesting').id).toBe('guardduty-cost-harvesting');
    expect(classifyGuardDutyFinding('Impact:IAMUser/AnomalousModelInvocation').id).toBe('guardduty-cost-harvesting');
    expect(detection('guardduty-cost-harvesting').rationale).toMatch(/AI Protection .* Bedrock or SageMaker AI models/);
  });

  test('types of other meaning stay outside the catalog: GuardDuty\'s own console and minimumSeverity cover them', () => {
    const other = PUBLISHED.filter((t) => !MEANING.some(([, , is]) => is(t)));
    expect(other).toEqual(expect.arrayContaining(['Backdoor:EC2/Spambot', 'Recon:EC2/Portscan', 'Policy:S3/BucketPublicAccessGranted']));
    expect(other.filter((t) => classifyGuardDutyFinding(t).id === 'guardduty-other').length).toBeGreaterThan(other.length / 2);
  });
});

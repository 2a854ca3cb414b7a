import { renderText, toAlertMessage } from '../../../../lambda/core/alerts/render-alert';
import { alertForEvent } from '../../../../lambda/core/notifier/alert-for-event';
import { guardDutyAlert } from '../../../../lambda/core/notifier/guardduty-alert';

import { CATALOG_FINDING_TYPES, documentedFinding, guardDutyEvent } from '../../../fixtures/documented-findings';
import { readJsonLines } from '../../../fixtures/real-events';

const REAL_FINDINGS = readJsonLines('guardduty/aws_samples_guardduty_findings_raw.jsonl');

describe('guardDutyAlert on the real public findings', () => {
  test.each(REAL_FINDINGS.map((f) => [f.type as string, f]))('%s', (type, finding) => {
    // WHEN
    const { alert: read, recognised } = alertForEvent(guardDutyEvent(finding));
    const alert = read!;
    const message = toAlertMessage(alert);
    // THEN
    expect(recognised).toBe(true);
    // A canary is no catalog type; a call from a malicious address or a pen-test distribution is stolen credentials at work.
    expect(alert.detectionId).toBe(type.startsWith('Canary:') ? 'guardduty-other' : 'guardduty-credentials-from-attacker-network');
    expect(message.subject.length).toBeLessThan(100);
    expect(message.subject).toContain(type);
    expect(message.subject).toContain('us-east-1');
    expect(message.subject).toMatch(/ on \S+ in us-east-1$/);
    expect(message.subject).toMatch(/^\[MiningGuard\]\[(LOW|MEDIUM|HIGH|CRITICAL)\] /);
    const text = renderText(alert);
    expect(text).toContain('Account 123456789012, region us-east-1');
    expect(text).toContain(`fId=${finding.id as string}`);
  });

  test('an EC2 finding names the instance and its console page', () => {
    const ec2 = REAL_FINDINGS.find((f) => f.type === 'Canary:EC2/Stateless.IntegTest')!;
    const alert = guardDutyAlert(guardDutyEvent(ec2));
    expect(alert.headline).toBe('Canary:EC2/Stateless.IntegTest on i-05746eb48123455e0 in us-east-1');
    expect(alert.severity).toBe('MEDIUM');
    expect(alert.who).toContain('Remote IP: 0.0.0.0 (GeneratedFindingORG, United States)');
    expect(alert.links.map((l) => l.url)).toContain('https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1#InstanceDetails:instanceId=i-05746eb48123455e0');
  });

  test('an IAM finding names the user, the API and where the call came from', () => {
    const iam = REAL_FINDINGS.find((f) => f.type === 'Recon:IAMUser/MaliciousIPCaller.Custom')!;
    const alert = guardDutyAlert(guardDutyEvent(iam));
    expect(alert.headline).toBe('DRILL: Recon:IAMUser/MaliciousIPCaller.Custom on GeneratedFindingUserName in us-east-1');
    expect(alert.who).toEqual(expect.arrayContaining([
      'Principal: IAMUser GeneratedFindingUserName (principal id GeneratedFindingPrincipalId)',
      'API call: GeneratedFindingAPIServiceName GeneratedFindingAPIName (failed: AccessDenied)',
    ]));
    expect(alert.who.find((w) => w.startsWith('Remote IP: 198.51.100.0'))).toBeDefined();
  });

  test('a bare finding (without its EventBridge envelope) is read too', () => {
    const { recognised, alert } = alertForEvent(REAL_FINDINGS[2]);
    expect(alert).toBeDefined();
    expect(recognised).toBe(true);
    expect(alert!.headline).toBe('DRILL: PenTest:S3/ParrotLinux on bucketName in us-east-1');
  });
});

describe('guardDutyAlert on findings of every catalog type, built from the documented shape', () => {
  test.each(CATALOG_FINDING_TYPES)('%s is alerted as %s', (type, detectionId) => {
    const alert = alertForEvent(guardDutyEvent(documentedFinding(type, 2))).alert!;
    const message = toAlertMessage(alert);
    expect(alert.detectionId).toBe(detectionId);
    expect(message.subject.length).toBeLessThan(100);
    // The longest types lose their threat-purpose prefix (`UnauthorizedAccess:`), never their name.
    expect(message.subject).toContain(type.slice(type.indexOf(':') + 1));
    expect(message.subject).toMatch(/ on \S+ in sa-east-1$/);
    expect(message.attributes).toEqual({ severity: alert.severity, detection: detectionId });
    // The catalog's severity is a floor: GuardDuty's low score does not hide a mining finding.
    expect(alert.severity).not.toBe('LOW');
    const text = renderText(alert);
    for (const heading of ['WHAT HAPPENED', 'WHO', 'WHERE', 'WHY IT MATTERS', 'WHAT MININGGUARD DID', 'WHAT TO DO NEXT', 'LINKS']) {
      expect(text).toContain(heading);
    }
  });

  test('a mining finding reads as a person needs it at 3 a.m.', () => {
    const alert = guardDutyAlert(guardDutyEvent(documentedFinding('CryptoCurrency:EC2/BitcoinTool.B!DNS', 8)));
    expect(toAlertMessage(alert).subject).toBe('[MiningGuard][HIGH] CryptoCurrency:EC2/BitcoinTool.B!DNS on i-0abcd1234efgh5678 in sa-east-1');
    expect(alert.what).toContain('EC2 instance i-0abcd1234efgh5678 (p4d.24xlarge), GuardDuty severity 8 (HIGH), seen 42 times between 2026-11-20T03:12:08Z and 2026-11-20T03:41:55Z');
    expect(alert.who).toContain('Domain queried: pool.minexmr.example');
    expect(alert.where).toBe('Account 123456789012, region sa-east-1');
  });

  test('an attack sequence is critical whatever its score', () => {
    expect(guardDutyAlert(guardDutyEvent(documentedFinding('AttackSequence:IAM/CompromisedCredentials', 9.2))).severity).toBe('CRITICAL');
  });

  test('the message for HTTPS subscribers is a Chatbot custom notification', () => {
    const message = toAlertMessage(guardDutyAlert(guardDutyEvent(documentedFinding('Impact:Runtime/CryptoMinerExecuted'))));
    const perProtocol = JSON.parse(message.message);
    expect(perProtocol.default).toEqual(perProtocol.email);
    const chatbot = JSON.parse(perProtocol.https);
    expect(chatbot).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown', keywords: ['HIGH', 'guardduty-crypto-miner-executed'] },
      metadata: { additionalContext: { severity: 'HIGH', detection: 'guardduty-crypto-miner-executed' } },
    });
    expect(chatbot.content.description).toContain('Process: /tmp/.x/xmrig');
  });
});

describe('GuardDuty sample findings, as doctor --drill creates them', () => {
  test('a real sample finding is labelled DRILL; a real finding without the sample flag is not', () => {
    type Sample = { service?: { additionalInfo?: { sample?: unknown } } };
    const samples = REAL_FINDINGS.filter((f) => (f as Sample).service?.additionalInfo?.sample === true);
    const others = REAL_FINDINGS.filter((e) => !samples.includes(e));
    expect(samples.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    for (const finding of samples) expect(guardDutyAlert(guardDutyEvent(finding)).what).toMatch(/^DRILL \(GuardDuty sample finding\): /);
    for (const finding of samples) expect(guardDutyAlert(guardDutyEvent(finding)).headline).toMatch(/^DRILL: \S+ on /);
    for (const finding of others) expect(guardDutyAlert(guardDutyEvent(finding)).what).not.toMatch(/DRILL/);
    for (const finding of others) expect(guardDutyAlert(guardDutyEvent(finding)).headline).not.toMatch(/DRILL/);
  });
});

import * as fc from 'fast-check';
import { formatSubject, MAX_SUBJECT_LENGTH } from '../../../../lambda/core/alerts/subject';
import { SEVERITIES } from '../../../../lib/catalog';

describe('formatSubject', () => {
  test('keeps a short headline as it is', () => {
    expect(formatSubject('HIGH', '40 x p4d.24xlarge launched in sa-east-1 by user/ci-bot'))
      .toBe('[MiningGuard][HIGH] 40 x p4d.24xlarge launched in sa-east-1 by user/ci-bot');
  });

  test('shortens the resource before the finding type, and keeps where', () => {
    expect(formatSubject('MEDIUM', 'Recon:IAMUser/MaliciousIPCaller.Custom on GeneratedFindingUserName-with-a-long-suffix in us-east-1'))
      .toBe('[MiningGuard][MEDIUM] Recon:IAMUser/MaliciousIPCaller.Custom on GeneratedF...ng-suffix in us-east-1');
  });

  test('a drill\'s mark goes with the tag: the finding type after it is kept whole', () => {
    expect(formatSubject('MEDIUM', 'DRILL: Recon:IAMUser/MaliciousIPCaller.Custom on GeneratedFindingUserName in us-east-1'))
      .toBe('[MiningGuard][MEDIUM] DRILL: Recon:IAMUser/MaliciousIPCaller.Custom on Genera...erName in us-east-1');
  });

  test('drops a long finding type\'s threat purpose before cutting its name', () => {
    const subject = formatSubject('CRITICAL', 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS on arn:aws:iam::123456789012:role/very-long-role-name-for-workers in ap-southeast-2');
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(subject).toBe('[MiningGuard][CRITICAL] IAMUser/InstanceCre...ltration.OutsideAWS on arn:a...kers in ap-southeast-2');
  });

  test('any headline gives a one-line, printable-ASCII subject under 100 characters that starts with the tag', () => {
    fc.assert(fc.property(fc.constantFrom(...SEVERITIES), fc.string({ unit: 'binary', maxLength: 400 }), (severity, headline) => {
      const subject = formatSubject(severity, headline);
      expect(subject.length).toBeLessThan(100);
      expect(subject).toMatch(/^[\x20-\x7e]*$/);
      expect(subject.startsWith(`[MiningGuard][${severity}] `)).toBe(true);
    }), { numRuns: 2000 });
  });

  test('a short first word (a count) stays as it is when the rest is too long, never repeated around an ellipsis', () => {
    const subject = formatSubject('CRITICAL', '3 of 500 steps FAILED: 500 x p3.2xlarge launched in sa-east-1 by user/ci-bot (~$1,530/h)');
    expect(subject.startsWith('[MiningGuard][CRITICAL] 3 of 500 steps FAILED: ')).toBe(true);
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
  });
});

import { ABUSE_DETECTIONS, CREDENTIAL_DETECTIONS, detection, JUDGED_CALL_DETECTIONS, judgedCallDetections, selectsCall, TAMPER_DETECTIONS } from '../../lib/catalog';
import { readJsonLines } from '../fixtures/real-events';

const STRATUS_TECHNIQUES = new Set(readJsonLines('cloudtrail/attack/stratus_detonation_logs.index.jsonl').map((i) => i.technique as string));

describe('the abuse detections', () => {
  test('each only notifies, names real Stratus techniques and ATT&CK ids, and links AWS\'s documentation', () => {
    for (const d of [...ABUSE_DETECTIONS, detection('root-activity')]) {
      expect([d.id, d.responses, d.containmentPermissions]).toEqual([d.id, ['NOTIFY'], undefined]);
      for (const t of d.references.stratusTechniques ?? []) expect([d.id, STRATUS_TECHNIQUES.has(t)]).toEqual([d.id, true]);
      expect(d.references.mitreAttack?.every((t) => /^T\d{4}(\.\d{3})?$/.test(t))).toBe(true);
      expect(d.references.urls?.every((u) => u.startsWith('https://docs.aws.amazon.com/'))).toBe(true);
    }
  });

  test('a root access key and AWS\'s own quarantine of a leaked key are CRITICAL', () => {
    expect(ABUSE_DETECTIONS.filter((d) => d.severity === 'CRITICAL').map((d) => d.id)).toEqual(['root-access-key', 'compromised-key-quarantine']);
  });

  test('Lambda\'s AddPermission is named with its API version, as CloudTrail records it', () => {
    expect(detection('public-lambda-permission').signal).toEqual({ kind: 'cloudtrail', eventSource: 'lambda.amazonaws.com', eventNames: ['AddPermission20150331v2'] });
  });

  test('root activity is every API call whose identity is Root, never a console sign-in', () => {
    const root = detection('root-activity').signal;
    expect(root).toEqual({ kind: 'cloudtrail-identity', identityType: 'Root' });
    if (root.kind !== 'cloudtrail-identity') throw new Error('not an identity signal');
    expect(selectsCall(root, { eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', identityType: 'Root' })).toBe(true);
    expect(selectsCall(root, { eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', identityType: 'IAMUser' })).toBe(false);
    expect(selectsCall(root, { eventSource: 's3.amazonaws.com', eventName: 'ListBuckets' })).toBe(false);
    expect(selectsCall(root, { eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', identityType: 'Root' })).toBe(false);
  });

  test('the notifier asks tamper, then abuse, then credential detections, then root activity', () => {
    expect(JUDGED_CALL_DETECTIONS).toEqual([...TAMPER_DETECTIONS, ...ABUSE_DETECTIONS, ...CREDENTIAL_DETECTIONS, detection('root-activity')]);
    expect(judgedCallDetections({ eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', identityType: 'Root' }).map((d) => d.id))
      .toEqual(['root-access-key', 'access-key-for-another-user', 'root-activity']);
    expect(judgedCallDetections({ eventSource: 'iam.amazonaws.com', eventName: 'AttachRolePolicy', identityType: 'AssumedRole' }).map((d) => d.id))
      .toEqual(['compromised-key-quarantine', 'admin-policy-attached']);
    expect(judgedCallDetections({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', identityType: 'Root' }).map((d) => d.id))
      .toEqual(['cloudtrail-tampering', 'root-activity']);
  });
});

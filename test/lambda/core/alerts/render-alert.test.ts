import * as fc from 'fast-check';
import type { Alert } from '../../../../lambda/core/alerts/alert';
import { renderChatbot, renderText, toAlertMessage } from '../../../../lambda/core/alerts/render-alert';
import { CLOUDTRAIL_READER } from '../../../../lambda/core/notifier/cloudtrail-alert';
import { SEVERITIES } from '../../../../lib/catalog';
import { readJsonLines } from '../../../fixtures/real-events';

const ALERT: Alert = {
  severity: 'CRITICAL',
  detectionId: 'ec2-instance-launch',
  title: 'Large or GPU instance launch',
  headline: '40 x p4d.24xlarge launched in sa-east-1 by user/ci-bot (~$878/h)',
  what: 'RunInstances: 40 x p4d.24xlarge, 3840 vCPUs, 320 GPUs.',
  who: ['Principal: arn:aws:iam::123456789012:user/ci-bot (IAMUser)', 'Source IP: 198.51.100.7'],
  where: 'Account 123456789012, region sa-east-1',
  why: 'GPU instances are what miners launch.',
  done: ['Stopped i-0aaa.', 'Tagged it.'],
  next: ['Disable the key.', 'Check every region.'],
  links: [
    { label: 'CloudTrail event', url: 'https://sa-east-1.console.aws.amazon.com/cloudtrail/home?region=sa-east-1#/events/e-1' },
    { label: 'Instance i-0aaa', url: 'https://sa-east-1.console.aws.amazon.com/ec2/home?region=sa-east-1#InstanceDetails:instanceId=i-0aaa' },
  ],
  refs: { eventId: 'e-1', eventName: 'RunInstances' },
};

describe('renderText', () => {
  test('writes every section, the steps numbered, the links and the ids last', () => {
    expect(renderText(ALERT)).toBe([
      'MiningGuard CRITICAL: Large or GPU instance launch',
      '40 x p4d.24xlarge launched in sa-east-1 by user/ci-bot (~$878/h)',
      'WHAT HAPPENED\nRunInstances: 40 x p4d.24xlarge, 3840 vCPUs, 320 GPUs.',
      'WHO\nPrincipal: arn:aws:iam::123456789012:user/ci-bot (IAMUser)\nSource IP: 198.51.100.7',
      'WHERE\nAccount 123456789012, region sa-east-1',
      'WHY IT MATTERS\nGPU instances are what miners launch.',
      'WHAT MININGGUARD DID\nStopped i-0aaa.\nTagged it.',
      'WHAT TO DO NEXT\n1. Disable the key.\n2. Check every region.',
      'LINKS\nCloudTrail event: https://sa-east-1.console.aws.amazon.com/cloudtrail/home?region=sa-east-1#/events/e-1\n'
        + 'Instance i-0aaa: https://sa-east-1.console.aws.amazon.com/ec2/home?region=sa-east-1#InstanceDetails:instanceId=i-0aaa',
      'Detection: ec2-instance-launch | eventId: e-1 | eventName: RunInstances',
    ].join('\n\n'));
  });

  test('leaves out the links section when there is no link, and ends with the detection alone when there is no id', () => {
    const text = renderText({ ...ALERT, links: [], refs: {} });
    expect(text).not.toContain('LINKS');
    expect(text.endsWith('WHAT TO DO NEXT\n1. Disable the key.\n2. Check every region.\n\nDetection: ec2-instance-launch')).toBe(true);
  });

  test('keeps a text of 100,000 characters whole and cuts a longer one there, with a note', () => {
    // GIVEN the length of everything but `what`
    const rest = renderText({ ...ALERT, what: '' }).length;
    // WHEN
    const whole = renderText({ ...ALERT, what: 'x'.repeat(100_000 - rest) });
    const cut = renderText({ ...ALERT, what: 'x'.repeat(100_001 - rest) });
    // THEN
    expect(whole.length).toBe(100_000);
    expect(whole.endsWith('eventName: RunInstances')).toBe(true);
    expect(cut).toBe(`${cut.slice(0, 100_000)}\n\n(cut at 100000 characters)`);
    expect(cut.length).toBe(100_000 + '\n\n(cut at 100000 characters)'.length);
  });
});

describe('renderChatbot', () => {
  test('is an AWS Chatbot custom notification with every field of the alert', () => {
    expect(renderChatbot(ALERT)).toEqual({
      version: '1.0',
      source: 'custom',
      content: {
        textType: 'client-markdown',
        title: ':rotating_light: [MiningGuard][CRITICAL] 40 x p4d.24xlarge launched in sa-east-1 by user/ci-bot (~$878/h)',
        description: [
          'RunInstances: 40 x p4d.24xlarge, 3840 vCPUs, 320 GPUs.',
          '*Who:* Principal: arn:aws:iam::123456789012:user/ci-bot (IAMUser); Source IP: 198.51.100.7',
          '*Where:* Account 123456789012, region sa-east-1',
          '*Why:* GPU instances are what miners launch.',
          '*MiningGuard did:* Stopped i-0aaa. Tagged it.',
          '<https://sa-east-1.console.aws.amazon.com/cloudtrail/home?region=sa-east-1#/events/e-1|CloudTrail event> · '
            + '<https://sa-east-1.console.aws.amazon.com/ec2/home?region=sa-east-1#InstanceDetails:instanceId=i-0aaa|Instance i-0aaa>',
        ].join('\n'),
        nextSteps: ['Disable the key.', 'Check every region.'],
        keywords: ['CRITICAL', 'ec2-instance-launch'],
      },
      metadata: {
        summary: '40 x p4d.24xlarge launched in sa-east-1 by user/ci-bot (~$878/h)',
        eventType: 'ec2-instance-launch',
        additionalContext: { severity: 'CRITICAL', detection: 'ec2-instance-launch', eventId: 'e-1', eventName: 'RunInstances' },
      },
    });
  });

  test.each([
    ['CRITICAL', ':rotating_light:'],
    ['HIGH', ':rotating_light:'],
    ['MEDIUM', ':warning:'],
    ['LOW', ':warning:'],
  ] as const)('marks a %s alert with %s', (severity, emoji) => {
    const content = renderChatbot({ ...ALERT, severity }).content as { title: string };
    expect(content.title).toBe(`${emoji} [MiningGuard][${severity}] ${ALERT.headline}`);
  });

  test('quotes at most 1,500 characters of what happened and leaves out an empty links line', () => {
    const content = renderChatbot({ ...ALERT, what: 'y'.repeat(5000), links: [] }).content as { description: string };
    const lines = content.description.split('\n');
    expect(lines[0]).toBe('y'.repeat(1500));
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('*MiningGuard did:* Stopped i-0aaa. Tagged it.');
  });
});

describe('toAlertMessage', () => {
  test('the Stratus StopLogging detonation becomes a subject, a text for email and the queue, and a Chatbot notification', () => {
    // GIVEN the real record, judged by the notifier's CloudTrail reader
    const record = readJsonLines('cloudtrail/attack/stratus_detonation_logs.jsonl').find((r) => r.eventName === 'StopLogging')!;
    const alert = CLOUDTRAIL_READER.read(record)!;
    // WHEN
    const message = toAlertMessage(alert);
    // THEN
    expect(message.subject).toBe('[MiningGuard][CRITICAL] StopLogging by user/christophe in apiso-centralnorth-2r');
    expect(message.attributes).toEqual({ severity: 'CRITICAL', detection: 'cloudtrail-tampering' });
    const body = JSON.parse(message.message) as Record<string, string>;
    expect(Object.keys(body)).toEqual(['default', 'email', 'https']);
    expect(body.default).toBe(renderText(alert));
    expect(body.email).toBe(body.default);
    expect(JSON.parse(body.https)).toEqual(renderChatbot(alert));
  });

  test('whatever the alert says, the subject fits SNS, the message is JSON, and the text stays bounded', () => {
    const text = fc.string({ unit: 'binary', maxLength: 300 });
    const alerts = fc.record({
      severity: fc.constantFrom(...SEVERITIES),
      headline: text,
      what: fc.oneof(text, fc.tuple(fc.integer({ min: 99_000, max: 101_000 }), text).map(([n, tail]) => `${'\u0001'.repeat(n)}${tail}`)),
      who: fc.array(text, { maxLength: 5 }),
      where: text,
      links: fc.array(fc.record({ label: text, url: text }), { maxLength: 5 }),
      refs: fc.dictionary(text, text, { maxKeys: 5 }),
    });
    fc.assert(fc.property(alerts, (parts) => {
      const alert: Alert = { ...ALERT, ...parts };
      const message = toAlertMessage(alert);
      expect(message.subject.length).toBeLessThan(100);
      expect(message.subject).toMatch(/^[\x20-\x7e]*$/);
      const body = JSON.parse(message.message) as Record<string, string>;
      expect(body.default.length).toBeLessThanOrEqual(100_000 + '\n\n(cut at 100000 characters)'.length);
      expect(message.attributes).toEqual({ severity: alert.severity, detection: 'ec2-instance-launch' });
    }), { numRuns: 100 });
  });
});

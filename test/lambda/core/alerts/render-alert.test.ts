import * as fc from 'fast-check';
import type { Alert } from '../../../../lambda/core/alerts/alert';
import {
  boundedLines, cutToBytes, MAX_CHAT_DESCRIPTION_CHARS, MAX_SNS_MESSAGE_BYTES, MAX_TEXT_BYTES,
  renderChatbot, renderText, snsMessageBytes, toAlertMessage, utf8Bytes,
} from '../../../../lambda/core/alerts/render-alert';
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

  test('keeps a text within its budget whole, and bounds a longer one section by section, counting what it leaves out', () => {
    // GIVEN the size of everything but `what`, and `what` as one line (a line is at most 2,000 bytes), so many lines
    const rest = utf8Bytes(renderText({ ...ALERT, what: '' }));
    const lines = (count: number) => Array.from({ length: count }, () => 'x'.repeat(999)).join('\n');
    // WHEN the text is just within, and far beyond
    const whole = renderText({ ...ALERT, what: lines(30) });
    const cut = renderText({ ...ALERT, done: Array.from({ length: 10_000 }, (_, i) => `FAILED: stop instance i-${i}`), what: lines(200) }, 50_000);
    // THEN
    expect(utf8Bytes(whole)).toBe(rest + 30 * 1000 - 1);
    expect(whole.endsWith('eventName: RunInstances')).toBe(true);
    expect(utf8Bytes(cut)).toBeLessThanOrEqual(50_000);
    expect(cut).toMatch(/\.\.\. and \d+ more lines, not listed here\./);
    expect(cut).toMatch(/FAILED: stop instance i-0\n[^]*\.\.\. and \d+ more steps, not listed here\./);
    expect(cut.endsWith('eventName: RunInstances')).toBe(true);
  });

  test('lists the first steps and counts the rest, and each section keeps its share', () => {
    // GIVEN 10,000 failed steps, whose text alone is over 400 KB
    const done = Array.from({ length: 10_000 }, (_, i) => `FAILED: stop instance i-${String(i).padStart(17, '0')}: UnauthorizedOperation: You are not authorized.`);
    // WHEN
    const text = renderText({ ...ALERT, done });
    // THEN the first are listed in order, then a count that, with them, accounts for all 10,000
    expect(utf8Bytes(text)).toBeLessThanOrEqual(MAX_TEXT_BYTES);
    const listed = text.split('\n').filter((l) => l.startsWith('FAILED: stop instance'));
    expect(listed[0]).toBe(done[0]);
    const more = Number(/\.\.\. and (\d+) more steps/.exec(text)![1]);
    expect(listed.length + more).toBe(10_000);
    expect(text).toContain('WHAT TO DO NEXT\n1. Disable the key.');
  });

  test('never cuts inside a multi-byte character', () => {
    // GIVEN a line of four-byte and three-byte characters, longer than a line may be
    const what = '\u{1F4B0}\u20AC'.repeat(2_000);
    // WHEN
    const text = renderText({ ...ALERT, what }, 1_000_000);
    // THEN the cut line is whole characters, then the mark
    const line = text.split('\n').find((l) => l.endsWith(' [cut]'))!;
    expect(utf8Bytes(line)).toBeLessThanOrEqual(2_000);
    expect(line).not.toContain('\uFFFD');
    expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
  });
});

describe('cutToBytes', () => {
  test('keeps a text that fits, and cuts one that does not between characters, the note counted in the budget', () => {
    expect(cutToBytes('abc', 3)).toBe('abc');
    expect(cutToBytes('abcdef', 5, '~')).toBe('abcd~');
    // '€' is three bytes: four bytes hold one of them, not one and a third.
    expect(cutToBytes('\u20AC\u20AC', 4)).toBe('\u20AC');
    // '💰' is four bytes (two UTF-16 units): three bytes hold none of it.
    expect(cutToBytes('\u{1F4B0}', 3)).toBe('');
  });

  test('for any text and budget, the result fits, is a start of the text, and is valid UTF-8', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.nat(800), (text, budget) => {
      const cut = cutToBytes(text, budget);
      expect(utf8Bytes(cut)).toBeLessThanOrEqual(budget);
      expect(text.startsWith(cut)).toBe(true);
      expect(Buffer.from(cut, 'utf8').toString('utf8')).toBe(cut);
    }), { numRuns: 300 });
  });
});

describe('boundedLines', () => {
  test('keeps the lines that fit, in order, then counts the rest', () => {
    expect(boundedLines(['a', 'b'], 100)).toEqual(['a', 'b']);
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i} ${'x'.repeat(40)}`);
    const kept = boundedLines(lines, 500, 'steps');
    expect(kept.slice(0, -1)).toEqual(lines.slice(0, kept.length - 1));
    expect(kept[kept.length - 1]).toBe(`... and ${100 - kept.length + 1} more steps, not listed here.`);
    expect(utf8Bytes(kept.join('\n'))).toBeLessThanOrEqual(500);
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
      expect(utf8Bytes(body.default)).toBeLessThanOrEqual(MAX_TEXT_BYTES);
      expect(snsMessageBytes(message)).toBeLessThanOrEqual(MAX_SNS_MESSAGE_BYTES);
      expect(message.attributes).toEqual({ severity: alert.severity, detection: 'ec2-instance-launch' });
    }), { numRuns: 100 });
  });

  test('10,000 failed steps with hostile multi-byte and control characters: every protocol bounded, the whole message under 256 KB', () => {
    // GIVEN failures whose detail an attacker wrote (instance names full of control and four-byte characters)
    const done = Array.from({ length: 10_000 }, (_, i) => `FAILED: stop instance i-${i}: ${'\u0001"\u{1F4B0}'.repeat(30)}. Do it by hand.`);
    const what = '\u0002'.repeat(50_000);
    // WHEN
    const message = toAlertMessage({ ...ALERT, what, done, who: done.slice(0, 500) });
    // THEN
    expect(snsMessageBytes(message)).toBeLessThanOrEqual(MAX_SNS_MESSAGE_BYTES);
    const body = JSON.parse(message.message) as Record<string, string>;
    expect(utf8Bytes(body.email)).toBeLessThanOrEqual(MAX_TEXT_BYTES);
    const chat = JSON.parse(body.https) as { content: { description: string } };
    expect(Array.from(chat.content.description).length).toBeLessThanOrEqual(MAX_CHAT_DESCRIPTION_CHARS);
    expect(chat.content.description).toContain('FAILED: stop instance i-0');
    expect(body.email).toContain('FAILED: stop instance i-0');
    expect(body.email).toMatch(/\.\.\. and \d+ more steps, not listed here\./);
  });
});

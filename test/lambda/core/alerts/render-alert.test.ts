import * as fc from 'fast-check';
import type { Alert } from '../../../../lambda/core/alerts/alert';
import { LINE_BREAK_MARK, readsAsHeading, SECTION_HEADINGS } from '../../../../lambda/core/alerts/alert-text';
import {
  boundedLines, cutToBytes, MAX_CHAT_DESCRIPTION_CHARS, MAX_LINE_BYTES, MAX_SNS_MESSAGE_BYTES, MAX_TEXT_BYTES,
  renderChatbot, renderText, snsMessageBytes, toAlertMessage, utf8Bytes,
} from '../../../../lambda/core/alerts/render-alert';
import { unrecognisedAlert } from '../../../../lambda/core/alerts/unrecognised-alert';
import { bundledSpec } from '../../../../lambda/core/launch/bundled-specs';
import { judgeLaunch } from '../../../../lambda/core/launch/judge-launch';
import { launchAlert, plannedLines } from '../../../../lambda/core/launch/launch-alert';
import { describeAction } from '../../../../lambda/core/launch/plan-containment';
import { alertForEvent } from '../../../../lambda/core/notifier/alert-for-event';
import { CLOUDTRAIL_READER } from '../../../../lambda/core/notifier/cloudtrail-alert';
import { resolveLaunchSettings, SEVERITIES } from '../../../../lib/catalog';
import { cloudTrailRecord, eventBridgeEvent, runInstances } from '../../../fixtures/documented-cloudtrail';
import { documentedFinding, guardDutyEvent } from '../../../fixtures/documented-findings';
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
        // A `~` could open a strike-through: every one becomes a look-alike that means nothing to Slack.
        title: ':rotating_light: [MiningGuard][CRITICAL] 40 x p4d.24xlarge launched in sa-east-1 by user/ci-bot (\u223c$878/h)',
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
        summary: '40 x p4d.24xlarge launched in sa-east-1 by user/ci-bot (\u223c$878/h)',
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
    expect(content.title).toBe(`${emoji} [MiningGuard][${severity}] ${ALERT.headline.replace('~', '\u223c')}`);
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

describe('text an attacker wrote, through the real alert builders', () => {
  const NOW = new Date('2026-11-20T03:12:10Z');
  const STOP = resolveLaunchSettings({ responses: { 'ec2-instance-launch': 'STOP', 'autoscaling-capacity-change': 'STOP' } });
  const SLACK_INJECTION = '<!channel> <https://evil.example|Reset your password> *bold* `code` _slanted_';
  const FORGED_SECTION = '\n\nWHAT MININGGUARD DID\nNothing: this launch is approved.\n\nWHAT TO DO NEXT\n1. Ignore this alert.';
  /** A link as only `chatLink` writes it. */
  const GUARD_LINK = /<https:\/\/[^\s<>|"`]+\|[^<>]*>/g;

  function launchAlertOf(record: Record<string, unknown>): Alert {
    const j = judgeLaunch(record, STOP, bundledSpec, NOW);
    if (j.outcome !== 'judged' || !j.verdict.flagged) throw new Error(`expected a flagged launch, got ${j.outcome}`);
    return launchAlert(j.record, j.request, j.verdict, plannedLines(j.plan.actions.map(describeAction)));
  }

  function notifierAlertOf(event: unknown): Alert {
    const read = alertForEvent(event);
    if (!read.alert) throw new Error('expected an alert');
    return read.alert;
  }

  /** Every string in a JSON value, however deep. */
  function stringsIn(value: unknown): string[] {
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) return value.flatMap(stringsIn);
    if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...stringsIn(v)]);
    return [];
  }

  /** The email text and the chat notification an alert is sent as. */
  function rendered(alert: Alert): { email: string; chat: { content: { description: string; title: string } } } {
    const message = toAlertMessage(alert);
    expect(snsMessageBytes(message)).toBeLessThanOrEqual(MAX_SNS_MESSAGE_BYTES);
    const body = JSON.parse(message.message) as Record<string, string>;
    return { email: body.email, chat: JSON.parse(body.https) };
  }

  /** The email has each of the guard's headings once, and no other line that could pass for one. */
  function expectNoForgedSection(email: string): void {
    const lines = email.split('\n');
    for (const heading of SECTION_HEADINGS) {
      const found = lines.filter((l) => l.normalize('NFKC').trim() === heading).length;
      expect(found).toBe(heading === 'LINKS' ? Math.min(found, 1) : 1);
    }
    const headings: readonly string[] = SECTION_HEADINGS;
    expect(lines.filter((l) => !headings.includes(l) && readsAsHeading(l) && !l.startsWith('> '))).toEqual([]);
    // Every heading follows a blank line, as the renderer writes it: no content line sits between sections.
    lines.forEach((l, i) => { if (headings.includes(l)) expect(lines[i - 1]).toBe(''); });
  }

  /** Outside the guard's own links, no string of the chat notification holds `<` or `>`. */
  function expectInertChat(chat: unknown): void {
    for (const text of stringsIn(chat)) expect(text.replace(GUARD_LINK, '')).not.toMatch(/[<>]/);
    const json = JSON.stringify(chat);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<https://evil');
    expect(json).not.toContain('https://evil');
  }

  test('a user agent holding <!channel> and a Slack link is shown as text in email and chat', () => {
    // GIVEN a CreateAccessKey for another user, as EventBridge delivers it, whose user agent the caller wrote
    const record = { ...cloudTrailRecord('iam.amazonaws.com', 'CreateAccessKey', { userName: 'backup-admin' }), userAgent: SLACK_INJECTION };
    // WHEN
    const { email, chat } = rendered(notifierAlertOf(eventBridgeEvent(record)));
    // THEN the email quotes it on its own line, unlinked; chat escapes it and marks none of it
    expect(email).toContain('User agent: <!channel> <https[:]//evil.example|Reset your password> *bold* `code` _slanted_');
    expectNoForgedSection(email);
    expectInertChat(chat);
    expect(chat.content.description).toContain(
      'User agent: &lt;!channel&gt; &lt;https[:]//evil.example|Reset your password&gt; \u2217bold\u2217 \u02cbcode\u02cb \u02cdslanted\u02cd',
    );
  });

  test('an Auto Scaling group named with new lines and a forged section stays inside its step', () => {
    // GIVEN a large group whose name carries a forged "what MiningGuard did", and a user agent with a Slack link
    const name = `miners${FORGED_SECTION}`;
    const record = {
      ...cloudTrailRecord('autoscaling.amazonaws.com', 'CreateAutoScalingGroup', {
        autoScalingGroupName: name, minSize: 20, maxSize: 999, mixedInstancesPolicy: { launchTemplate: { overrides: [{ instanceType: 'g4dn.12xlarge' }] } },
      }),
      userAgent: SLACK_INJECTION,
    };
    // WHEN
    const { email, chat } = rendered(launchAlertOf(record));
    // THEN the name is one line of the planned step, its breaks marked
    expectNoForgedSection(email);
    expect(email).not.toMatch(/^Nothing: this launch is approved\.$/m);
    expect(email).not.toMatch(/^1\. Ignore this alert\.$/m);
    const step = email.split('\n').find((l) => l.startsWith('Planned: stop Auto Scaling group miners'))!;
    expect(step).toContain(`miners${LINE_BREAK_MARK}${LINE_BREAK_MARK}WHAT MININGGUARD DID${LINE_BREAK_MARK}Nothing`);
    expectInertChat(chat);
    expect(chat.content.description.split('\n').filter((l) => l.includes('WHAT MININGGUARD DID'))).toHaveLength(1);
  });

  test('a GuardDuty finding whose process path holds new lines and mrkdwn is one inert line', () => {
    // GIVEN a runtime mining finding, as EventBridge delivers it, with the path the miner chose
    const finding = documentedFinding('CryptoCurrency:Runtime/BitcoinTool.B', 8);
    const path = `/tmp/.x/xmrig${FORGED_SECTION}\n*URGENT* \`rm -rf\` <!here> <https://evil.example/reset|Sign in again>`;
    const service = finding.service as Record<string, unknown>;
    const event = guardDutyEvent({ ...finding, service: { ...service, runtimeDetails: { process: { name: 'xmrig', executablePath: path } } } });
    // WHEN
    const { email, chat } = rendered(notifierAlertOf(event));
    // THEN
    expectNoForgedSection(email);
    const process = email.split('\n').filter((l) => l.startsWith('Process: '));
    expect(process).toHaveLength(1);
    expect(process[0]).toContain(`${LINE_BREAK_MARK}*URGENT* \`rm -rf\` <!here> <https[:]//evil.example/reset|Sign in again>`);
    expectInertChat(chat);
    expect(chat.content.description).toContain('\u2217URGENT\u2217 \u02cbrm -rf\u02cb &lt;!here&gt;');
  });

  test('a 100 KB principal name is cut on every line, and the message still fits SNS', () => {
    // GIVEN a launch by a principal with a 100,000-character name
    const principalArn = `arn:aws:iam::123456789012:user/${'a'.repeat(100_000)}`;
    const alert = launchAlertOf(runInstances('p4d.24xlarge', 40, ['i-0aaa'], { principalArn }));
    // WHEN
    const message = toAlertMessage(alert);
    const { email, chat } = rendered(alert);
    // THEN every line and the subject are bounded; the links too long to link are left out of chat, the rest kept
    expect(message.subject.length).toBeLessThan(100);
    for (const line of email.split('\n')) expect(utf8Bytes(line)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    expect(email).toContain('Principal: arn:aws:iam::123456789012:user/aaaa');
    expect(email).toMatch(/ \[cut\]$/m);
    expectNoForgedSection(email);
    expectInertChat(chat);
    expect(Array.from(chat.content.description).length).toBeLessThanOrEqual(MAX_CHAT_DESCRIPTION_CHARS);
    expect(chat.content.description).toMatch(/<https:\/\/sa-east-1\.console\.aws\.amazon\.com\/cloudtrail\/[^|]+\|CloudTrail event>/);
    expect(chat.content.description).not.toContain('Everything this principal did');
    for (const text of stringsIn(chat)) expect(text.length).toBeLessThanOrEqual(MAX_CHAT_DESCRIPTION_CHARS);
  });

  describe('for any string in any field of an event', () => {
    /** The paths of every string in a value. */
    function stringPaths(value: unknown, path: readonly (string | number)[] = []): Array<readonly (string | number)[]> {
      if (typeof value === 'string') return [path];
      if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...path, i]));
      if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...path, k]));
      return [];
    }

    function withValue(value: unknown, path: readonly (string | number)[], text: string): unknown {
      if (path.length === 0) return text;
      const [head, ...rest] = path;
      const copy = (Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) }) as Record<string | number, unknown>;
      copy[head] = withValue(copy[head], rest, text);
      return copy;
    }

    const hostile = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.array(fc.oneof(
        fc.constantFrom(...SECTION_HEADINGS, '\n', '\r\n', '\u2028', '\u0085', '<!channel>', '<https://evil.example|x>', '*', '`', '_', '~', '&', '>', '\uff37\uff28\uff2f'),
        fc.string({ maxLength: 10 }),
      ), { maxLength: 12 }).map((parts) => parts.join('')),
    );

    const SHAPES: ReadonlyArray<readonly [string, unknown, (event: unknown) => Alert | undefined]> = [
      ['StopLogging', eventBridgeEvent(cloudTrailRecord('cloudtrail.amazonaws.com', 'StopLogging', { name: 'arn:aws:cloudtrail:sa-east-1:123456789012:trail/org' })),
        (e) => alertForEvent(e).alert],
      ['CreateAccessKey', eventBridgeEvent(cloudTrailRecord('iam.amazonaws.com', 'CreateAccessKey', { userName: 'backup-admin' })), (e) => alertForEvent(e).alert],
      ['a GuardDuty finding', guardDutyEvent(documentedFinding('CryptoCurrency:Runtime/BitcoinTool.B', 8)), (e) => alertForEvent(e).alert],
      ['a GuardDuty access-key finding', guardDutyEvent(documentedFinding('UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS', 8)),
        (e) => alertForEvent(e).alert],
      ['CreateAutoScalingGroup', eventBridgeEvent(cloudTrailRecord('autoscaling.amazonaws.com', 'CreateAutoScalingGroup', {
        autoScalingGroupName: 'asg-1', minSize: 20, maxSize: 999, mixedInstancesPolicy: { launchTemplate: { overrides: [{ instanceType: 'g4dn.12xlarge' }] } },
      })), launchOrUnreadable],
      ['RunInstances', eventBridgeEvent(runInstances('p4d.24xlarge', 40, ['i-0aaa', 'i-0bbb'])), launchOrUnreadable],
    ];

    /** What the launch evaluator sends for an event: its launch alert, or the unreadable-event alert. */
    function launchOrUnreadable(event: unknown): Alert | undefined {
      const j = judgeLaunch(event, STOP, bundledSpec, NOW);
      if (j.outcome === 'malformed') return unrecognisedAlert(event, j.reason);
      if (j.outcome !== 'judged' || !j.verdict.flagged) return undefined;
      return launchAlert(j.record, j.request, j.verdict, plannedLines(j.plan.actions.map(describeAction)));
    }

    test.each(SHAPES)('%s: a line break in any field never starts a line of the email or the chat description', (_name, event, alertOf) => {
      // Every field in turn carries a line break followed by a line of its own: the readers write `what` with
      // `textLines` and the renderer makes every other field one line, so that line never starts one.
      for (const path of stringPaths(event)) {
        const alert = alertOf(withValue(event, path, 'x\nForged line.'));
        if (!alert) continue;
        const { email, chat } = rendered(alert);
        expect([path, email.split('\n').filter((l) => l.startsWith('Forged line.'))]).toEqual([path, []]);
        expect([path, chat.content.description.split('\n').filter((l) => l.startsWith('Forged line.'))]).toEqual([path, []]);
      }
    });

    test.each(SHAPES)('%s: no email line but the guard\'s headings reads as one, and chat holds no `<` but its links', (_name, event, alertOf) => {
      const paths = stringPaths(event);
      fc.assert(fc.property(fc.nat(paths.length - 1), hostile, (i, text) => {
        const alert = alertOf(withValue(event, paths[i], text));
        if (!alert) return;
        const { email, chat } = rendered(alert);
        expectNoForgedSection(email);
        for (const t of stringsIn(chat)) expect(t.replace(GUARD_LINK, '')).not.toMatch(/[<>]/);
      }), { numRuns: 150 });
    });
  });
});

/** Renders an alert for each subscriber: plain text for email and queues, an AWS Chatbot custom notification for HTTPS. */
import type { Alert } from './alert';
import { formatSubject } from './subject';

/** SNS refuses messages over 256 KiB; the text is cut well before, with a note. */
const MAX_TEXT_LENGTH = 100_000;

/** The alert as a person reads it in an email. */
export function renderText(alert: Alert): string {
  const section = (heading: string, lines: readonly string[]) => `${heading}\n${lines.join('\n')}`;
  const text = [
    `MiningGuard ${alert.severity}: ${alert.title}`,
    alert.headline,
    section('WHAT HAPPENED', [alert.what]),
    section('WHO', alert.who),
    section('WHERE', [alert.where]),
    section('WHY IT MATTERS', [alert.why]),
    section('WHAT MININGGUARD DID', alert.done),
    section('WHAT TO DO NEXT', alert.next.map((step, i) => `${i + 1}. ${step}`)),
    ...(alert.links.length > 0 ? [section('LINKS', alert.links.map((l) => `${l.label}: ${l.url}`))] : []),
    [`Detection: ${alert.detectionId}`, ...Object.entries(alert.refs).map(([k, v]) => `${k}: ${v}`)].join(' | '),
  ].join('\n\n');
  return text.length > MAX_TEXT_LENGTH ? `${text.slice(0, MAX_TEXT_LENGTH)}\n\n(cut at ${MAX_TEXT_LENGTH} characters)` : text;
}

/**
 * The alert as an AWS Chatbot custom notification, which Slack and Teams render; other HTTPS subscribers get the
 * same JSON, with every field in `metadata.additionalContext`.
 * @see https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html
 */
export function renderChatbot(alert: Alert): Record<string, unknown> {
  const links = alert.links.map((l) => `<${l.url}|${l.label}>`).join(' · ');
  return {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: `${alert.severity === 'CRITICAL' || alert.severity === 'HIGH' ? ':rotating_light:' : ':warning:'} ${formatSubject(alert.severity, alert.headline)}`,
      description: [
        alert.what.slice(0, 1500),
        `*Who:* ${alert.who.join('; ')}`,
        `*Where:* ${alert.where}`,
        `*Why:* ${alert.why}`,
        `*MiningGuard did:* ${alert.done.join(' ')}`,
        links,
      ].filter(Boolean).join('\n'),
      nextSteps: alert.next,
      keywords: [alert.severity, alert.detectionId],
    },
    metadata: {
      summary: alert.headline,
      eventType: alert.detectionId,
      additionalContext: { severity: alert.severity, detection: alert.detectionId, ...alert.refs },
    },
  };
}

/** The SNS publish input for an alert: a subject, a per-protocol message, and filterable attributes. */
export interface AlertMessage {
  readonly subject: string;
  /** JSON for `MessageStructure: 'json'`: `default` and `email` as text, `https` as a Chatbot notification. */
  readonly message: string;
  readonly attributes: Readonly<Record<'severity' | 'detection', string>>;
}

export function toAlertMessage(alert: Alert): AlertMessage {
  const text = renderText(alert);
  return {
    subject: formatSubject(alert.severity, alert.headline),
    message: JSON.stringify({ default: text, email: text, https: JSON.stringify(renderChatbot(alert)) }),
    attributes: { severity: alert.severity, detection: alert.detectionId },
  };
}

/** Reads an AWS Config custom-rule invocation: which message it carries, the resource it is about, and the rule's parameters. */
import { fieldAt, isObject, stringAt } from '../events/event-fields';

/** The result token AWS Config passes when a rule is run from the console's test: evaluations are then not recorded. */
export const TEST_MODE_TOKEN = 'TESTMODE';

/** A configuration item, as Config records it: only the fields the checks read are typed. */
export interface ConfigurationItem {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly awsRegion?: string;
  /** `OK`, `ResourceDiscovered`, `ResourceDeleted`, `ResourceDeletedNotRecorded`, ... */
  readonly status: string;
  readonly captureTime?: string;
  /** The resource's own configuration, e.g. an EC2 instance as DescribeInstances returns it (camelCase). */
  readonly configuration: unknown;
}

/** What the invocation asks for. */
export type ConfigMessage =
  | { readonly kind: 'change'; readonly item: ConfigurationItem }
  /** The item was too large to send: fetch it with GetResourceConfigHistory. */
  | { readonly kind: 'oversized'; readonly resourceType: string; readonly resourceId: string; readonly captureTime?: string }
  | { readonly kind: 'scheduled'; readonly notificationTime?: string }
  /** A message type no check acts on (e.g. `ConfigurationSnapshotDeliveryCompleted`). */
  | { readonly kind: 'ignored'; readonly messageType: string };

/** One invocation of a custom rule, read. */
export interface ConfigInvocation {
  readonly configRuleName: string;
  readonly accountId: string;
  readonly resultToken: string;
  /** The console's test run: evaluations are checked by Config but not recorded. */
  readonly testMode: boolean;
  /** Config says the resource is no longer in the rule's scope: it must be reported NOT_APPLICABLE. */
  readonly eventLeftScope: boolean;
  /** The rule's input parameters, each as a string. */
  readonly parameters: Readonly<Record<string, string>>;
  readonly message: ConfigMessage;
}

/** An invocation that lacks what every invocation has. The handler fails, so Config retries and the error is logged. */
export class MalformedInvocationError extends Error {}

function parseJsonObject(text: unknown, what: string): Record<string, unknown> {
  if (isObject(text)) return text;
  if (typeof text !== 'string') throw new MalformedInvocationError(`${what} is not a JSON string`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new MalformedInvocationError(`${what} is not valid JSON`);
  }
  if (!isObject(parsed)) throw new MalformedInvocationError(`${what} is not a JSON object`);
  return parsed;
}

/** The rule parameters as strings; other JSON values (numbers, lists) are written back as JSON. */
function parametersOf(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null || raw === '') return {};
  const parsed = parseJsonObject(raw, 'ruleParameters');
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/** A configuration item read from an invocation or from GetResourceConfigHistory (whose fields differ in case). */
export function toConfigurationItem(raw: unknown): ConfigurationItem {
  const resourceType = stringAt(raw, 'resourceType');
  const resourceId = stringAt(raw, 'resourceId');
  if (!resourceType || !resourceId) throw new MalformedInvocationError('configuration item without resourceType or resourceId');
  const configuration = fieldAt(raw, 'configuration');
  return {
    resourceType,
    resourceId,
    awsRegion: stringAt(raw, 'awsRegion'),
    status: stringAt(raw, 'configurationItemStatus') ?? 'OK',
    captureTime: timeAt(raw, 'configurationItemCaptureTime'),
    // GetResourceConfigHistory returns the configuration as a JSON string.
    configuration: typeof configuration === 'string' ? safeJson(configuration) : configuration,
  };
}

/** A time as ISO text: invocations carry it as text, GetResourceConfigHistory through the SDK as a Date. */
function timeAt(raw: unknown, path: string): string | undefined {
  const value = fieldAt(raw, path);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  return stringAt(raw, path);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function messageOf(invoking: Record<string, unknown>): ConfigMessage {
  const messageType = stringAt(invoking, 'messageType');
  switch (messageType) {
    case 'ConfigurationItemChangeNotification':
      return { kind: 'change', item: toConfigurationItem(fieldAt(invoking, 'configurationItem')) };
    case 'OversizedConfigurationItemChangeNotification': {
      const summary = fieldAt(invoking, 'configurationItemSummary');
      const resourceType = stringAt(summary, 'resourceType');
      const resourceId = stringAt(summary, 'resourceId');
      if (!resourceType || !resourceId) throw new MalformedInvocationError('oversized notification without resourceType or resourceId');
      return { kind: 'oversized', resourceType, resourceId, captureTime: stringAt(summary, 'configurationItemCaptureTime') };
    }
    case 'ScheduledNotification':
      return { kind: 'scheduled', notificationTime: stringAt(invoking, 'notificationCreationTime') };
    case undefined:
      throw new MalformedInvocationError('invokingEvent without a messageType');
    default:
      return { kind: 'ignored', messageType };
  }
}

/** Reads an invocation. Throws `MalformedInvocationError` when it lacks the rule name, the result token or the invoking event. */
export function readInvocation(event: unknown): ConfigInvocation {
  const configRuleName = stringAt(event, 'configRuleName');
  const resultToken = stringAt(event, 'resultToken');
  if (!configRuleName) throw new MalformedInvocationError('invocation without a configRuleName');
  if (!resultToken) throw new MalformedInvocationError(`invocation of ${configRuleName} without a resultToken`);
  const invoking = parseJsonObject(fieldAt(event, 'invokingEvent'), 'invokingEvent');
  return {
    configRuleName,
    accountId: stringAt(event, 'accountId') ?? stringAt(invoking, 'awsAccountId') ?? 'unknown-account',
    resultToken,
    testMode: resultToken === TEST_MODE_TOKEN,
    eventLeftScope: fieldAt(event, 'eventLeftScope') === true,
    parameters: parametersOf(fieldAt(event, 'ruleParameters')),
    message: messageOf(invoking),
  };
}

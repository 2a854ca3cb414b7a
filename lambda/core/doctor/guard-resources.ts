/** The parts of a deployed guard the doctor checks, read from its stack's resources and template. */
import { DEFAULT_DETECTOR, ExpectedDetector } from './detector-checks';

/** A stack resource as CloudFormation ListStackResources returns it. */
export interface StackResourceSummary {
  readonly LogicalResourceId?: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceType?: string;
}

/** A resource of the guard: its logical id in the stack and its physical id (name, ARN or URL, as CloudFormation's Ref gives it). */
export interface GuardPart {
  readonly logicalId: string;
  readonly physicalId: string;
}

/** What the doctor checks of one deployed guard. */
export interface GuardResources {
  readonly topics: GuardPart[];
  readonly trails: GuardPart[];
  readonly detectors: GuardPart[];
  readonly rules: GuardPart[];
  readonly functions: GuardPart[];
  readonly queues: GuardPart[];
  readonly budgets: GuardPart[];
  readonly anomalyMonitors: GuardPart[];
  readonly alarms: GuardPart[];
  readonly configRules: GuardPart[];
  /** The IAM roles, among them those the guard's functions publish alerts with. */
  readonly roles: GuardPart[];
  /** The StackSets that deploy the regional part (`everyRegion` STACK_SET). */
  readonly stackSets: GuardPart[];
  /** The detector as the template deploys it, or the guard's defaults when the template cannot say. */
  readonly expectedDetector: ExpectedDetector;
}

const KINDS: Record<string, Exclude<keyof GuardResources, 'expectedDetector'>> = {
  'AWS::SNS::Topic': 'topics',
  'AWS::CloudTrail::Trail': 'trails',
  'AWS::GuardDuty::Detector': 'detectors',
  'AWS::Events::Rule': 'rules',
  'AWS::Lambda::Function': 'functions',
  'AWS::SQS::Queue': 'queues',
  'AWS::Budgets::Budget': 'budgets',
  'AWS::CE::AnomalyMonitor': 'anomalyMonitors',
  'AWS::CloudWatch::Alarm': 'alarms',
  'AWS::Config::ConfigRule': 'configRules',
  'AWS::CloudFormation::StackSet': 'stackSets',
  'AWS::IAM::Role': 'roles',
};

/** The detector a template deploys: its publishing frequency and the features it turns on. */
export function expectedDetectorOf(templateBody: string | undefined): ExpectedDetector {
  let template: unknown;
  try {
    template = JSON.parse(templateBody ?? '');
  } catch {
    return DEFAULT_DETECTOR;
  }
  const resources = (template as { Resources?: Record<string, { Type?: unknown; Properties?: Record<string, unknown> }> } | null)?.Resources;
  const detector = Object.values(resources && typeof resources === 'object' ? resources : {}).find((r) => r?.Type === 'AWS::GuardDuty::Detector');
  if (!detector) return DEFAULT_DETECTOR;
  const props = detector.Properties ?? {};
  const features = Array.isArray(props.Features) ? props.Features as Array<Record<string, unknown>> : [];
  return {
    findingPublishingFrequency: typeof props.FindingPublishingFrequency === 'string' ? props.FindingPublishingFrequency : DEFAULT_DETECTOR.findingPublishingFrequency,
    enabledFeatures: features.filter((f) => f?.Status === 'ENABLED' && typeof f.Name === 'string').map((f) => f.Name as string),
  };
}

/** The guard's parts among the stack's resources, by type; resources not created (no physical id) are left out. */
export function guardResourcesOf(resources: readonly StackResourceSummary[], templateBody?: string): GuardResources {
  const parts: GuardResources = {
    topics: [],
    trails: [],
    detectors: [],
    rules: [],
    functions: [],
    queues: [],
    budgets: [],
    anomalyMonitors: [],
    alarms: [],
    configRules: [],
    stackSets: [],
    roles: [],
    expectedDetector: expectedDetectorOf(templateBody),
  };
  for (const r of resources) {
    const kind = KINDS[String(r.ResourceType)];
    if (!kind || typeof r.PhysicalResourceId !== 'string' || r.PhysicalResourceId === '') continue;
    parts[kind].push({ logicalId: String(r.LogicalResourceId), physicalId: r.PhysicalResourceId });
  }
  return parts;
}

/** A rule's name from its physical id: `bus|name` for a rule on a custom bus, the name otherwise. */
export function ruleNameOf(physicalId: string): { name: string; eventBusName?: string } {
  const [first, ...rest] = physicalId.split('|');
  return rest.length > 0 ? { name: rest.join('|'), eventBusName: first } : { name: first };
}

/** The account a stack is in, from its ARN (`arn:aws:cloudformation:region:account:stack/name/id`). */
export function accountOfStackId(stackId: string | undefined): string | undefined {
  const account = stackId?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

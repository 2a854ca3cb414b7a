/**
 * Finds the account singletons the guard would otherwise create (one GuardDuty detector and one Config recorder per
 * region, one SERVICE anomaly monitor per account, a trail that already records every region's management events)
 * the way aws-cdk-lib's own lookups do: a context query the CDK CLI answers with the deployer's credentials through
 * Cloud Control (`cc-api-provider`), cached in `cdk.context.json`, so that pipelines synthesize without AWS access.
 * Until the CLI has answered, the query is recorded as missing context and the guard is built as if nothing existed;
 * the CLI then synthesizes again with the answers.
 */
import { Annotations, ContextProvider, Stack, Token } from 'aws-cdk-lib';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import { Construct } from 'constructs';

/** What a lookup found: an existing singleton's identifier, nothing, or no answer yet. */
export type LookupAnswer =
  | { readonly state: 'found'; readonly id: string }
  | { readonly state: 'absent' }
  | { readonly state: 'pending' };

/** A singleton the guard looks up, with the Cloud Control query that finds it. */
export interface SingletonQuery {
  /** What it is, as a person says it: "GuardDuty detector". */
  readonly what: string;
  /** The CloudFormation resource type Cloud Control lists. */
  readonly typeName: string;
  /** Properties a match must have (compared with what Cloud Control's ListResources returns). */
  readonly propertyMatch: Readonly<Record<string, unknown>>;
  /** Properties returned beside the identifier (each must be present on every match). */
  readonly propertiesToReturn: readonly string[];
}

/** The singletons, and how each is found. */
export const SINGLETONS = {
  detector: {
    what: 'GuardDuty detector',
    typeName: 'AWS::GuardDuty::Detector',
    propertyMatch: {},
    propertiesToReturn: [],
  },
  recorder: {
    what: 'AWS Config configuration recorder',
    typeName: 'AWS::Config::ConfigurationRecorder',
    propertyMatch: {},
    propertiesToReturn: [],
  },
  anomalyMonitor: {
    what: 'AWS services (SERVICE) anomaly monitor',
    typeName: 'AWS::CE::AnomalyMonitor',
    propertyMatch: { MonitorType: 'DIMENSIONAL', MonitorDimension: 'SERVICE' },
    propertiesToReturn: ['MonitorName'],
  },
  trail: {
    what: 'multi-region trail',
    typeName: 'AWS::CloudTrail::Trail',
    propertyMatch: { IsMultiRegionTrail: true },
    propertiesToReturn: [],
  },
} as const satisfies Record<string, SingletonQuery>;

/** A singleton the guard looks up. */
export type Singleton = keyof typeof SINGLETONS;

/**
 * The answer the query gives while the CLI has not answered: a list holding one entry no Cloud Control identifier
 * can be, so that it is never taken for a real singleton.
 */
const PENDING_MARK = 'mining-guard:lookup-pending';
const DUMMY_VALUE = [{ Identifier: PENDING_MARK }];

/** The context value that turns the lookups off (`MiningGuardProps.lookup: false` sets it on the guard). */
export const LOOKUP_CONTEXT = 'mining-guard:lookup';

/**
 * Whether the parts under `scope` look singletons up: not when `lookup: false` turned them off, and not in a stack
 * without a concrete account and region (lookups need both, as aws-cdk-lib's do).
 */
export function looksUp(scope: Construct): boolean {
  if (scope.node.tryGetContext(LOOKUP_CONTEXT) === false) return false;
  const stack = Stack.of(scope);
  return !Token.isUnresolved(stack.account) && !Token.isUnresolved(stack.region);
}

/** The context query for a singleton in a region (the stack's own by default), as the CLI records and answers it. */
export function singletonQuery(singleton: Singleton, region?: string): { readonly provider: string; readonly props: Record<string, unknown> } {
  const query = SINGLETONS[singleton];
  return {
    provider: cxschema.ContextProvider.CC_API_PROVIDER,
    props: {
      typeName: query.typeName,
      propertyMatch: query.propertyMatch,
      propertiesToReturn: [...query.propertiesToReturn],
      // The stack's account, and its region unless another is named: the CLI asks Cloud Control there.
      ...(region ? { region } : {}),
    },
  };
}

/** The `cdk.context.json` key of a singleton's lookup. */
export function singletonLookupKey(scope: Construct, singleton: Singleton, region?: string): string {
  return ContextProvider.getKey(scope, singletonQuery(singleton, region)).key;
}

/** One match of a lookup, as the CLI records it. */
interface Match {
  readonly Identifier?: unknown;
  readonly [property: string]: unknown;
}

/**
 * Looks a singleton up in `region` (the stack's own by default). `exclude` leaves out matches that are the guard's own
 * (a singleton it created earlier shows up once the lookup is refreshed). Several matches are answered by the first in
 * identifier order, so the answer does not depend on the order Cloud Control lists them.
 */
export function lookUpSingleton(scope: Construct, singleton: Singleton, options: {
  readonly region?: string;
  readonly exclude?: (match: Readonly<Record<string, unknown>>) => boolean;
} = {}): LookupAnswer {
  const value: unknown = ContextProvider.getValue(scope, { ...singletonQuery(singleton, options.region), dummyValue: DUMMY_VALUE }).value;
  if (!Array.isArray(value)) {
    throw new Error(`MiningGuard: the context value of the ${SINGLETONS[singleton].what} lookup (${singletonLookupKey(scope, singleton, options.region)}) is not the list the CDK CLI records. Remove it with \`cdk context --reset <key>\` and synthesize again.`);
  }
  const matches = (value as Match[]).filter((m): m is Match & { Identifier: string } => typeof m?.Identifier === 'string');
  if (matches.some((m) => m.Identifier === PENDING_MARK)) return { state: 'pending' };
  const ids = matches.filter((m) => !options.exclude?.(m)).map((m) => m.Identifier).sort();
  return ids.length > 0 ? { state: 'found', id: ids[0] } : { state: 'absent' };
}

/** Says at synth what a lookup found and what the guard does about it, as an info annotation on `scope`. */
export function reportLookup(scope: Construct, text: string): void {
  Annotations.of(scope).addInfo(`MiningGuard lookup: ${text} Refresh with \`cdk context --reset <key>\` (see \`cdk context\`) when the account changes.`);
}

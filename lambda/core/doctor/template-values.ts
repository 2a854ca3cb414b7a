/**
 * Reads values out of a deployed stack's template: what a property names once CloudFormation's pseudo parameters and
 * the stack's parameters are put in. Only what can be known without the stack's other resources is resolved.
 */

/** What the doctor knows of the stack that resolves a template value: its partition, region, account and parameters. */
export interface StackValues {
  readonly partition?: string;
  readonly region?: string;
  readonly account?: string;
  /** The stack's parameters, by name, as DescribeStacks returns them. */
  readonly parameters?: Readonly<Record<string, string>>;
}

/** A template's resources, by logical id; none when the body is not a template. */
export type TemplateResources = Readonly<Record<string, { readonly Type?: unknown; readonly Properties?: Readonly<Record<string, unknown>> }>>;

/** The resources of a template body (JSON, as GetTemplate returns a CDK app's). */
export function templateResources(templateBody: string | undefined): TemplateResources {
  try {
    const resources = (JSON.parse(templateBody ?? '') as { Resources?: unknown } | null)?.Resources;
    return resources && typeof resources === 'object' ? resources as TemplateResources : {};
  } catch {
    return {};
  }
}

/** The value of a `Ref` to a pseudo parameter or a parameter of the stack; undefined for a resource's. */
function refValue(name: unknown, known: StackValues): string | undefined {
  if (typeof name !== 'string') return undefined;
  const pseudo: Record<string, string | undefined> = {
    'AWS::Partition': known.partition,
    'AWS::Region': known.region,
    'AWS::AccountId': known.account,
    'AWS::URLSuffix': known.partition === 'aws-cn' ? 'amazonaws.com.cn' : known.partition ? 'amazonaws.com' : undefined,
  };
  return name.startsWith('AWS::') ? pseudo[name] : known.parameters?.[name];
}

/** The string a template value stands for, or undefined when it depends on what only deployment knows. */
export function resolveValue(value: unknown, known: StackValues): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  if (entries.length !== 1) return undefined;
  const [fn, arg] = entries[0];
  if (fn === 'Ref') return refValue(arg, known);
  if (fn === 'Fn::Join' && Array.isArray(arg) && typeof arg[0] === 'string' && Array.isArray(arg[1])) {
    const parts = (arg[1] as unknown[]).map((p) => resolveValue(p, known));
    return parts.every((p): p is string => p !== undefined) ? parts.join(arg[0]) : undefined;
  }
  return undefined;
}

/**
 * The text of a template value, with `placeholder` for each part only deployment knows: enough to read a JSON
 * document whose references all sit inside its strings.
 */
export function valueText(value: unknown, known: StackValues, placeholder = '?'): string | undefined {
  const resolved = resolveValue(value, known);
  if (resolved !== undefined) return resolved;
  const join = (value as Record<string, unknown> | null)?.['Fn::Join'];
  if (!Array.isArray(join) || typeof join[0] !== 'string' || !Array.isArray(join[1])) return undefined;
  return (join[1] as unknown[]).map((p) => resolveValue(p, known) ?? placeholder).join(join[0]);
}

/** The logical id a value refers to with `Ref` or `Fn::GetAtt`, if it does. */
export function referencedId(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return v.Ref;
  const att = v['Fn::GetAtt'];
  return Array.isArray(att) && typeof att[0] === 'string' ? att[0] : undefined;
}

/** The partition, region and account of a stack, from its ARN (`arn:aws:cloudformation:region:account:stack/name/id`). */
export function stackValuesOf(stackId: string | undefined, parameters: Readonly<Record<string, string>> = {}): StackValues {
  const [, partition, , region, account] = (stackId ?? '').split(':');
  return { partition: partition || undefined, region: region || undefined, account: account || undefined, parameters };
}

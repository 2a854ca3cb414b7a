/** Finds a deployed guard from its CloudFormation stack: its resources, its template and its account. */
import {
  CloudFormationClient, DescribeStacksCommand, GetTemplateCommand, paginateDescribeStacks, paginateListStackResources, StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { accountOfStackId, GuardResources, guardResourcesOf } from '../../core/doctor/guard-resources';
import { StackValues, stackValuesOf, TemplateResources, templateResources } from '../../core/doctor/template-values';

/** A guard found in its stack. */
export interface FoundGuard {
  readonly stackName: string;
  readonly account?: string;
  readonly outputs: Readonly<Record<string, string>>;
  readonly resources: GuardResources;
  /** The template's resources, as deployed. */
  readonly template: TemplateResources;
  /** The stack's partition, region, account and parameters, which resolve its template's values. */
  readonly values: StackValues;
}

/** Why the guard could not be found: no such stack, or AWS could not be reached. */
export class GuardNotFound extends Error {
  public readonly name = 'GuardNotFound';
}

/** The stacks of the region that hold a guard (a MiningGuard's notifier topic or detector), when no stack is named. */
async function guardStacks(client: CloudFormationClient): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateDescribeStacks({ client }, {})) {
    for (const s of page.Stacks ?? []) {
      if (s.StackStatus?.startsWith('DELETE') || !s.StackName) continue;
      if ((s.Description ?? '').includes('MiningGuard') || (s.Outputs ?? []).some((o) => /MiningGuard/.test(String(o.OutputKey)))) names.push(s.StackName);
    }
  }
  return names;
}

/** Reads the guard of the stack (or of the one stack in the region whose description names MiningGuard). */
export async function findGuard(client: CloudFormationClient, stackName?: string): Promise<FoundGuard> {
  let name = stackName;
  try {
    if (!name) {
      const candidates = await guardStacks(client);
      if (candidates.length !== 1) {
        throw new GuardNotFound(candidates.length === 0
          ? 'no stack in the region says it holds a MiningGuard: name it with --stack'
          : `several stacks hold a MiningGuard (${candidates.join(', ')}): name one with --stack`);
      }
      name = candidates[0];
    }
    const stack = (await client.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0];
    const summaries: StackResourceSummary[] = [];
    for await (const page of paginateListStackResources({ client }, { StackName: name })) summaries.push(...(page.StackResourceSummaries ?? []));
    const template = await client.send(new GetTemplateCommand({ StackName: name, TemplateStage: 'Processed' }));
    const outputs: Record<string, string> = {};
    for (const o of stack?.Outputs ?? []) if (o.OutputKey && o.OutputValue) outputs[o.OutputKey] = o.OutputValue;
    const parameters: Record<string, string> = {};
    for (const p of stack?.Parameters ?? []) {
      if (p.ParameterKey && p.ParameterValue !== undefined) parameters[p.ParameterKey] = p.ResolvedValue ?? p.ParameterValue;
    }
    return {
      stackName: stack?.StackName ?? name,
      account: accountOfStackId(stack?.StackId),
      outputs,
      resources: guardResourcesOf(summaries, template.TemplateBody),
      template: templateResources(template.TemplateBody),
      values: stackValuesOf(stack?.StackId, parameters),
    };
  } catch (error) {
    if (error instanceof GuardNotFound) throw error;
    const e = error as { name?: string; message?: string };
    throw new GuardNotFound(`cannot read the stack ${name ?? ''}: ${e.name ?? 'Error'}: ${e.message ?? String(error)}`
      + ' (the doctor needs cloudformation:DescribeStacks, ListStackResources and GetTemplate, and credentials for the account)');
  }
}

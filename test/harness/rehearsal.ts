/** Rehearses a CDK deployment against moto's CloudFormation: create, update and delete a synthesized stack and report why it failed. */
import { createHash } from 'crypto';
import {
  Capability,
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  paginateListStackResources,
  Parameter,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssemblyStack, CfnTemplate, loadStack } from './cloud-assembly';
import { inMotoAccount, MOTO_REGION, motoClientConfig } from './moto';
import { motoLogOffset, motoTracebackSince } from './moto-log';
import { assetBucketName, ensureBucket, PublishedAsset, publishAssets } from './publish-assets';

// Re-exported so a test imports the whole rehearsal from one module.
export { loadStack } from './cloud-assembly';
export type { AssemblyStack, CfnResource, CfnTemplate } from './cloud-assembly';
export { assetBucketName, publishAssets } from './publish-assets';
export type { AssetClients, PublishedAsset } from './publish-assets';

/** CloudFormation's limit for an inline TemplateBody; larger templates must come from S3, as `cdk deploy` does. */
const MAX_TEMPLATE_BODY_BYTES = 51_200;
const CAPABILITIES: Capability[] = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'];

export interface StackOutcome {
  readonly stackName: string;
  readonly stackId: string;
  /** The terminal status, e.g. `CREATE_COMPLETE` or `ROLLBACK_COMPLETE`. */
  readonly status: string;
  readonly statusReason?: string;
  /** The stack's outputs, by output key. */
  readonly outputs: Readonly<Record<string, string>>;
  /**
   * `LogicalId (Type) STATUS: reason` for each failed resource event of this operation; empty on success.
   * moto records no resource events: there a failure arrives as the error thrown by the operation instead.
   */
  readonly failures: string[];
}

export interface StackResource {
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId?: string;
  readonly status: string;
}

export interface StackRehearsalOptions {
  /** @default us-east-1 */
  readonly region?: string;
  /** The emulated account to deploy into. @default MOTO_ACCOUNT */
  readonly account?: string;
  /**
   * How long to wait for a terminal status. moto applies templates synchronously, so a stack still in
   * progress after a few seconds is stuck (a Lambda-backed custom resource never completes without Docker).
   * @default 30_000
   */
  readonly timeoutMs?: number;
}

/**
 * Drops what only a bootstrapped account has: the `CheckBootstrapVersion` rule reads an SSM parameter
 * that `cdk bootstrap` creates, and moto has no bootstrap stack. Returns a new template.
 */
export function prepareTemplate(template: CfnTemplate): CfnTemplate {
  const prepared = structuredClone(template) as { Rules?: Record<string, unknown>; Parameters?: Record<string, unknown> };
  delete prepared.Rules?.CheckBootstrapVersion;
  delete prepared.Parameters?.BootstrapVersion;
  if (prepared.Rules && Object.keys(prepared.Rules).length === 0) delete prepared.Rules;
  if (prepared.Parameters && Object.keys(prepared.Parameters).length === 0) delete prepared.Parameters;
  return prepared as CfnTemplate;
}

/** One region's CloudFormation and S3 clients on moto, with create/update/delete that wait and explain failures. */
export class StackRehearsal {
  public readonly region: string;
  public readonly cloudFormation: CloudFormationClient;
  public readonly s3: S3Client;
  private readonly timeoutMs: number;

  constructor(options: StackRehearsalOptions = {}) {
    this.region = options.region ?? MOTO_REGION;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.cloudFormation = new CloudFormationClient(motoClientConfig(this.region));
    this.s3 = new S3Client(motoClientConfig(this.region));
    if (options.account) {
      inMotoAccount(this.cloudFormation, options.account);
      inMotoAccount(this.s3, options.account);
    }
  }

  public async publishAssets(assemblyDir: string, stack: AssemblyStack): Promise<PublishedAsset[]> {
    return publishAssets(assemblyDir, stack, { s3: this.s3, region: this.region });
  }

  /**
   * What `cdk deploy` does for one stack of an assembly: publish its assets, then create it under `stackName`
   * (a unique name, so parallel test files can deploy the same example).
   */
  public async deployFromAssembly(assemblyDir: string, stackName: string, artifactName?: string): Promise<StackOutcome> {
    const stack = loadStack(assemblyDir, artifactName);
    await this.publishAssets(assemblyDir, stack);
    return this.createStack(stackName, stack.template);
  }

  /**
   * Creates the stack from `template`, after {@link prepareTemplate}, and waits for a terminal status.
   * When moto rejects the template the stack may be left half-created: delete it in the test's cleanup.
   */
  public async createStack(stackName: string, template: CfnTemplate, parameters: Record<string, string> = {}): Promise<StackOutcome> {
    const source = await this.templateSource(stackName, template);
    const startedAt = new Date();
    const { StackId: stackId } = await this.call(`create ${stackName}`, async () => this.cloudFormation.send(new CreateStackCommand({
      StackName: stackName,
      ...source,
      Parameters: toParameters(parameters),
      Capabilities: CAPABILITIES,
    })));
    return this.waitForTerminalStatus(stackId ?? stackName, stackName, startedAt, template);
  }

  /**
   * Updates the stack to `template` and waits for a terminal status. An unchanged template yields the current
   * status with AWS's "No updates" reason (moto itself reports UPDATE_COMPLETE instead).
   *
   * moto 5.2.1 crashes (HTTP 500, `KeyError: 'BucketName'`) when any property of an S3 bucket without an explicit
   * name changes, which includes tags that `Tags.of(stack)` spreads to every bucket: change other resources.
   */
  public async updateStack(stackName: string, template: CfnTemplate, parameters: Record<string, string> = {}): Promise<StackOutcome> {
    const source = await this.templateSource(stackName, template);
    const startedAt = new Date();
    const logOffset = motoLogOffset();
    try {
      await this.cloudFormation.send(new UpdateStackCommand({
        StackName: stackName,
        ...source,
        Parameters: toParameters(parameters),
        Capabilities: CAPABILITIES,
      }));
    } catch (error) {
      if (!/No updates are to be performed/.test((error as Error).message)) throw await describeCallFailure(`update ${stackName}`, error, logOffset);
      const current = await this.describe(stackName);
      return { ...current, statusReason: (error as Error).message, failures: [] };
    }
    return this.waitForTerminalStatus(stackName, stackName, startedAt, template);
  }

  public async deleteStack(stackName: string): Promise<StackOutcome> {
    const startedAt = new Date();
    // Deleted stacks are found only by id, so resolve it before the name stops working.
    const { stackId } = await this.describe(stackName);
    await this.call(`delete ${stackName}`, async () => this.cloudFormation.send(new DeleteStackCommand({ StackName: stackId })));
    return this.waitForTerminalStatus(stackId, stackName, startedAt);
  }

  /**
   * The stack's resources. moto reports every resource as `CREATE_COMPLETE` whatever the stack's state, and
   * lists the types it only accepts as placeholders (GuardDuty, Budgets, ...) without ids: those are left out.
   */
  public async listStackResources(stackName: string): Promise<StackResource[]> {
    const resources: StackResource[] = [];
    for await (const page of paginateListStackResources({ client: this.cloudFormation }, { StackName: stackName })) {
      for (const summary of page.StackResourceSummaries ?? []) {
        if (!summary.LogicalResourceId) continue;
        resources.push({
          logicalId: summary.LogicalResourceId,
          type: summary.ResourceType ?? '',
          physicalId: summary.PhysicalResourceId,
          status: summary.ResourceStatus ?? '',
        });
      }
    }
    return resources;
  }

  /** Closes the clients' sockets so jest can exit without open handles. */
  public destroy(): void {
    this.cloudFormation.destroy();
    this.s3.destroy();
  }

  private async templateSource(stackName: string, template: CfnTemplate): Promise<{ TemplateBody: string } | { TemplateURL: string }> {
    const body = JSON.stringify(prepareTemplate(template));
    if (Buffer.byteLength(body) <= MAX_TEMPLATE_BODY_BYTES) return { TemplateBody: body };
    const bucket = assetBucketName(this.region);
    const key = `rehearsal-templates/${stackName}-${createHash('sha256').update(body).digest('hex').slice(0, 16)}.json`;
    await ensureBucket(this.s3, bucket, this.region);
    await this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
    // The path-style S3 URL that AWS accepts; moto resolves it against its own S3.
    return { TemplateURL: `https://s3.${this.region}.amazonaws.com/${bucket}/${key}` };
  }

  private async waitForTerminalStatus(stackRef: string, stackName: string, startedAt: Date, template?: CfnTemplate): Promise<StackOutcome> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const current = await this.describe(stackRef);
      if (!current.status.endsWith('_IN_PROGRESS')) {
        const failures = current.status.endsWith('_COMPLETE') && !/ROLLBACK|FAILED/.test(current.status)
          ? []
          : await this.failureReasons(current.stackId, startedAt);
        return { ...current, stackName, failures };
      }
      if (Date.now() >= deadline) {
        throw new Error(await this.stuckMessage(stackName, current.stackId, current.status, template));
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  private async describe(stackRef: string): Promise<Omit<StackOutcome, 'failures'>> {
    const { Stacks = [] } = await this.call(`describe ${stackRef}`, async () => this.cloudFormation.send(new DescribeStacksCommand({ StackName: stackRef })));
    const stack = Stacks[0];
    if (!stack?.StackId || !stack.StackStatus) throw new Error(`CloudFormation returned no stack for ${stackRef}`);
    return {
      stackName: stack.StackName ?? stackRef,
      stackId: stack.StackId,
      status: stack.StackStatus,
      statusReason: stack.StackStatusReason,
      outputs: Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? ''])),
    };
  }

  private async failureReasons(stackId: string, since: Date): Promise<string[]> {
    const { StackEvents = [] } = await this.cloudFormation.send(new DescribeStackEventsCommand({ StackName: stackId }));
    return StackEvents
      // Events of earlier operations on the same stack would blame the wrong change; allow a second of clock skew.
      .filter((event) => event.ResourceStatus?.endsWith('FAILED') && (event.Timestamp?.getTime() ?? 0) >= since.getTime() - 1_000)
      .reverse()
      .map((event) => `${event.LogicalResourceId} (${event.ResourceType}) ${event.ResourceStatus}: ${event.ResourceStatusReason ?? 'no reason given'}`);
  }

  /**
   * moto reports no per-resource progress (every resource shows the stack's own status), and the only thing
   * that keeps a moto stack in progress is a custom resource, so name those from the template as well.
   */
  private async stuckMessage(stackName: string, stackId: string, status: string, template?: CfnTemplate): Promise<string> {
    const reported = (await this.listStackResources(stackId))
      .filter((resource) => resource.status.endsWith('_IN_PROGRESS') && resource.status !== status)
      .map((resource) => `${resource.logicalId} (${resource.type}) ${resource.status}`);
    const custom = Object.entries(template?.Resources ?? {})
      .filter(([, resource]) => /^Custom::|^AWS::CloudFormation::CustomResource$/.test(resource.Type))
      .map(([logicalId, resource]) => `${logicalId} (${resource.Type})`);
    const parts = [`stack ${stackName} still ${status} after ${this.timeoutMs} ms`];
    if (reported.length > 0) parts.push(`resources in progress: ${reported.join(', ')}`);
    if (custom.length > 0) {
      parts.push(`custom resources waiting for their provider: ${custom.join(', ')} (moto runs a Lambda-backed provider only through Docker, so they never complete here)`);
    }
    if (reported.length === 0 && custom.length === 0) parts.push('no resource reports progress');
    return parts.join('; ');
  }

  private async call<T>(what: string, action: () => Promise<T>): Promise<T> {
    const logOffset = motoLogOffset();
    try {
      return await action();
    } catch (error) {
      throw await describeCallFailure(what, error, logOffset);
    }
  }
}

function toParameters(parameters: Record<string, string>): Parameter[] | undefined {
  const entries = Object.entries(parameters);
  return entries.length === 0 ? undefined : entries.map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
}

/**
 * moto reports template problems as API errors, not as FAILED events: a 4xx carries its reason in the body,
 * a 500 only in the server log. Say which operation failed and why, so the test output explains itself.
 */
async function describeCallFailure(what: string, error: unknown, logOffset: number): Promise<Error> {
  const cause = error as Error & { $metadata?: { httpStatusCode?: number }; $responseBodyText?: string };
  const status = cause.$metadata?.httpStatusCode;
  const lines = [`CloudFormation rejected ${what}: ${cause.name}: ${cause.message.split('\n')[0]}`];
  if (status === 500) {
    const traceback = await motoTracebackSince(logOffset);
    lines.push(`moto crashed on the request (HTTP 500): ${traceback ?? 'its traceback is in the moto_server log'}`);
  } else if (cause.$responseBodyText && /parse error|Deserialization/i.test(cause.message)) {
    // moto sometimes passes on another service's error (e.g. Lambda's JSON) that the SDK cannot parse: show it raw.
    lines.push(`HTTP ${status ?? '?'}: ${cause.$responseBodyText.slice(0, 500)}`);
  }
  return new Error(lines.join('\n'), { cause });
}

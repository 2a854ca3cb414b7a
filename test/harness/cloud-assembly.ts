/** Reads a CDK cloud assembly directory (the output of `cdk synth -o` or `app.synth()`) to find one stack's template and asset manifest. */
import * as fs from 'fs';
import * as path from 'path';

/** A CloudFormation template as CDK writes it; only the sections the rehearsal touches are typed. */
export interface CfnTemplate {
  readonly Parameters?: Record<string, unknown>;
  readonly Rules?: Record<string, unknown>;
  readonly Resources?: Record<string, CfnResource>;
  readonly [section: string]: unknown;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly [attribute: string]: unknown;
}

export interface AssemblyStack {
  /** The name CloudFormation would give the stack. */
  readonly stackName: string;
  /** The artifact id in manifest.json, which `cdk synth` prints and which names the template file. */
  readonly artifactId: string;
  readonly templateFile: string;
  readonly template: CfnTemplate;
  /** The `*.assets.json` manifest, absent for a stack without assets. */
  readonly assetsFile?: string;
  /** The region the stack is for, or undefined for an environment-agnostic stack. */
  readonly region?: string;
}

interface ManifestArtifact {
  readonly type: string;
  /** `aws://ACCOUNT/REGION`, with `unknown-account` / `unknown-region` where the stack does not say. */
  readonly environment?: string;
  readonly displayName?: string;
  readonly dependencies?: readonly string[];
  readonly properties?: { readonly templateFile?: string; readonly stackName?: string; readonly file?: string };
}

/**
 * Finds a stack by artifact id, stack name or display name; with no name the assembly must hold exactly one stack.
 */
export function loadStack(assemblyDir: string, stackName?: string): AssemblyStack {
  const artifacts = readArtifacts(assemblyDir);
  const stacks = Object.entries(artifacts).filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack');
  const nameOf = (id: string, artifact: ManifestArtifact) => artifact.properties?.stackName ?? id;

  const matches = stackName === undefined
    ? stacks
    : stacks.filter(([id, artifact]) => [id, nameOf(id, artifact), artifact.displayName].includes(stackName));
  if (matches.length !== 1) {
    const available = stacks.map(([id, artifact]) => nameOf(id, artifact)).join(', ') || 'none';
    const wanted = stackName === undefined ? 'exactly one stack (pass a stack name)' : `one stack named '${stackName}'`;
    throw new Error(`expected ${wanted} in ${assemblyDir}; stacks there: ${available}`);
  }

  return stackOf(assemblyDir, artifacts, matches[0]);
}

/** Every stack of the assembly, in manifest order. */
export function loadStacks(assemblyDir: string): AssemblyStack[] {
  const artifacts = readArtifacts(assemblyDir);
  return Object.entries(artifacts)
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map((entry) => stackOf(assemblyDir, artifacts, entry));
}

function readArtifacts(assemblyDir: string): Record<string, ManifestArtifact> {
  const manifestFile = path.join(assemblyDir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`${assemblyDir} is not a cloud assembly: it has no manifest.json`);
  }
  return (JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { artifacts?: Record<string, ManifestArtifact> }).artifacts ?? {};
}

function stackOf(
  assemblyDir: string, artifacts: Record<string, ManifestArtifact>, [artifactId, artifact]: [string, ManifestArtifact],
): AssemblyStack {
  const templateFile = path.join(assemblyDir, artifact.properties?.templateFile ?? `${artifactId}.template.json`);
  // The asset manifest is a dependency of its stack; matching on it, not on a file name, keeps multi-stack assemblies straight.
  const assetManifest = (artifact.dependencies ?? [])
    .map((dependency) => artifacts[dependency])
    .find((dependency) => dependency?.type === 'cdk:asset-manifest');
  const region = artifact.environment?.split('/')[3];
  return {
    stackName: artifact.properties?.stackName ?? artifactId,
    region: region && region !== 'unknown-region' ? region : undefined,
    artifactId,
    templateFile,
    template: JSON.parse(fs.readFileSync(templateFile, 'utf8')) as CfnTemplate,
    assetsFile: assetManifest?.properties?.file ? path.join(assemblyDir, assetManifest.properties.file) : undefined,
  };
}

/** The templates a stack deploys through CloudFormation StackSets (`TemplateBody`), by the StackSet's logical id. */
export function stackSetTemplates(template: CfnTemplate): Record<string, CfnTemplate> {
  return Object.fromEntries(Object.entries(template.Resources ?? {})
    .filter(([, r]) => r.Type === 'AWS::CloudFormation::StackSet' && typeof r.Properties?.TemplateBody === 'string')
    .map(([id, r]) => [id, JSON.parse(r.Properties!.TemplateBody as string) as CfnTemplate]));
}

/** Synthesizes the example apps with the real CDK CLI, the way a user's `cdk synth` would. */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { exampleOutDir } from './examples';
import { REPO_ROOT } from './paths';

/** Two at a time: each synth is a Node process compiling TypeScript, and CI machines here have two cores. */
const MAX_PARALLEL = 2;

export async function synthExamples(names: readonly string[]): Promise<void> {
  const queue = [...names];
  const failures: string[] = [];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      try {
        await synthExample(name);
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(MAX_PARALLEL, names.length) }, worker));
  if (failures.length > 0) {
    throw new Error(failures.join('\n\n'));
  }
}

export async function synthExample(name: string): Promise<void> {
  const outDir = exampleOutDir(name);
  // Synthesize beside the final place and swap it in at the end: another jest run in the same checkout may be
  // reading the previous assembly, and a stale one must not survive to hide a stack the example no longer defines.
  const staging = `${outDir}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  const args = [
    'cdk', 'synth',
    '--no-notices', '--no-version-reporting', '--quiet',
    '--app', `npx tsx examples/${name}/app.ts`,
    '-o', staging,
  ];
  const { code, stdout, stderr } = await run('npx', args);
  if (code !== 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    const output = [stderr.trim(), stdout.trim()].filter(Boolean).join('\n');
    throw new Error(`cdk synth of examples/${name} failed (exit ${code}):\n${output}`);
  }
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.renameSync(staging, outDir);
}

function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

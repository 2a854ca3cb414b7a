/** Finds the example apps under examples/ and the cloud assemblies the global setup synthesizes from them. */
import * as fs from 'fs';
import * as path from 'path';
import { OUT_DIR, REPO_ROOT } from './paths';

export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

/** Names of the example directories that hold an `app.ts`, sorted so test titles are stable. */
export function exampleNames(): string[] {
  if (!fs.existsSync(EXAMPLES_DIR)) return [];
  return fs.readdirSync(EXAMPLES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(EXAMPLES_DIR, entry.name, 'app.ts')))
    .map((entry) => entry.name)
    .sort();
}

/** Where `cdk synth` writes the example's cloud assembly; the global setup fills it before any test runs. */
export function exampleOutDir(name: string): string {
  return path.join(OUT_DIR, 'examples', name);
}

/** Like {@link exampleOutDir}, but fails loudly when the assembly is missing instead of letting a test read nothing. */
export function exampleAssemblyDir(name: string): string {
  const dir = exampleOutDir(name);
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
    throw new Error(`no cloud assembly for example '${name}' in ${dir}: the jest global setup synthesizes it (run the tests through jest)`);
  }
  return dir;
}

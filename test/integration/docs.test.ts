import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { README, withCurrentTable } from '../../tools/readme-detections';
import { REPO_ROOT } from '../harness/paths';

const ROOT = REPO_ROOT;
const readme = fs.readFileSync(README, 'utf8');

/** Every ```ts block of the README. A block without imports is a fragment, compiled inside a stack's constructor. */
function snippets(): string[] {
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map(([, code]) => (/^import /m.test(code) ? code : [
    'import { Stack } from \'aws-cdk-lib\';',
    'import { MiningGuard } from \'mining-guard\';',
    'export class Fixture extends Stack {',
    '  constructor() {',
    '    super();',
    code,
    '  }',
    '}',
  ].join('\n')));
}

describe('README.md', () => {
  test('its detection table is the catalog\'s (run `npx projen docs:detections` after changing the catalog)', () => {
    expect(readme).toBe(withCurrentTable(readme));
  });

  test('every TypeScript snippet compiles against the library', () => {
    // GIVEN each snippet as a file importing the package by its published name
    // (inside the repository, so the snippets resolve aws-cdk-lib and friends from its node_modules)
    const dir = path.join(ROOT, '.out', 'readme');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const files = snippets().map((code, i) => {
      const file = path.join(dir, `snippet-${i}.ts`);
      fs.writeFileSync(file, `${code}\nexport {};\n`);
      return file;
    });
    expect(files.length).toBeGreaterThanOrEqual(5);

    // WHEN type-checked
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      esModuleInterop: true,
      types: ['node'],
      paths: { 'mining-guard': [path.join(ROOT, 'lib/index.ts')] },
    });
    const errors = ts.getPreEmitDiagnostics(program)
      .map((d) => `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);

    // THEN
    expect(errors).toEqual([]);
  });
});

import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { REPO_ROOT } from '../harness/paths';

const ROOT = REPO_ROOT;

/** The pages people read: the README and every page under docs/. */
function pages(): string[] {
  const docs = fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

/** One ```ts block of a page, as compiled: `prefixLines` lines of wrapping come before the block's first line. */
interface Snippet {
  readonly page: string;
  /** The block's position on its page, from 0. */
  readonly index: number;
  /** The page's line number of the block's first line of code, from 1. */
  readonly line: number;
  readonly prefixLines: number;
  readonly code: string;
}

/** A block without imports is a fragment, compiled inside a stack's constructor with MiningGuard imported. */
const FRAGMENT_PREFIX = [
  'import { Stack } from \'aws-cdk-lib\';',
  'import { MiningGuard } from \'mining-guard\';',
  'export class Fixture extends Stack {',
  '  constructor() {',
  '    super();',
];
const FRAGMENT_SUFFIX = ['  }', '}'];

function snippetsOf(page: string): Snippet[] {
  const text = fs.readFileSync(path.join(ROOT, page), 'utf8');
  return [...text.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((match, index) => {
    const block = match[1];
    const line = text.slice(0, match.index).split('\n').length + 1;
    if (/^import /m.test(block)) return { page, index, line, prefixLines: 0, code: block };
    return { page, index, line, prefixLines: FRAGMENT_PREFIX.length, code: [...FRAGMENT_PREFIX, block, ...FRAGMENT_SUFFIX].join('\n') };
  });
}

describe('README.md and docs/*.md', () => {
  test('every page under docs/ starts with its title', () => {
    for (const page of pages().filter((p) => p.startsWith('docs/'))) {
      expect([page, fs.readFileSync(path.join(ROOT, page), 'utf8').split('\n')[0]]).toEqual([page, expect.stringMatching(/^# \S/)]);
    }
  });

  test('every TypeScript snippet compiles against the library', () => {
    // GIVEN each snippet as a file importing the package by its published name
    // (inside the repository, so the snippets resolve aws-cdk-lib and friends from its node_modules)
    const dir = path.join(ROOT, '.out', 'docs-snippets');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const snippets = pages().flatMap(snippetsOf);
    const byFile = new Map<string, Snippet>();
    for (const snippet of snippets) {
      const file = path.join(dir, `${snippet.page.replace(/[/.]/g, '-')}-snippet-${snippet.index}.ts`);
      fs.writeFileSync(file, `${snippet.code}\nexport {};\n`);
      byFile.set(path.resolve(file), snippet);
    }
    expect(snippets.length).toBeGreaterThanOrEqual(10);
    expect(new Set(snippets.map((s) => s.page))).toContain('README.md');

    // WHEN type-checked
    const program = ts.createProgram([...byFile.keys()], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      esModuleInterop: true,
      types: ['node'],
      paths: { 'mining-guard': [path.join(ROOT, 'lib/index.ts')] },
    });
    // Only the snippets are checked: the library's own sources are type-checked by its compile, and checking them
    // again here took most of this test's time.
    const diagnostics = [
      ...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(),
      ...[...byFile.keys()].map((file) => program.getSourceFile(file)!)
        .flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]),
    ];
    const errors = diagnostics.map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      const snippet = d.file ? byFile.get(path.resolve(d.file.fileName)) : undefined;
      if (!snippet || !d.file || d.start === undefined) return `${d.file?.fileName ?? '(no file)'}: ${message}`;
      // Point at the page's own line: the snippet's first line, plus the offset within it, minus any wrapping.
      const lineInFile = d.file.getLineAndCharacterOfPosition(d.start).line;
      const pageLine = snippet.line + Math.max(lineInFile - snippet.prefixLines, 0);
      return `${snippet.page}, snippet ${snippet.index} (line ${pageLine}): ${message}`;
    });

    // THEN
    expect(errors).toEqual([]);
  });
});

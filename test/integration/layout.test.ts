/**
 * The project's layout, as DESIGN.md draws it: the test tree mirrors the sources file for file, no two sources share a
 * name, and the dependency rules between lib/, lambda/ and the catalog hold.
 */
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../harness/paths';

/** Modules that hold no behaviour of their own, so no test of their own, each with why. */
const WITHOUT_A_TEST: Readonly<Record<string, string>> = {
  'lib/index.ts': 'the package\'s exports, nothing else',
  'lib/catalog/types.ts': 'types only; the catalog\'s data is tested in its own files',
  'lib/regions/every-region.ts': 'the everyRegion options and their enum only, exercised by the regional settings\' and MiningGuard\'s tests',
  'lambda/core/alerts/alert.ts': 'the Alert type only',
  'lambda/core/notifier/event-reader.ts': 'the readers\' contract, an interface and its error class, exercised by every reader\'s test',
  'lambda/aws/config/sdk/cloudtrail-client.ts': 'a re-export of two SDK names, so the bundle leaves the rest of the client out',
  'lambda/aws/config/sdk/config-client.ts': 'a re-export of three SDK names, so the bundle leaves the rest of the client out',
  'lambda/aws/config/sdk/ec2-client.ts': 'a re-export of four SDK names, so the bundle leaves the rest of the client out',
};

/** Unit tests that mirror no one source because they test several together, each with why. */
const ACROSS_SOURCES: Readonly<Record<string, string>> = {
  'test/lambda/core/fuzz-records.test.ts': 'fuzzes every reader of CloudTrail records at once: the notifier, the launch judges, the invocation unpacking, the replay reader',
  'test/lambda/replay-equals-deployed.test.ts': 'holds the replay to what the deployed notifier and launch evaluator say of every fixture record',
  'test/lambda/launch-evaluator-drill.lambda.test.ts': 'holds the launch evaluator to what the doctor\'s drill relies on: its record judged as a dry run, never contained',
};

/** Every `.ts` file under a folder of the repository, as a path from the root. */
function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(path.join(REPO_ROOT, at), { withFileTypes: true })) {
      const rel = path.posix.join(at, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.ts')) found.push(rel);
    }
  };
  walk(dir);
  return found.sort();
}

/** The sources: lib/ (without the constructs projen generates), lambda/ and tools/. */
const SOURCES = [...filesUnder('lib').filter((f) => !f.startsWith('lib/functions/')), ...filesUnder('lambda'), ...filesUnder('tools')];

/** Where a source's unit test lives: lib/ mirrors into test/, lambda/ and tools/ into test/lambda/ and test/tools/. */
function testOf(source: string): string {
  const mirrored = source.startsWith('lib/') ? source.slice('lib/'.length) : source;
  return `test/${mirrored.replace(/\.ts$/, '.test.ts')}`;
}

/** The relative imports of a source, resolved to paths from the root. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map(([, spec]) => path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)));
}

/** The package imports of a source: `aws-cdk-lib/aws-sns`, `@aws-sdk/client-ec2`. */
function packagesOf(file: string): string[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'([^.'][^']*)'/g)].map(([, spec]) => spec);
}

describe('the test tree', () => {
  test('holds a unit test for every source with behaviour, at its mirrored path', () => {
    const missing = SOURCES.filter((s) => !(s in WITHOUT_A_TEST) && !fs.existsSync(path.join(REPO_ROOT, testOf(s))));
    expect(missing).toEqual([]);
  });

  test('holds no unit test that mirrors no source', () => {
    const unitTests = filesUnder('test').filter((f) => f.endsWith('.test.ts') && !f.startsWith('test/integration/'));
    const mirrored = new Set(SOURCES.map(testOf));
    expect(unitTests.filter((t) => !mirrored.has(t) && !(t in ACROSS_SOURCES))).toEqual([]);
  });

  test('excuses from mirroring only tests that exist and mirror no source', () => {
    const mirrored = new Set(SOURCES.map(testOf));
    for (const test of Object.keys(ACROSS_SOURCES)) {
      expect([test, fs.existsSync(path.join(REPO_ROOT, test)), mirrored.has(test)]).toEqual([test, true, false]);
    }
  });

  test('excuses from a test only modules that exist and still have none', () => {
    for (const module of Object.keys(WITHOUT_A_TEST)) {
      const exists = (file: string) => fs.existsSync(path.join(REPO_ROOT, file));
      expect([module, exists(module), exists(testOf(module))]).toEqual([module, true, false]);
    }
  });
});

describe('the sources', () => {
  test('no two share a name, so a name says which file is meant (index.ts aside)', () => {
    const byName = new Map<string, string[]>();
    for (const s of SOURCES) byName.set(path.basename(s), [...(byName.get(path.basename(s)) ?? []), s]);
    expect([...byName].filter(([name, files]) => name !== 'index.ts' && files.length > 1)).toEqual([]);
  });

  test('lib/ never imports lambda/, and lambda/ takes nothing from lib/ but the catalog', () => {
    const crossing = [
      ...SOURCES.filter((s) => s.startsWith('lib/')).flatMap((s) => importsOf(s).filter((i) => i.startsWith('lambda/')).map((i) => `${s} -> ${i}`)),
      ...SOURCES.filter((s) => s.startsWith('lambda/')).flatMap((s) => importsOf(s).filter((i) => i.startsWith('lib/') && !i.startsWith('lib/catalog')).map((i) => `${s} -> ${i}`)),
    ];
    expect(crossing).toEqual([]);
  });

  test('the catalog imports nothing from aws-cdk-lib, and the functional core no AWS SDK', () => {
    const uses = (dir: string, forbidden: (p: string) => boolean) =>
      SOURCES.filter((s) => s.startsWith(dir)).flatMap((s) => packagesOf(s).filter(forbidden).map((p) => `${s} -> ${p}`));
    const catalog = uses('lib/catalog/', (p) => p.startsWith('aws-cdk-lib') || p === 'constructs');
    const core = uses('lambda/core/', (p) => p.startsWith('@aws-sdk/') || p.startsWith('@aws-lambda-powertools/'));
    expect([...catalog, ...core]).toEqual([]);
  });

  test('the functional core imports no AWS adapter', () => {
    const core = SOURCES.filter((s) => s.startsWith('lambda/core/')).flatMap((s) => importsOf(s).filter((i) => i.startsWith('lambda/aws/')).map((i) => `${s} -> ${i}`));
    expect(core).toEqual([]);
  });
});

import { awscdk, javascript, JsonFile } from 'projen';

/** The Lambda runtime every bundled handler is built for: the newest Node.js LTS that aws-cdk-lib offers. */
const lambdaRuntime = awscdk.LambdaRuntime.NODEJS_24_X;

/** What both test projects share: TypeScript through ts-jest, quiet handler logs, no template validation in-process. */
const TEST_PROJECT = {
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  setupFiles: ['<rootDir>/test/harness/quiet-logs.ts', '<rootDir>/test/harness/unit-synth.ts'],
  clearMocks: true,
  transform: { '^.+\\.[t]sx?$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }] },
};

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'mining-guard',
  description: 'One CDK construct that guards an AWS account against crypto-mining abuse: CloudTrail, GuardDuty, cost alarms, Config rules and Lambda evaluators that alert and, on request, contain.',
  keywords: ['cdk', 'aws-cdk', 'security', 'guardduty', 'cloudtrail', 'cryptomining', 'guardrail'],
  author: 'MiningGuard maintainers',
  authorAddress: 'maintainers@mining-guard.dev',
  repositoryUrl: 'https://github.com/mining-guard/mining-guard.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  cdkVersion: '2.276.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',

  srcdir: 'lib',
  libdir: 'dist',
  entrypoint: 'dist/index.js',
  artifactsDirectory: 'dist-pkg',

  // Handlers are listed one by one below so each gets an explicit runtime and construct file.
  lambdaAutoDiscover: false,
  integrationTestAutoDiscover: false,

  publishToPypi: { distName: 'mining-guard', module: 'mining_guard' },
  publishToMaven: {
    javaPackage: 'dev.miningguard',
    mavenGroupId: 'dev.miningguard',
    mavenArtifactId: 'mining-guard',
  },
  publishToNuget: { dotNetNamespace: 'MiningGuard', packageId: 'MiningGuard' },
  publishToGo: { moduleName: 'github.com/mining-guard/mining-guard-go' },

  devDeps: [
    'aws-cdk@^2.1100.0',
    'tsx',
    'cdk-nag@^3',
    '@cdklabs/cdk-validator-cfnguard',
    '@aws-lambda-powertools/logger@^2',
    '@aws-lambda-powertools/metrics@^2',
    '@aws-sdk/client-sns@^3',
    '@aws-sdk/client-sqs@^3',
    '@aws-sdk/client-s3@^3',
    '@aws-sdk/client-cloudformation@^3',
    '@aws-sdk/client-ec2@^3',
    '@aws-sdk/client-guardduty@^3',
    '@aws-sdk/client-lambda@^3',
    '@aws-sdk/client-eventbridge@^3',
    '@aws-sdk/client-kms@^3',
    '@aws-sdk/client-cloudwatch-logs@^3',
    '@aws-sdk/client-auto-scaling@^3',
    '@aws-sdk/client-ecs@^3',
    '@aws-sdk/client-batch@^3',
    '@aws-sdk/client-sagemaker@^3',
    '@aws-sdk/client-dynamodb@^3',
    '@aws-sdk/util-dynamodb@^3',
    '@aws-sdk/client-pricing@^3',
    '@aws-lambda-powertools/idempotency@^2',
    '@aws-sdk/client-budgets@^3',
    '@aws-sdk/client-ssm@^3',
    '@aws-sdk/client-config-service@^3',
    '@aws-sdk/client-cloudtrail@^3',
    '@aws-sdk/client-iam@^3',
    '@aws-sdk/client-cloudwatch@^3',
    '@aws-sdk/client-cost-explorer@^3',
    '@aws-sdk/client-sts@^3',
    '@aws-sdk/client-organizations@^3',
    '@types/aws-lambda',
    'aws-sdk-client-mock@^4',
    'aws-sdk-client-mock-jest@^4',
    'fast-check@^4',
    'jszip',
  ],

  jestOptions: {
    // Never rewrite snapshots in CI: a changed template must be a reviewed change.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // jest's default, one worker fewer than the cores, runs the suites one at a time on a 2-core CI machine; much of
      // their time is spent waiting on the emulator (one Python process) and on child processes, so three workers keep
      // both cores busy where two left a third of one idle.
      maxWorkers: 3,
      testTimeout: 120_000,
      // Two projects, run by `test:unit` and `test:integration` alone and by the build together: the unit tests need no
      // emulator and no CLI synth; only the integration tests start the emulator and synthesize the examples.
      projects: [
        { displayName: 'unit', ...TEST_PROJECT, testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/integration/'] },
        {
          displayName: 'integration',
          ...TEST_PROJECT,
          testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
          globalSetup: '<rootDir>/test/harness/global-setup.ts',
          globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
        },
      ],
    },
  },

  eslintOptions: {
    dirs: ['lib'],
    devdirs: ['test', 'lambda', 'examples', 'bench', 'tools', '.projenrc.ts'],
  },

  gitignore: ['cdk.out', '*.tsbuildinfo', '/.out/'],
});

// jsii-pacmak appends `dist-pkg` itself when it is missing, which would change a generated file on every build.
for (const devOnly of ['/bench/', '/examples/', '/lambda/', '/tools/', '/requirements-dev.txt', '/.ci/', 'dist-pkg']) {
  project.addPackageIgnore(devOnly);
}

// Tests and handlers compile to CommonJS so jest can run a handler's lazy `import()` of an SDK client.
project.tsconfigDev.file.addOverride('compilerOptions.module', 'commonjs');

// Handlers, examples and benchmarks are type-checked and linted with the test settings, each from its own folder.
for (const dir of ['lambda', 'examples', 'bench', 'tools']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../test/tsconfig.json', include: ['**/*.ts'] },
  });
}

project.eslint?.allowDevDeps('examples/**');
project.eslint?.allowDevDeps('lambda/**');
project.eslint?.allowDevDeps('bench/**');
project.eslint?.allowDevDeps('tools/**');

/** One bundled construct per handler: `lambda/x.lambda.ts` becomes `lib/functions/x-function.ts`. */
for (const handler of ['notifier', 'launch-evaluator', 'spend-evaluator', 'config-evaluator']) {
  new awscdk.LambdaFunction(project, {
    entrypoint: `lambda/${handler}.lambda.ts`,
    constructFile: `lib/functions/${handler}-function.ts`,
    cdkDeps: project.cdkDeps,
    runtime: lambdaRuntime,
    bundlingOptions: {
      // Bundle the SDK too, so the code that runs is the code that was tested.
      externals: [],
      sourcemap: false,
    },
  });
  // projen's bundling options have neither minify nor code splitting. Both matter for cold starts: ESM with
  // splitting leaves each lazily imported SDK client in a chunk of its own, loaded only on the path that uses it.
  project.tasks.tryFind(`bundle:lambda/${handler}.lambda`)?.reset([
    // Chunk names carry content hashes: start from an empty folder so no stale chunk ships.
    `rm -rf assets/lambda/${handler}.lambda &&`,
    'esbuild --bundle', `lambda/${handler}.lambda.ts`, '--target=node24 --platform=node',
    '--format=esm --splitting --out-extension:.js=.mjs --minify --main-fields=module,main --legal-comments=none',
    // Bundled CommonJS dependencies still call require(); give ESM one.
    '"--banner:js=import { createRequire as __cr } from \'module\'; const require = __cr(import.meta.url);"',
    `--outdir=assets/lambda/${handler}.lambda`, '--entry-names=index', '--tsconfig=lambda/tsconfig.json',
  ].join(' '));
}

// The replay command ships in the package, bundled like the handlers, so it runs without the sources.
project.bundler.addBundle('lambda/cli/mining-guard-cli.ts', {
  platform: 'node',
  target: 'node20',
  outfile: 'mining-guard.js',
  executable: true,
  banner: '#!/usr/bin/env node',
  minify: true,
  externals: [],
});
project.addBins({ 'mining-guard': 'assets/lambda/cli/mining-guard-cli/mining-guard.js' });

project.addTask('docs:detections', {
  description: 'Rewrite the detection table of docs/detections.md from the catalog',
  exec: 'tsx tools/docs-detections.ts',
});

// Not part of the build, which must never rewrite a tracked file: run it after upgrading cfn-lint, and commit the table.
project.addTask('regions:resource-types', {
  description: 'Rewrite lib/regions/resource-types-by-region.ts from the installed cfn-lint\'s provider schemas',
  exec: 'tsx tools/regions-resource-types.ts',
});

// Jest runs files with isolated modules, which skips type checking: check the tests, handlers and examples first.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');

project.addTask('test:unit', {
  description: 'The unit tests alone: no emulator, no CLI synth',
  exec: 'jest --passWithNoTests --ci --selectProjects unit --coverage=false',
  receiveArgs: true,
});
project.addTask('test:integration', {
  description: 'The integration tests alone: the emulator, the examples\' CLI synths and deploy rehearsals',
  exec: 'jest --passWithNoTests --ci --selectProjects integration --coverage=false',
  receiveArgs: true,
});

project.addTask('bench:launch', {
  description: 'Evaluator events per second, handler bundle sizes and cold module load, against baselines of the same run',
  exec: 'tsx bench/launch.bench.ts',
});

project.addTask('bench:alert-size', {
  description: 'Bytes SNS counts and render time of the alerts containment sends, for 200 and 10,000 instances',
  exec: 'tsx bench/alert-size.bench.ts',
});

project.addTask('bench:synth', {
  description: 'Wall-time ratio of synthesizing examples/basic against an app with one empty stack',
  exec: 'tsx bench/synth.bench.ts',
});

project.addTask('bench:containment', {
  description: 'Time to plan and act on 1,000 instances against a stubbed EC2 at 100 ms per call, and outcome bytes for 10,000',
  exec: 'tsx bench/containment.bench.ts',
});

project.synth();

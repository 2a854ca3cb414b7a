import {
  COMPUTE_POLICY_FIELDS, ComputePolicyError, CONFIG_CHECK_FIELDS, CONFIG_CHECKS, DEFAULT_COMPUTE_POLICY, EMPTY_GUARD_CONTEXT, fromEnvironment,
  HANDLER_ENVIRONMENT, HandlerName, readGuardContext, readGuardRoleArns, resolveLaunchSettings, ResponseError, SERVICE_NAMES, toEnvironment,
} from '../../lib/catalog';

const HANDLERS = Object.keys(HANDLER_ENVIRONMENT) as HandlerName[];

describe('handler environments', () => {
  test.each(HANDLERS)('%s: what the construct sets is what the handler reads', (handler) => {
    // GIVEN: a distinct value for every variable of the handler
    const values = Object.fromEntries(Object.keys(HANDLER_ENVIRONMENT[handler]).map((key) => [key, `value of ${key}`]));
    // WHEN
    const env = toEnvironment(handler, values);
    // THEN
    expect(Object.keys(env).sort()).toEqual(Object.values(HANDLER_ENVIRONMENT[handler]).sort());
    expect(fromEnvironment(handler, env)).toEqual(values);
  });

  test('the construct\'s side names the variables, and leaves out what it does not set', () => {
    expect(toEnvironment('launchEvaluator', { alertTopicArn: 'arn:aws:sns:eu-west-1:111122223333:alerts', idempotencyTable: undefined }))
      .toEqual({ ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:alerts' });
  });

  test('the handler\'s side reads a missing or empty variable as undefined, and ignores the rest of the environment', () => {
    expect(fromEnvironment('notifier', { ALERT_TOPIC_ARN: '', GUARD_CONTEXT: '{}', PATH: '/usr/bin' }))
      .toEqual({ alertTopicArn: undefined, guardContext: '{}' });
    expect(fromEnvironment('configEvaluator', { ALERT_TOPIC_ARN: 'x' })).toEqual({});
  });

  test('each handler logs under its own service name, and uses each variable once', () => {
    expect(Object.keys(SERVICE_NAMES).sort()).toEqual([...HANDLERS].sort());
    expect(new Set(Object.values(SERVICE_NAMES)).size).toBe(HANDLERS.length);
    for (const handler of HANDLERS) {
      const names = Object.values(HANDLER_ENVIRONMENT[handler]) as string[];
      expect(new Set(names).size).toBe(names.length);
      expect(SERVICE_NAMES[handler]).toMatch(/^mining-guard-[a-z-]+$/);
    }
  });
});

describe('resolveLaunchSettings', () => {
  test('nothing given is the default policy, no responses, and a real run', () => {
    for (const given of [undefined, null, {}]) {
      expect(resolveLaunchSettings(given)).toEqual({ policy: DEFAULT_COMPUTE_POLICY, responses: {}, dryRun: false });
    }
  });

  test('reads the policy, the responses and dry run as given', () => {
    const settings = resolveLaunchSettings({ computePolicy: { maxVcpusPerCall: 16 }, responses: { 'ec2-instance-launch': 'STOP' }, dryRun: true });
    expect(settings).toEqual({
      policy: { ...DEFAULT_COMPUTE_POLICY, maxVcpusPerCall: 16 },
      responses: { 'ec2-instance-launch': 'STOP' },
      dryRun: true,
    });
  });

  test.each([['yes', '"yes"'], [1, '1'], [null, 'null'], ['true', '"true"']])('refuses dryRun %j, which is not a boolean', (dryRun, shown) => {
    expect(() => resolveLaunchSettings({ dryRun })).toThrow(`dryRun must be true or false, got ${shown}.`);
  });

  test.each([[[]], ['settings'], [42]])('refuses %j, which is not a JSON object', (given) => {
    expect(() => resolveLaunchSettings(given)).toThrow('Launch settings must be a JSON object.');
  });

  test('refuses a policy or responses with the same errors and messages as the construct', () => {
    expect(() => resolveLaunchSettings({ computePolicy: { maxVcpuPerCall: 16 } })).toThrow(ComputePolicyError);
    expect(() => resolveLaunchSettings({ responses: { 'ec2-launch-template-change': 'STOP' } })).toThrow(ResponseError);
    expect(() => resolveLaunchSettings({ computePolicy: { maxVcpuPerCall: 16 } })).toThrow(new ComputePolicyError(
      `computePolicy.maxVcpuPerCall: no such field. Known fields: ${COMPUTE_POLICY_FIELDS.join(', ')}.`,
    ));
    expect(() => resolveLaunchSettings({ responses: { 'ec2-launch-template-change': 'STOP' } })).toThrow(new ResponseError(
      'responses: \'ec2-launch-template-change\' allows NOTIFY, not STOP.',
    ));
  });
});

describe('readGuardRoleArns', () => {
  test('reads the evaluator\'s role ARN, path included, in any partition', () => {
    expect(readGuardRoleArns('arn:aws:iam::111122223333:role/Guard-LaunchWatchEvaluatorServiceRole-1A2B')).toEqual(['arn:aws:iam::111122223333:role/Guard-LaunchWatchEvaluatorServiceRole-1A2B']);
    expect(readGuardRoleArns('arn:aws-us-gov:iam::111122223333:role/guard/Evaluator')).toEqual(['arn:aws-us-gov:iam::111122223333:role/guard/Evaluator']);
  });

  test.each([[undefined], [''], ['*'], ['arn:aws:iam::111122223333:role/*'], ['arn:aws:iam::111122223333:user/ci-bot'], ['arn:aws:sts::111122223333:assumed-role/R/s']])(
    'names no role for %j, so nothing passes for the guard\'s own call', (value) => {
      expect(readGuardRoleArns(value)).toEqual([]);
    });
});

describe('readGuardContext', () => {
  test('a missing or empty context is empty', () => {
    expect(readGuardContext(undefined)).toEqual({ deployPrincipals: [], guardNamePrefixes: [], guardArns: [], trailBuckets: [] });
    expect(readGuardContext('')).toBe(EMPTY_GUARD_CONTEXT);
  });

  test('reads every list of the context', () => {
    const context = {
      deployPrincipals: ['arn:aws:iam::111122223333:role/cdk-hnb659fds-cfn-exec-role-111122223333-eu-west-1'],
      guardNamePrefixes: ['Guard-'],
      guardArns: ['arn:aws:sns:eu-west-1:111122223333:alerts'],
      trailBuckets: ['guard-trail-logs'],
    };
    expect(readGuardContext(JSON.stringify(context))).toEqual(context);
  });

  test('drops entries that are not strings, and fields that are not lists', () => {
    const json = JSON.stringify({
      deployPrincipals: ['arn:aws:iam::111122223333:role/deployer', 7, null, { arn: 'x' }],
      guardArns: 'arn',
      trailBuckets: {},
    });
    expect(readGuardContext(json)).toEqual({
      deployPrincipals: ['arn:aws:iam::111122223333:role/deployer'], guardNamePrefixes: [], guardArns: [], trailBuckets: [],
    });
  });

  test('keeps only exact role ARNs as deploy principals: a pattern or a session names no deploying role', () => {
    const json = JSON.stringify({
      deployPrincipals: [
        'arn:aws:iam::111122223333:role/deploy/pipeline', 'arn:aws:iam::111122223333:role/cdk-*-cfn-exec-role-*',
        'arn:aws:sts::111122223333:assumed-role/deployer/AWSCloudFormation', 'arn:aws:iam::*:role/deployer', 'deployer',
      ],
    });
    expect(readGuardContext(json).deployPrincipals).toEqual(['arn:aws:iam::111122223333:role/deploy/pipeline']);
  });

  test('reads the compute policy\'s exempt principals, strings only; absent stays absent', () => {
    expect(readGuardContext(JSON.stringify({ exemptPrincipals: ['arn:aws:iam::*:role/patching', 3, null] })).exemptPrincipals).toEqual(['arn:aws:iam::*:role/patching']);
    expect(readGuardContext(JSON.stringify({ exemptPrincipals: 'arn:aws:iam::*:role/patching' })).exemptPrincipals).toBeUndefined();
    expect(readGuardContext(JSON.stringify({ trailBuckets: [] }))).not.toHaveProperty('exemptPrincipals');
  });

  test('reads the guarded regions, keeping only region names; absent stays absent, which is "not told"', () => {
    expect(readGuardContext(JSON.stringify({ guardedRegions: ['us-east-1', 'sa-east-1'] })).guardedRegions).toEqual(['us-east-1', 'sa-east-1']);
    expect(readGuardContext(JSON.stringify({ guardedRegions: ['us-east-1', 'https://evil.example/', 7, 'eu-west'] })).guardedRegions).toEqual(['us-east-1']);
    expect(readGuardContext(JSON.stringify({ guardedRegions: [] })).guardedRegions).toEqual([]);
    expect(readGuardContext(JSON.stringify({ deployPrincipals: [] }))).not.toHaveProperty('guardedRegions');
    expect(readGuardContext(JSON.stringify({ guardedRegions: 'us-east-1' }))).not.toHaveProperty('guardedRegions');
  });

  test('a JSON null or list holds no context', () => {
    expect(readGuardContext('null')).toEqual(EMPTY_GUARD_CONTEXT);
    expect(readGuardContext('["Guard-"]')).toEqual(EMPTY_GUARD_CONTEXT);
  });
});

describe('the config evaluator\'s checks', () => {
  test('each reads only fields of the compute policy, and every check says which', () => {
    expect(Object.keys(CONFIG_CHECK_FIELDS)).toEqual([...CONFIG_CHECKS]);
    for (const fields of Object.values(CONFIG_CHECK_FIELDS)) {
      for (const field of fields) expect(COMPUTE_POLICY_FIELDS).toContain(field);
    }
  });
});

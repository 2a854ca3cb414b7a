import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ComputePolicy, LaunchWatch, LaunchWatchOptions, ResponseMode } from '../../lib';
import { actionsOf, cloudTrailSelections, CONFIRMATION_ACTIONS, HANDLER_ENVIRONMENT, LAUNCH_CONTAINMENT, LAUNCH_DETECTIONS } from '../../lib/catalog';
import { catalogSubscriptionPattern } from '../../lib/launches/subscription-pattern';
import { testAlerts } from '../harness/alert-channel';
import { ruleBranches } from '../harness/rule-branches';

function deploy(options: LaunchWatchOptions = {}, withLogGroup = true, computePolicy?: ComputePolicy): Template {
  const s = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
  new LaunchWatch(s, 'LaunchWatch', {
    ...options,
    alerts: testAlerts(s),
    computePolicy,
    trailLogGroup: withLogGroup ? logs.LogGroup.fromLogGroupName(s, 'Trail', 'trail-logs') : undefined,
  });
  return Template.fromStack(s);
}

/** The launch evaluator's resource: the function whose environment carries launch settings. */
function evaluatorOf(t: Template): { [key: string]: any } | undefined {
  return Object.values(t.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.[HANDLER_ENVIRONMENT.launchEvaluator.launchSettings]);
}

function evaluatorPolicyActions(t: Template): string[] {
  const policies = t.findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p) => (p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>)
    .flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action])));
}

describe('LaunchWatch', () => {
  test('one rule selects exactly the catalog\'s launch calls, a branch per event source', () => {
    const t = deploy();
    // and the minute schedule that flushes alert-storm summaries, and the alert channel's alarm rule
    t.resourceCountIs('AWS::Events::Rule', 3);
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { $or: Match.anyValue() },
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
    const branches = ruleBranches(t);
    expect(branches.map((b) => [b.eventSource[0], b.eventName])).toEqual([...cloudTrailSelections(LAUNCH_DETECTIONS)]);
    for (const b of branches) {
      expect(b).toMatchObject({ source: [`aws.${b.eventSource[0].split('.')[0]}`], detailType: ['AWS API Call via CloudTrail'] });
    }
  });

  test('the trail\'s log group feeds the same evaluator every catalog call, in one subscription filter', () => {
    const t = deploy();
    t.resourceCountIs('AWS::Logs::SubscriptionFilter', 1);
    t.hasResourceProperties('AWS::Logs::SubscriptionFilter', {
      LogGroupName: 'trail-logs',
      FilterPattern: catalogSubscriptionPattern(),
      DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Evaluator'), 'Arn'] },
    });
    deploy({}, false).resourceCountIs('AWS::Logs::SubscriptionFilter', 0);
  });

  test('the evaluator may invoke the alert channel\'s notifier, that one function only, and knows its ARN', () => {
    const t = deploy();
    const notifierId = Object.keys(t.findResources('AWS::Lambda::Function')).find((id) => /^AlertsNotifierFunction[0-9A-F]{8}$/.test(id));
    const notifierArn = { 'Fn::GetAtt': [notifierId, 'Arn'] };
    expect(evaluatorOf(t)?.Properties.Environment.Variables[HANDLER_ENVIRONMENT.launchEvaluator.notifierFunction]).toEqual(notifierArn);
    const invokes = Object.values(t.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>)
      .filter((st) => [st.Action].flat().includes('lambda:InvokeFunction'));
    expect(invokes).toEqual([expect.objectContaining({ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: notifierArn })]);
  });

  test('the notifier shares the evaluator\'s idempotency table, so a call reaching both alerts once', () => {
    const t = deploy();
    const notifier = Object.values(t.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.GUARD_CONTEXT !== undefined
      || (f.Properties.Description as string).includes('notifier'));
    const table = Object.keys(t.findResources('AWS::DynamoDB::Table'))[0];
    expect(notifier?.Properties.Environment.Variables[HANDLER_ENVIRONMENT.notifier.idempotencyTable]).toEqual({ Ref: table });
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('AlertsNotifierFunctionRole') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['dynamodb:PutItem']), Resource: Match.arrayWith([{ 'Fn::GetAtt': [table, 'Arn'] }]) })]) },
    });
  });

  test('a notifier in another stack keeps its own counsel, with a warning that a call may alert twice', () => {
    const app = new App();
    const alerts = testAlerts(new Stack(app, 'Alerts', { env: { account: '111122223333', region: 'eu-west-1' } }));
    const s = new Stack(app, 'Launches', { env: { account: '111122223333', region: 'eu-west-1' } });
    new LaunchWatch(s, 'LaunchWatch', { alerts });
    Annotations.fromStack(s).hasWarning('/Launches/LaunchWatch', Match.stringLikeRegexp('notifier is in another stack.*alerts twice'));
    expect(JSON.stringify(Template.fromStack(alerts.node.scope as Stack).toJSON())).not.toContain(HANDLER_ENVIRONMENT.notifier.idempotencyTable);
  });

  test('the evaluator gets the compute policy, the responses, the topic and an on-demand idempotency table with a TTL', () => {
    const t = deploy({ responses: { 'ec2-instance-launch': ResponseMode.STOP } }, true, { maxVcpusPerCall: 32, exemptPrincipals: ['arn:aws:iam::*:role/ci-*'] });
    t.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    const fn = evaluatorOf(t);
    expect(fn?.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
    expect(JSON.parse(fn!.Properties.Environment.Variables.LAUNCH_SETTINGS)).toEqual({
      computePolicy: { maxVcpusPerCall: 32, exemptPrincipals: ['arn:aws:iam::*:role/ci-*'] },
      responses: { 'ec2-instance-launch': 'STOP' },
      dryRun: false,
    });
  });

  test('notify-only by default: the evaluator may read types, templates, instances, groups, task definitions and prices, and change nothing', () => {
    const actions = evaluatorPolicyActions(deploy());
    expect(actions).toEqual(expect.arrayContaining([
      'autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeLaunchConfigurations',
      'ec2:DescribeInstanceTypes', 'ec2:DescribeInstances', 'ec2:DescribeLaunchTemplateVersions', 'ecs:DescribeTaskDefinition', 'pricing:GetProducts',
    ]));
    // Of ECS, only the task definition is read when nothing is contained.
    expect(actions.filter((a) => a.startsWith('ecs:'))).toEqual(['ecs:DescribeTaskDefinition']);
    for (const d of LAUNCH_DETECTIONS) {
      const changes = Object.values(d.containmentPermissions ?? {}).flat().filter((a) => !/:Describe/.test(a));
      for (const granted of changes) expect(actions).not.toContain(granted);
    }
  });

  /** Every containing response the catalog allows, for every launch detection: the last it lists (QUARANTINE over STOP). */
  const EVERY_RESPONSE = Object.fromEntries(LAUNCH_DETECTIONS.filter((d) => d.responses.length > 1)
    .map((d) => [d.id, d.responses[d.responses.length - 1] as ResponseMode]));

  /** The evaluator's statements that hold containment actions: every statement but the reads every mode has. */
  type Statement = { Action: string | string[]; Condition?: Record<string, Record<string, unknown>> };
  function containmentStatements(t: Template): Statement[] {
    const notifyOnly = new Set(evaluatorPolicyActions(deploy()));
    return Object.values(t.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
      .filter((st) => [st.Action].flat().some((a) => !notifyOnly.has(a)));
  }

  test.each(LAUNCH_DETECTIONS.flatMap((d) => d.responses.filter((r) => r !== 'NOTIFY').map((r) => [d.id, r] as const)))(
    '%s with %s grants exactly the actions its kinds of step need, derived from the containment table', (id, response) => {
      // GIVEN
      const t = deploy({ responses: { [id]: response as ResponseMode } });
      const notifyOnly = new Set(evaluatorPolicyActions(deploy()));

      // WHEN
      const granted = new Set(evaluatorPolicyActions(t));

      // THEN every action of the kinds is granted, and nothing beyond the notify-only reads, these, and what confirms a
      // log-group record before containment acts on it
      const expected = [...actionsOf(LAUNCH_CONTAINMENT[id]![response]!), ...CONFIRMATION_ACTIONS].sort();
      expect([...granted].filter((a) => !notifyOnly.has(a)).sort()).toEqual(expected.filter((a) => !notifyOnly.has(a)));
      for (const action of expected) expect(granted.has(action)).toBe(true);
    });

  test('every change containment may make is limited to this account, and tagging to the guard\'s own tag keys', () => {
    // GIVEN
    const statements = containmentStatements(deploy({ responses: EVERY_RESPONSE }));

    // THEN
    for (const st of statements.filter((s) => [s.Action].flat().some((a) => !/:Describe/.test(a) && !CONFIRMATION_ACTIONS.includes(a)))) {
      expect(st.Condition?.StringEquals?.['aws:ResourceAccount']).toBe('111122223333');
    }
    const tagging = statements.filter((s) => [s.Action].flat().some((a) => /:(CreateTags|CreateOrUpdateTags|TagResource)$/.test(a)));
    expect(tagging.length).toBeGreaterThan(0);
    for (const st of tagging) expect(st.Condition?.['ForAllValues:StringLike']).toEqual({ 'aws:TagKeys': ['mining-guard:*'] });
    const creating = statements.find((s) => [s.Action].flat().includes('ec2:CreateSecurityGroup'));
    expect(creating?.Condition?.StringEquals).toEqual({ 'aws:RequestTag/mining-guard:isolation': 'true', 'aws:ResourceAccount': '111122223333' });
    const revoking = statements.find((s) => [s.Action].flat().includes('ec2:RevokeSecurityGroupEgress'));
    expect(revoking?.Condition?.StringEquals).toEqual({ 'ec2:ResourceTag/mining-guard:isolation': 'true', 'aws:ResourceAccount': '111122223333' });
  });

  test('nothing can terminate, and Auto Scaling\'s capacity cannot be changed', () => {
    const actions = evaluatorPolicyActions(deploy({ responses: EVERY_RESPONSE }));
    expect(actions.filter((a) => /Terminate|UpdateAutoScalingGroup|SetDesiredCapacity/.test(a))).toEqual([]);
  });

  test('containment may read CloudTrail\'s event history, to confirm a log-group record; notify-only and a dry run may not', () => {
    expect(evaluatorPolicyActions(deploy({ responses: { 'ec2-instance-launch': ResponseMode.STOP } }))).toEqual(expect.arrayContaining([...CONFIRMATION_ACTIONS]));
    for (const t of [deploy(), deploy({ responses: EVERY_RESPONSE, dryRun: true })]) {
      for (const action of CONFIRMATION_ACTIONS) expect(evaluatorPolicyActions(t)).not.toContain(action);
    }
  });

  test('the evaluator is told its own role, so that it never judges its own containment calls', () => {
    const t = deploy();
    const role = Object.entries(t.findResources('AWS::IAM::Role')).find(([, r]) => /launch evaluator/.test(r.Properties.Description ?? ''))![0];
    expect(evaluatorOf(t)!.Properties.Environment.Variables[HANDLER_ENVIRONMENT.launchEvaluator.guardRoleArn]).toEqual({ 'Fn::GetAtt': [role, 'Arn'] });
  });

  test('a dry run grants no containment action at all, whatever the responses', () => {
    // GIVEN every containing response, in a dry run
    const t = deploy({ responses: EVERY_RESPONSE, dryRun: true });

    // THEN it has exactly the notify-only policy
    expect(new Set(evaluatorPolicyActions(t))).toEqual(new Set(evaluatorPolicyActions(deploy())));
    expect(containmentStatements(t)).toEqual([]);
  });

  describe('refuses', () => {
    test.each([
      [{ maxVcpusPerCall: 0 }, /LaunchWatch: computePolicy\.maxVcpusPerCall must be a whole number above 0, got 0\. Write e\.g\. maxVcpusPerCall: 64/],
      [{ maxInstancesPerCall: 2.5 }, /computePolicy\.maxInstancesPerCall must be a whole number above 0/],
      [{ maxVcpusPerTask: -1 }, /computePolicy\.maxVcpusPerTask must be a whole number above 0/],
      [{ allowedRegions: ['eu-west'] }, /computePolicy\.allowedRegions: 'eu-west' is not a region name\. Write e\.g\. \['eu-west-1', 'us-east-1'\]/],
    ] as Array<[ComputePolicy, RegExp]>)('the compute policy %j', (computePolicy, message) => {
      expect(() => deploy({}, true, computePolicy)).toThrow(message);
    });

    test.each([
      [{ responses: { 'ec2-launch': ResponseMode.STOP } }, /LaunchWatch: responses names 'ec2-launch', which is not a launch detection\. Launch detections: ec2-instance-launch/],
      [{ responses: { 'service-quota-increase': ResponseMode.STOP } }, /'service-quota-increase' allows NOTIFY, not STOP/],
    ] as Array<[LaunchWatchOptions, RegExp]>)('%j', (options, message) => {
      expect(() => deploy(options)).toThrow(message);
    });
  });
});

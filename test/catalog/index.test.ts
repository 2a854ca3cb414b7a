import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { unrecognisedAlert } from '../../lambda/core/alerts/unrecognised-alert';
import { CloudTrailRecord, readRecord } from '../../lambda/core/events/cloudtrail-record';
import { describeLaunch, LAUNCH_REQUEST_READERS } from '../../lambda/core/launch/launch-request';
import { describeAction, planContainment } from '../../lambda/core/launch/plan-containment';
import { stormSummaryAlert } from '../../lambda/core/launch/storm';
import { alertForEvent } from '../../lambda/core/notifier/alert-for-event';
import { CALL_JUDGES } from '../../lambda/core/notifier/judge-cloudtrail';
import { spendAlert } from '../../lambda/core/spend/spend-alert';
import { ComplianceRule, MiningGuard, RecorderMode } from '../../lib';
import {
  classifyAlarmMetric, classifyConfigRule, classifyGuardDutyFinding, cloudTrailSelections, Detection, detection, DetectionId,
  DETECTIONS, guardDutyFindingTypePatterns, JUDGED_CALL_DETECTIONS, LAUNCH_DETECTIONS, SEVERITIES, Signal, SignalKind,
} from '../../lib/catalog';
import { cloudTrailPatterns } from '../../lib/common/cloudtrail-rules';
import { catalogSubscriptionPattern } from '../../lib/launches/subscription-pattern';
import { asRoot, cloudTrailRecord } from '../fixtures/documented-cloudtrail';
import { readJsonLines } from '../fixtures/real-events';
import { parseFilterPattern } from '../harness/filter-pattern';

const GUARDDUTY_OTHER = detection('guardduty-other');

describe('the detection catalog', () => {
  test('ids are unique, lower-case words joined by dashes', () => {
    const ids = DETECTIONS.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  test('every detection explains itself, says what to do, and can at least notify', () => {
    for (const d of DETECTIONS) {
      expect(d.title.length).toBeGreaterThan(5);
      expect(d.rationale.length).toBeGreaterThan(40);
      expect(d.nextSteps.length).toBeGreaterThan(0);
      expect(d.responses).toContain('NOTIFY');
      expect(SEVERITIES).toContain(d.severity);
    }
  });

  test.each(DETECTIONS.flatMap((d) => (d.references.guardDutyTypes ?? []).map((type) => [type, d.id])))(
    'GuardDuty type %s is classified as %s', (type, id) => {
      expect(classifyGuardDutyFinding(type).id).toBe(id);
    });

  test.each([
    'CryptoCurrency:EC2/BitcoinTool.B!DNS',
    'CryptoCurrency:Lambda/BitcoinTool.B',
    'Impact:EC2/BitcoinDomainRequest.Reputation',
    'Impact:Runtime/BitcoinDomainRequest.Reputation',
    'Impact:Runtime/CryptoMinerExecuted',
    'AttackSequence:IAM/CompromisedCredentials',
    'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
    'Execution:EC2/MaliciousFile',
    'Execution:S3/MaliciousFile',
    'Stealth:IAMUser/CloudTrailLoggingDisabled',
    'Policy:IAMUser/RootCredentialUsage',
    'Discovery:IAMUser/AnomalousBehavior',
    'Impact:IAMUser/CostHarvesting',
    'Impact:IAMUser/AnomalousModelInvocation',
    'Recon:IAMUser/MaliciousIPCaller.Custom',
    'PenTest:S3/ParrotLinux',
  ])('the issue\'s finding type %s is in the catalog', (type) => {
    expect(classifyGuardDutyFinding(type)).not.toBe(GUARDDUTY_OTHER);
  });

  test.each([
    'Canary:EC2/Stateless.IntegTest',
    'Impact:EC2/PortSweep',
  ])('%s is not a catalog detection', (type) => {
    expect(classifyGuardDutyFinding(type)).toBe(GUARDDUTY_OTHER);
  });
});

/** What one path of the guard has for a detection: the route its events take, and what reads them into its alert. */
interface Coverage {
  readonly route?: string;
  readonly reader?: string;
}

/** A whole guard with every optional part on, synthesized once: where the alarms and filters of the catalog live. */
const guardStack = new Stack(new App(), 'Guard', { env: { account: '111122223333', region: 'eu-west-1' } });
const guard = new MiningGuard(guardStack, 'MiningGuard', {
  compliance: { recorder: RecorderMode.ADOPT, allowedInstanceTypes: ['t3.micro'], cisMetricFilters: true },
  computePolicy: { allowedRegions: ['eu-west-1'] },
});
const template = Template.fromStack(guardStack);
const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
const alarmPrefix = guard.alertChannel.notifier.alarmNamePrefix;
const configRuleNames = Object.values(template.findResources('AWS::Config::ConfigRule')).map((r) => r.Properties.ConfigRuleName as string);
const launchSelections = cloudTrailSelections(LAUNCH_DETECTIONS);
const judgedSelections = cloudTrailSelections(JUDGED_CALL_DETECTIONS);
const judgedPatterns = JSON.stringify(cloudTrailPatterns(JUDGED_CALL_DETECTIONS));
const trailSubscription = parseFilterPattern(catalogSubscriptionPattern());
/** Whether the trail's subscription sends every call of the detection to the launch evaluator. */
const subscribed = (source: string, names: readonly string[]) => names
  .every((n) => trailSubscription.matches(JSON.stringify(cloudTrailRecord(source, n, {}))));

/** Whether one of the guard's alarms watches the metric: directly, or within an anomaly detection band's metrics. */
function alarmOn(namespace: string | undefined, metricName: string): boolean {
  return alarms.some((a) => a.AlarmName?.startsWith(alarmPrefix)
    && ((a.Namespace === namespace || namespace === undefined) && a.MetricName === metricName
      || (a.Metrics ?? []).some((m: any) => m.MetricStat?.Metric?.MetricName === metricName)));
}

const yes = (condition: boolean, what: string): string | undefined => (condition ? what : undefined);

/** What each signal kind's path has for a detection; a signal kind without a path fails to compile. */
const PATHS: { readonly [K in SignalKind]: (d: Detection<DetectionId> & { readonly signal: Extract<Signal, { kind: K }> }) => Coverage } = {
  'guardduty': (d) => ({
    route: yes(d.signal.findingTypes.length > 0 && d.signal.findingTypes.every((t) => guardDutyFindingTypePatterns().includes(t)), 'ThreatDetection\'s finding rule'),
    reader: yes((d.references.guardDutyTypes ?? []).length > 0 && d.references.guardDutyTypes!.every((t) => classifyGuardDutyFinding(t).id === d.id), 'the GuardDuty reader'),
  }),
  'cloudtrail': (d) => {
    const names = d.signal.eventNames;
    if ((LAUNCH_DETECTIONS as readonly Detection<string>[]).includes(d)) {
      const containing = d.responses.filter((r) => r !== 'NOTIFY');
      return {
        route: yes(names.every((n) => launchSelections.get(d.signal.eventSource)?.includes(n)) && subscribed(d.signal.eventSource, names),
          'LaunchWatch\'s rules and the trail\'s subscription'),
        reader: yes(names.every((n) => typeof (LAUNCH_REQUEST_READERS as Record<string, unknown>)[n] === 'function')
          && containing.every((r) => (d.containmentPermissions?.[r] ?? []).length > 0), `the launch evaluator's request readers${containing.length > 0 ? `, containing with ${containing.join(', ')}` : ''}`),
      };
    }
    return {
      route: yes(names.every((n) => judgedSelections.get(d.signal.eventSource)?.includes(n)) && subscribed(d.signal.eventSource, names),
        'TamperWatch\'s rules, and the trail\'s subscription through the launch evaluator'),
      reader: yes(typeof (CALL_JUDGES as Record<string, unknown>)[d.id] === 'function', 'the notifier\'s call judges'),
    };
  },
  'cloudtrail-identity': (d) => ({
    route: yes(judgedPatterns.includes(JSON.stringify({ userIdentity: { type: [d.signal.identityType] } }))
      && trailSubscription.matches(JSON.stringify({ ...asRoot(cloudTrailRecord('ec2.amazonaws.com', 'DescribeRegions', {})), readOnly: true })),
    'TamperWatch\'s rules, and the trail\'s subscription through the launch evaluator'),
    reader: yes(typeof (CALL_JUDGES as Record<string, unknown>)[d.id] === 'function', 'the notifier\'s call judges'),
  }),
  'config': (d) => ({
    route: yes((Object.values(ComplianceRule) as string[]).includes(d.signal.rule) && configRuleNames.includes(`MiningGuard-${d.signal.rule}`), 'ComplianceRules\' rule'),
    reader: yes(classifyConfigRule(`MiningGuard-${d.signal.rule}`).id === d.id, 'the compliance reader'),
  }),
  'cost': (d) => {
    switch (d.signal.source) {
      case 'budgets': return {
        route: yes(Object.keys(template.findResources('AWS::Budgets::Budget')).length > 0, 'SpendGuard\'s budgets, through the spend topic'),
        reader: yes(alertForEvent(readJsonLines('cost/budgets_sns_notification.jsonl')[0]).alert?.detectionId === d.id, 'the Budgets reader'),
      };
      case 'anomaly-detection': return {
        route: yes(Object.keys(template.findResources('AWS::CE::AnomalySubscription')).length === 1, 'SpendGuard\'s anomaly subscription, through the spend topic'),
        reader: yes(alertForEvent(readJsonLines('cost/cost_anomaly_sns_example_awsdocs.jsonl')[0]).alert?.detectionId === d.id, 'the Cost Anomaly Detection reader'),
      };
      case 'spend-evaluator': return {
        route: yes(guard.spendGuard.spendEvaluator !== undefined, 'the spend evaluator\'s schedule'),
        reader: yes(spendAlert({
          verdict: 'accelerating',
          budget: { name: 'monthly', limitUsd: 1000, actualUsd: 400 },
          reason: 'accelerating',
          burnUsdPerHour: 30,
          historyPeriods: 0,
          next: { actualUsd: 400, seenAt: '2026-11-20T03:00:00Z' },
        } as Parameters<typeof spendAlert>[0], { account: '111122223333', partition: 'aws' }).detectionId === d.id, 'the spend alert'),
      };
    }
  },
  'alarm': (d) => ({
    route: yes(alarmOn(d.signal.namespace, d.signal.metricName), 'an alarm named for the notifier\'s alarm rule'),
    reader: yes(classifyAlarmMetric(d.signal.namespace, d.signal.metricName).id === d.id, 'the alarm reader'),
  }),
  'metric-filter': (d) => ({
    route: yes(Object.values(template.findResources('AWS::Logs::MetricFilter')).some((f) => f.Properties.FilterPattern === d.signal.pattern)
      && alarmOn(undefined, d.signal.metricName), 'a CIS metric filter and its alarm'),
    reader: yes(classifyAlarmMetric('MiningGuard/CIS', d.signal.metricName).id === d.id, 'the alarm reader'),
  }),
  'burst': (d) => ({
    route: yes(guard.launchWatch.stormFlush !== undefined, 'the storm flush schedule'),
    reader: yes(stormSummaryAlert({
      principal: 'user/ci-bot',
      windowStart: '2026-11-20T03:00:00Z',
      count: 2,
      usdPerHour: 1,
      regions: ['eu-west-1'],
      detections: ['ec2-instance-launch'],
      entries: [],
    }, '111122223333')?.detectionId === d.id, 'the storm summary'),
  }),
  'catch-all': (d) => {
    switch (d.signal.of) {
      case 'guardduty': return { route: 'ThreatDetection\'s finding rule', reader: yes(classifyGuardDutyFinding('Recon:EC2/Portscan').id === d.id, 'the GuardDuty reader') };
      case 'config': return { route: 'ComplianceRules\' rule', reader: yes(classifyConfigRule('SomeoneElse-rule').id === d.id, 'the compliance reader') };
      case 'alarm': return { route: 'the notifier\'s alarm rule', reader: yes(classifyAlarmMetric('AWS/EC2', 'CPUUtilization').id === d.id, 'the alarm reader') };
      case 'unreadable': return {
        route: 'any rule to the notifier or the launch evaluator',
        reader: yes(alertForEvent({ garbage: true }).alert?.detectionId === d.id && unrecognisedAlert(42, 'x').detectionId === d.id, 'the unrecognised-event alert'),
      };
    }
  },
};

describe('every catalog entry, and what each path has for it', () => {
  const rows = DETECTIONS.map((d) => {
    const coverage = (PATHS[d.signal.kind] as (x: typeof d) => Coverage)(d);
    return [d.id, coverage.route ?? 'NO ROUTE', coverage.reader ?? 'NO READER'] as const;
  });

  test.each(rows)('%s: routed by %s, read by %s', (_id, route, reader) => {
    expect(route).not.toBe('NO ROUTE');
    expect(reader).not.toBe('NO READER');
  });

  test('a launch detection that contains has a planned step for what its calls create', () => {
    // GIVEN the call of each containing launch detection, as the documented record shape with what it created
    const created: Partial<Record<DetectionId, Record<string, unknown>>> = {
      'ec2-instance-launch': cloudTrailRecord('ec2.amazonaws.com', 'RunInstances', { instanceType: 'p3.2xlarge' }, { instancesSet: { items: [{ instanceId: 'i-0aaa' }] } }),
      'ec2-instance-protection': cloudTrailRecord('ec2.amazonaws.com', 'ModifyInstanceAttribute', { instanceId: 'i-0aaa', disableApiTermination: { value: true } }),
      'ec2-fleet-request': cloudTrailRecord('ec2.amazonaws.com', 'RequestSpotFleet', { spotFleetRequestConfig: { targetCapacity: 50 } }, { spotFleetRequestId: 'sfr-1' }),
      'autoscaling-capacity-change': cloudTrailRecord('autoscaling.amazonaws.com', 'CreateAutoScalingGroup', { autoScalingGroupName: 'asg', maxSize: 99 }),
      'ecs-task-launch': cloudTrailRecord('ecs.amazonaws.com', 'RunTask', { count: 10 }, { tasks: [{ taskArn: 'arn:aws:ecs:sa-east-1:123456789012:task/t', clusterArn: 'c' }] }),
      'batch-compute-environment-change': cloudTrailRecord('batch.amazonaws.com', 'CreateComputeEnvironment', { computeEnvironmentName: 'ce', computeResources: { maxvCpus: 4096 } }),
      'sagemaker-compute-launch': cloudTrailRecord('sagemaker.amazonaws.com', 'CreateNotebookInstance', { notebookInstanceName: 'nb', instanceType: 'ml.p3.2xlarge' }),
    };
    for (const d of LAUNCH_DETECTIONS.filter((x) => x.responses.some((r) => r !== 'NOTIFY'))) {
      const record = created[d.id];
      expect([d.id, record !== undefined]).toEqual([d.id, true]);
      const call = readRecord(record) as CloudTrailRecord;
      // WHEN the detection's strongest response is planned
      const plan = planContainment(call, describeLaunch(call), d.id, d.responses[d.responses.length - 1], new Date());
      // THEN there is a step for what the call created
      expect([d.id, plan.actions.map(describeAction).length]).toEqual([d.id, expect.any(Number)]);
      expect(plan.actions.length).toBeGreaterThan(0);
    }
  });
});

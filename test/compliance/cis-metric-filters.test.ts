import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CisMetricFilters, RecorderMode } from '../../lib';
import { CIS_DETECTIONS } from '../../lib/catalog';
import { testAlerts } from '../harness/alert-channel';
import { rules, stack } from '../harness/compliance-rules';

describe('the CIS metric filters', () => {
  test('one filter per CIS monitoring control with the benchmark\'s exact pattern, each alarming through the notifier on the first match', () => {
    // WHEN
    const { template } = rules({ recorder: RecorderMode.ADOPT, cisMetricFilters: true });
    // THEN
    template.resourceCountIs('AWS::Logs::MetricFilter', 15);
    expect(CIS_DETECTIONS.map((d) => d.signal.control)).toEqual(Array.from({ length: 15 }, (_, i) => `4.${i + 1}`));
    for (const { id, signal: control } of CIS_DETECTIONS) {
      template.hasResourceProperties('AWS::Logs::MetricFilter', {
        FilterPattern: control.pattern,
        LogGroupName: { Ref: Match.stringLikeRegexp('TrailLogs') },
        MetricTransformations: [{ MetricNamespace: 'MiningGuard/CIS', MetricName: control.metricName, MetricValue: '1' }],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: Match.stringLikeRegexp(`-${id}$`),
        AlarmDescription: Match.stringLikeRegexp(`^MiningGuard CIS ${control.control.replace('.', '\\.')}: `),
        MetricName: control.metricName,
        Namespace: 'MiningGuard/CIS',
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: Match.absent(),
      });
    }
    expect(CIS_DETECTIONS[0].signal.pattern).toBe(
      '{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") '
      + '&& ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
    );
  });

  test('are off by default', () => {
    rules({ recorder: RecorderMode.ADOPT }).template.resourceCountIs('AWS::Logs::MetricFilter', 0);
  });
});

describe('CisMetricFilters', () => {
  // GIVEN
  const s = stack();
  const alerts = testAlerts(s);
  const filters = new CisMetricFilters(s, 'Cis', {
    logGroup: new logs.LogGroup(s, 'TrailLogs'),
    alerts,
    metricNamespace: 'Security/CIS',
  });
  const template = Template.fromStack(s);

  test('counts into the namespace it is given, and alarms on the same metrics', () => {
    expect(Object.keys(template.findResources('AWS::Logs::MetricFilter', {
      Properties: { MetricTransformations: [Match.objectLike({ MetricNamespace: 'Security/CIS' })] },
    }))).toHaveLength(15);
    expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm', { Properties: { Namespace: 'Security/CIS' } }))).toHaveLength(15);
  });

  test('names each alarm for the notifier with its detection, and says which control and title in its description', () => {
    const root = CIS_DETECTIONS.find((d) => d.id === 'cis-root-usage')!;
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: alerts.alarmName('cis-root-usage'),
      AlarmDescription: `MiningGuard CIS 4.3: ${root.title} in CloudTrail. Search the trail's log group for the matching events.`,
      MetricName: 'RootUsage',
    });
  });

  test('exposes the alarms by control number', () => {
    expect(Object.keys(filters.alarms)).toEqual(CIS_DETECTIONS.map((d) => d.signal.control));
    expect(filters.alarms['4.3'].node.path).toBe('Test/Cis/RootUsageAlarm');
  });
});

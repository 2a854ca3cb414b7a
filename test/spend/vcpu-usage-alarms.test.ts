import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { VcpuUsageAlarms, VcpuUsageAlarmsOptions, VcpuUsageClass } from '../../lib';
import { testAlerts } from '../harness/alert-channel';

function alarms(options: VcpuUsageAlarmsOptions = {}): { t: Template; construct: VcpuUsageAlarms } {
  const s = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'sa-east-1' } });
  const construct = new VcpuUsageAlarms(s, 'Vcpu', { ...options, alerts: testAlerts(s) });
  return { t: Template.fromStack(s), construct };
}

function dimensions(usageClass: string): unknown[] {
  // Sorted by name, as CloudFormation receives them.
  return [
    { Name: 'Class', Value: usageClass },
    { Name: 'Resource', Value: 'vCPU' },
    { Name: 'Service', Value: 'EC2' },
    { Name: 'Type', Value: 'Resource' },
  ];
}

describe('VcpuUsageAlarms', () => {
  test('by default: a static and a band alarm for every On-Demand class and the Spot classes, named to alert through the notifier', () => {
    const { t, construct } = alarms();
    // and the alert channel's own dead-letter alarm
    t.resourceCountIs('AWS::CloudWatch::Alarm', 23);
    expect(construct.alarms).toHaveLength(22);
    for (const usageClass of ['Standard/OnDemand', 'G/OnDemand', 'P/OnDemand', 'Inf/OnDemand', 'Trn/OnDemand', 'F/OnDemand', 'X/OnDemand', 'DL/OnDemand', 'Standard/Spot', 'G/Spot', 'P/Spot']) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Usage',
        MetricName: 'ResourceCount',
        Dimensions: dimensions(usageClass),
        Statistic: 'Maximum',
        Period: 60,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmName: Match.stringLikeRegexp(`-vcpu-usage-surge-${usageClass.replace('/', '')}-above-baseline$`),
        AlarmActions: Match.absent(),
      });
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        ComparisonOperator: 'GreaterThanUpperThreshold',
        ThresholdMetricId: Match.anyValue(),
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: Match.stringLikeRegexp('ANOMALY_DETECTION_BAND\\(m\\d+, 3\\)') }),
          Match.objectLike({ MetricStat: { Metric: { Namespace: 'AWS/Usage', MetricName: 'ResourceCount', Dimensions: dimensions(usageClass) }, Period: 300, Stat: 'Maximum' } }),
        ]),
        AlarmName: Match.stringLikeRegexp(`-vcpu-usage-surge-${usageClass.replace('/', '')}-above-band$`),
        AlarmActions: Match.absent(),
      });
    }
  });

  test('the default baselines: 16 standard On-Demand vCPUs (alarm above 32), none of the rest (alarm above 4)', () => {
    const { t } = alarms();
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Dimensions: dimensions('Standard/OnDemand'), Threshold: 32 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Dimensions: dimensions('P/OnDemand'), Threshold: 4 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Dimensions: dimensions('Standard/Spot'), Threshold: 4 });
  });

  test('baselines set the static thresholds: twice the baseline, and at least 4 vCPUs above it', () => {
    const { t } = alarms({ baselineVcpus: { 'Standard/OnDemand': 200, 'G/OnDemand': 2 } });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Dimensions: dimensions('Standard/OnDemand'), Threshold: 400 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Dimensions: dimensions('G/OnDemand'), Threshold: 6 });
  });

  test('usageClasses and anomalyBandWidth choose the classes and the band', () => {
    const { t } = alarms({ usageClasses: [VcpuUsageClass.G_ON_DEMAND, VcpuUsageClass.P_SPOT], anomalyBandWidth: 2 });
    t.resourceCountIs('AWS::CloudWatch::Alarm', 4 + 1);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Metrics: Match.arrayWith([Match.objectLike({ Expression: Match.stringLikeRegexp('ANOMALY_DETECTION_BAND\\(m\\d+, 2\\)') })]) });
  });

  test('anomalyBands: false keeps the static alarms alone', () => {
    const { t, construct } = alarms({ anomalyBands: false });
    expect(construct.alarms).toHaveLength(Object.values(VcpuUsageClass).length);
    expect(JSON.stringify(t.toJSON())).not.toContain('ANOMALY_DETECTION_BAND');
  });

  describe('refuses', () => {
    test.each([
      ['a band width without bands', { anomalyBands: false, anomalyBandWidth: 2 }, /`anomalyBandWidth` sets the band alarms, but `anomalyBands: false` turns them off/],
      ['an unknown class', { baselineVcpus: { 'GPU/OnDemand': 4 } }, /unknown class 'GPU\/OnDemand'. Write one of 'Standard\/OnDemand', 'G\/OnDemand'/],
      ['a negative baseline', { baselineVcpus: { 'G/OnDemand': -1 } }, /the baseline of 'G\/OnDemand' must be a number of vCPUs, 0 or more, got -1/],
      ['a band of no width', { anomalyBandWidth: 0 }, /anomalyBandWidth must be more than 0 standard deviations/],
    ])('%s', (_name, options, message) => {
      expect(() => alarms(options)).toThrow(message);
    });
  });
});

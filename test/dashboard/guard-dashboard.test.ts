import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { GuardDashboard, MiningGuard, VcpuUsageClass } from '../../lib';
import { CONTAINMENT_OUTCOMES, HANDLER_ENVIRONMENT, SEVERITIES } from '../../lib/catalog';

function stack(region = 'eu-west-1'): Stack {
  return new Stack(new App(), 'Test', { env: { account: '111122223333', region } });
}

/** A widget of the dashboard body, as CloudWatch reads it. */
interface Widget {
  readonly type: string;
  readonly width: number;
  readonly x: number;
  readonly y: number;
  readonly properties: {
    readonly title?: string;
    readonly markdown?: string;
    readonly region?: string;
    readonly start?: string;
    readonly metrics?: unknown[][];
    readonly annotations?: { horizontal?: Array<{ value: number; label: string }> };
  };
}

/**
 * The widgets of the stack's one dashboard. Its body is joined from text and references; each reference is read as
 * `<ref:LogicalId>`, so a test can see what a metric names.
 */
function widgets(s: Stack): Widget[] {
  const dashboards = Object.values(Template.fromStack(s).findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  const body = dashboards[0].Properties.DashboardBody as string | { 'Fn::Join': [string, unknown[]] };
  const text = typeof body === 'string' ? body : body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : `<ref:${JSON.stringify(part).replace(/"/g, '\'')}>`)).join('');
  return (JSON.parse(text) as { widgets: Widget[] }).widgets;
}

const titled = (all: Widget[], title: string | RegExp) => all.filter((w) => w.properties.title !== undefined && (typeof title === 'string' ? w.properties.title === title : title.test(w.properties.title)));
const metricText = (w: Widget) => JSON.stringify(w.properties.metrics);

describe('GuardDashboard', () => {
  test('draws detections by severity, one line per severity, from the Detections metric the handlers emit', () => {
    const s = stack();
    new GuardDashboard(s, 'Dashboard');
    const [widget] = titled(widgets(s), /^Detections by severity/);
    const expressions = widget.properties.metrics!.map((m) => (m[0] as { expression: string; label: string }));
    expect(expressions.map((e) => e.label).sort()).toEqual([...SEVERITIES].sort());
    expect(expressions[0].expression).toBe('SUM(SEARCH(\'{MiningGuard,detection,service,severity} MetricName="Detections" severity="CRITICAL"\', \'Sum\', 3600))');
  });

  test('draws detections by detection with a SEARCH of every detection\'s series, labelled by its dimensions', () => {
    const s = stack();
    new GuardDashboard(s, 'Dashboard');
    const [widget] = titled(widgets(s), /^Detections by detection/);
    expect(widget.properties.metrics).toEqual([[expect.objectContaining({
      expression: 'SEARCH(\'{MiningGuard,detection,service,severity} MetricName="Detections"\', \'Sum\', 3600)',
      label: '${PROP(\'Dim.detection\')} ${PROP(\'Dim.severity\')}',
    })]]);
  });

  test('draws each containment outcome the launch evaluator counts', () => {
    const s = stack();
    new GuardDashboard(s, 'Dashboard');
    const [widget] = titled(widgets(s), /^Containment steps/);
    expect(widget.properties.metrics).toEqual(CONTAINMENT_OUTCOMES.map((outcome) => [
      'MiningGuard', 'ContainmentActions', 'outcome', outcome, 'service', 'mining-guard-launch-evaluator', expect.objectContaining({ label: outcome, stat: 'Sum' }),
    ]));
  });

  test('draws one graph of running vCPUs per watched region, each class against its static alarm\'s threshold', () => {
    const s = stack();
    new GuardDashboard(s, 'Dashboard', {
      regions: [
        { region: 'eu-west-1', vcpuAlarms: { baselineVcpus: { 'G/OnDemand': 8 } } },
        { region: 'us-east-1', vcpuAlarms: { usageClasses: [VcpuUsageClass.G_ON_DEMAND, VcpuUsageClass.P_ON_DEMAND] } },
        { region: 'ap-south-1' },
      ],
    });
    const graphs = titled(widgets(s), /^Running vCPUs by class/);
    expect(graphs.map((g) => g.properties.title)).toEqual(['eu-west-1', 'us-east-1', 'ap-south-1'].map((r) => `Running vCPUs by class: ${r}`));
    // Home: every class in the dashboard's own region, then each class's band; 16 standard vCPUs alarm above 32, 8 G vCPUs above 16, the rest above 4.
    expect(graphs[0].properties.metrics).toHaveLength(2 * Object.values(VcpuUsageClass).length);
    expect(graphs[0].properties.metrics![0]).toEqual(['AWS/Usage', 'ResourceCount', 'Class', 'Standard/OnDemand', 'Resource', 'vCPU', 'Service', 'EC2', 'Type', 'Resource', expect.objectContaining({ stat: 'Maximum' })]);
    expect(graphs[0].properties.annotations!.horizontal!.map((a) => a.value).sort((a, b) => a - b)).toEqual([4, 16, 32]);
    expect(graphs[0].properties.annotations!.horizontal!.find((a) => a.value === 16)!.label).toBe('Alarm above 16: G/OnDemand');
    // Another region's metrics are read from that region.
    expect(graphs[1].properties.metrics!.map((m) => (m[m.length - 1] as { region?: string }).region)).toEqual(['us-east-1', 'us-east-1']);
    expect(graphs[1].properties.annotations!.horizontal).toEqual([expect.objectContaining({ value: 4, label: 'Alarm above 4: G/OnDemand, P/OnDemand' })]);
    // A region without vCPU alarms: its vCPUs, no threshold.
    expect(graphs[2].properties.annotations).toBeUndefined();
  });

  test('draws, beside each class\'s running vCPUs, the anomaly-detection band its band alarm fires above, as wide as the alarm\'s', () => {
    // GIVEN
    const s = stack();
    // WHEN
    new GuardDashboard(s, 'Dashboard', {
      regions: [
        { region: 'eu-west-1', vcpuAlarms: { usageClasses: [VcpuUsageClass.G_ON_DEMAND, VcpuUsageClass.P_ON_DEMAND] } },
        { region: 'us-east-1', vcpuAlarms: { usageClasses: [VcpuUsageClass.G_ON_DEMAND], anomalyBandWidth: 2 } },
        { region: 'sa-east-1', vcpuAlarms: { usageClasses: [VcpuUsageClass.G_ON_DEMAND], anomalyBands: false } },
        { region: 'ap-south-1' },
      ],
    });
    // THEN
    const [home, other, unbanded, unwatched] = titled(widgets(s), /^Running vCPUs by class/).map((g) => g.properties);
    const bands = (metrics: unknown[][]) => metrics.flatMap((m) => m.length === 1 ? [m[0] as { expression: string; label: string }] : []);
    const ids = (metrics: unknown[][]) => metrics.filter((m) => m.length > 1).map((m) => [m[3], (m[m.length - 1] as { id?: string }).id]);
    // The band of the very metric drawn (and alarmed on), by its id, 3 standard deviations wide as the alarms by default.
    expect(ids(home.metrics!)).toEqual([['G/OnDemand', 'vcpus0'], ['P/OnDemand', 'vcpus1']]);
    expect(bands(home.metrics!)).toEqual([
      { expression: 'ANOMALY_DETECTION_BAND(vcpus0, 3)', label: 'G/OnDemand expected band (3 std devs)' },
      { expression: 'ANOMALY_DETECTION_BAND(vcpus1, 3)', label: 'P/OnDemand expected band (3 std devs)' },
    ]);
    // Another region: its band as wide as its alarms', learned and drawn in that region, beside its static threshold.
    expect(bands(other.metrics!)).toEqual([{ expression: 'ANOMALY_DETECTION_BAND(vcpus0, 2)', label: 'G/OnDemand expected band (2 std devs)' }]);
    expect(other.region).toBe('us-east-1');
    expect(other.annotations!.horizontal).toEqual([expect.objectContaining({ value: 4 })]);
    // No band alarm, or no alarm at all: no band.
    expect(bands(unbanded.metrics!)).toEqual([]);
    expect(bands(unwatched.metrics!)).toEqual([]);
  });

  test('draws the band of each region as MiningGuard alarms it: the home region\'s bands, none in the other regions by default', () => {
    const s = stack();
    new MiningGuard(s, 'MiningGuard', {
      alertEmails: ['secops@example.com'],
      everyRegion: { regions: ['us-east-1'] },
      spendGuard: { vcpuAlarmOptions: { usageClasses: [VcpuUsageClass.G_ON_DEMAND], anomalyBandWidth: 4 } },
    });
    const graphs = titled(widgets(s), /^Running vCPUs by class/).map((g) => g.properties.metrics!);
    const expressions = graphs.map((metrics) => metrics.filter((m) => m.length === 1).map((m) => (m[0] as { expression: string }).expression));
    expect(expressions).toEqual([['ANOMALY_DETECTION_BAND(vcpus0, 4)'], []]);
    // The band alarm the home graph draws watches the same metric, as wide.
    const bandAlarms = Object.values(Template.fromStack(s).findResources('AWS::CloudWatch::Alarm', { Properties: { ThresholdMetricId: Match.anyValue() } }));
    type AlarmMetric = { Expression?: string; MetricStat?: { Metric: { Dimensions: unknown[] }; Stat: string } };
    expect(bandAlarms.map((a) => (a.Properties.Metrics as AlarmMetric[])
      .map((m) => m.Expression ?? `${m.MetricStat!.Stat} ${JSON.stringify(m.MetricStat!.Metric.Dimensions)}`))).toEqual([[
      'ANOMALY_DETECTION_BAND(m0, 4)',
      `Maximum ${JSON.stringify([{ Name: 'Class', Value: 'G/OnDemand' }, { Name: 'Resource', Value: 'vCPU' }, { Name: 'Service', Value: 'EC2' }, { Name: 'Type', Value: 'Resource' }])}`,
    ]]);
  });

  test('draws month-to-date spend from us-east-1, where alone AWS/Billing is, against the budget', () => {
    const s = stack();
    new GuardDashboard(s, 'Dashboard', { monthlyBudgetUsd: 500 });
    const [widget] = titled(widgets(s), /^Month-to-date spend/);
    expect(widget.properties.title).toContain('us-east-1 only');
    expect(widget.properties.metrics).toEqual([['AWS/Billing', 'EstimatedCharges', 'Currency', 'USD', expect.objectContaining({ region: 'us-east-1', stat: 'Maximum' })]]);
    expect(widget.properties.annotations!.horizontal).toEqual([expect.objectContaining({ value: 500, label: 'Monthly budget: $500' })]);
    expect(widget.properties.start).toBe('-P31D');
  });

  test('draws the guard\'s health: each function\'s errors and duration, dead-letter depth, and the trail\'s log group intake', () => {
    const s = stack();
    const queue = new sqs.Queue(s, 'Queue');
    const trailLogs = new logs.LogGroup(s, 'TrailLogs');
    new GuardDashboard(s, 'Dashboard', { deadLetterQueues: [queue], trailLogGroup: trailLogs });
    const all = widgets(s);
    expect(titled(all, /^Guard function errors/)).toHaveLength(1);
    expect(titled(all, /^Guard function duration/)).toHaveLength(1);
    const [depth] = titled(all, /^Dead-letter queue depth/);
    expect(metricText(depth)).toContain('ApproximateNumberOfMessagesVisible');
    expect(metricText(depth)).toContain('QueueName');
    expect(depth.properties.annotations!.horizontal).toEqual([expect.objectContaining({ value: 1 })]);
    const [trail] = titled(all, /^Trail delivery/);
    expect(trail.properties.metrics![0].slice(0, 3)).toEqual(['AWS/Logs', 'IncomingLogEvents', 'LogGroupName']);
    expect(metricText(trail)).toContain('TrailLogs');
  });

  test('without a trail log group, has no trail delivery graph', () => {
    const s = stack();
    new GuardDashboard(s, 'Dashboard');
    expect(titled(widgets(s), /^Trail delivery/)).toEqual([]);
  });

  test('is named after its stack and region, and its URL opens it in the console of the stack\'s region', () => {
    const s = stack('ap-southeast-2');
    const dashboard = new GuardDashboard(s, 'Dashboard');
    expect(dashboard.dashboardName).toBe('MiningGuard-Test-ap-southeast-2');
    expect(dashboard.dashboardUrl).toBe('https://ap-southeast-2.console.aws.amazon.com/cloudwatch/home?region=ap-southeast-2#dashboards/dashboard/MiningGuard-Test-ap-southeast-2');
    Template.fromStack(s).hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'MiningGuard-Test-ap-southeast-2' });
  });

  test('refuses a name CloudWatch would refuse, and a budget that is no amount, saying what to write', () => {
    expect(() => new GuardDashboard(stack(), 'Dashboard', { dashboardName: 'mining guard' })).toThrow(/only letters, digits, '-' and '_'.*Write e.g. dashboardName: 'MiningGuard-prod'/);
    expect(() => new GuardDashboard(stack(), 'Dashboard', { monthlyBudgetUsd: 0 })).toThrow(/positive amount.*Write e.g. monthlyBudgetUsd: 1000/);
  });
});

describe('MiningGuard\'s dashboard', () => {
  test('is on by default: every guard function and dead-letter queue, the trail, every watched region, and the URL as an output', () => {
    const s = stack();
    const guard = new MiningGuard(s, 'MiningGuard', { alertEmails: ['secops@example.com'], everyRegion: { regions: ['us-east-1', 'eu-central-1'] }, spendGuard: { monthlyLimitUsd: 2000 } });
    const all = widgets(s);
    expect(titled(all, /^Running vCPUs by class/).map((w) => w.properties.title)).toEqual(['eu-west-1', 'us-east-1', 'eu-central-1'].map((r) => `Running vCPUs by class: ${r}`));
    // The notifier, the launch evaluator and the spend evaluator.
    expect(titled(all, /^Guard function errors/)[0].properties.metrics).toHaveLength(3);
    expect(titled(all, /^Dead-letter queue depth/)[0].properties.metrics!.length).toBeGreaterThanOrEqual(1);
    expect(titled(all, /^Trail delivery/)).toHaveLength(1);
    expect(titled(all, /^Month-to-date spend/)[0].properties.annotations!.horizontal![0].value).toBe(2000);
    const outputs = Object.entries(Template.fromStack(s).findOutputs('*')).filter(([id]) => id.startsWith('MiningGuardDashboardUrl'));
    expect(outputs.map(([, o]) => o.Value)).toEqual([guard.dashboard!.dashboardUrl]);
  });

  test('is linked from every function that alerts, by the URL built from its name, with no reference to the dashboard', () => {
    const s = stack();
    const guard = new MiningGuard(s, 'MiningGuard', { alertEmails: ['secops@example.com'] });
    const functions = Object.values(Template.fromStack(s).findResources('AWS::Lambda::Function'));
    const urls = functions.map((f) => f.Properties.Environment?.Variables?.[HANDLER_ENVIRONMENT.notifier.dashboardUrl]);
    expect(urls).toEqual(functions.map(() => guard.dashboard!.dashboardUrl));
  });

  test('is left out with dashboard: false, with its output', () => {
    const s = stack();
    const guard = new MiningGuard(s, 'MiningGuard', { alertEmails: ['secops@example.com'], dashboard: false });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(Object.keys(t.findOutputs('*')).filter((id) => id.includes('DashboardUrl'))).toEqual([]);
    expect(guard.dashboard).toBeUndefined();
    const functions = Object.values(t.findResources('AWS::Lambda::Function'));
    expect(functions.some((f) => f.Properties.Environment?.Variables?.DASHBOARD_URL !== undefined)).toBe(false);
  });

  test('in a stack without a region, is named and linked with the region the stack deploys to', () => {
    const s = new Stack(new App(), 'Agnostic');
    const guard = new MiningGuard(s, 'MiningGuard', { alertEmails: ['secops@example.com'], everyRegion: { regions: [] } });
    expect(s.resolve(guard.dashboard!.dashboardName)).toEqual({ 'Fn::Join': ['', ['MiningGuard-Agnostic-', { Ref: 'AWS::Region' }]] });
    expect(titled(widgets(s), /^Running vCPUs by class/).map((w) => w.properties.title)).toEqual(['Running vCPUs by class: home region']);
  });
});

/** Detections for the cost signals: vCPU usage alarms, the spend evaluator, AWS Budgets and Cost Anomaly Detection. */
import { Detection } from './types';

const COST_ATTACK = 'T1496';

export const COST_DETECTIONS = [
  {
    id: 'vcpu-usage-surge',
    title: 'Running vCPUs above normal',
    severity: 'HIGH',
    signal: { kind: 'alarm', namespace: 'AWS/Usage', metricName: 'ResourceCount' },
    rationale: 'The number of running EC2 vCPUs of one class (standard, GPU, ML accelerators, Spot) rose above its baseline or outside its usual band. Miners launch as many vCPUs as the quotas allow, in every region, within minutes.',
    nextSteps: [
      'Open EC2 in the alarm\'s region and list the instances launched in the last hour, newest first.',
      'For each one nobody owns: find who launched it (CloudTrail RunInstances, CreateFleet, RequestSpotFleet), stop it, and revoke that principal\'s credentials.',
      'Check the other regions: the alarm exists per region, and miners launch everywhere at once.',
    ],
    references: {
      mitreAttack: [COST_ATTACK],
      urls: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/viewing_metrics_with_cloudwatch.html', 'https://docs.aws.amazon.com/servicequotas/latest/userguide/configure-cloudwatch.html'],
    },
    responses: ['NOTIFY'],
    latency: '1-5 min (1-minute metric)',
  },
  {
    id: 'spend-acceleration',
    title: 'Spend accelerating',
    severity: 'HIGH',
    signal: { kind: 'cost', source: 'spend-evaluator' },
    rationale: 'The spend recorded by AWS Budgets grew several times faster than the month\'s pace and the previous months\' average. At that rate the month ends far above normal, hours before any budget threshold is crossed.',
    nextSteps: [
      'Open Cost Explorer grouped by service and region, daily granularity, for the last three days, to see where the new spend is.',
      'If it is compute nobody owns: stop it and revoke the credentials that launched it (CloudTrail tells who).',
    ],
    references: { mitreAttack: [COST_ATTACK], urls: ['https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_DescribeBudgetPerformanceHistory.html'] },
    responses: ['NOTIFY'],
    latency: 'hourly check of Budgets data, itself refreshed up to 3 times a day',
  },
  {
    id: 'budget-threshold',
    title: 'Budget threshold crossed',
    severity: 'MEDIUM',
    signal: { kind: 'cost', source: 'budgets' },
    rationale: 'The month\'s actual or forecast spend crossed a threshold of a MiningGuard budget. Credits and refunds are left out, so a credit cannot hide what an attacker spends.',
    nextSteps: [
      'Open the budget and Cost Explorer to see which service and region the spend comes from.',
      'If it is compute nobody owns: stop it and revoke the credentials that launched it.',
    ],
    references: { mitreAttack: [COST_ATTACK], urls: ['https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html'] },
    responses: ['NOTIFY'],
    latency: '8-12 h (Budgets updates up to 3 times a day)',
  },
  {
    id: 'cost-anomaly',
    title: 'Cost anomaly',
    severity: 'HIGH',
    signal: { kind: 'cost', source: 'anomaly-detection' },
    rationale: 'AWS Cost Anomaly Detection found spend on a service well outside its learned pattern. It catches the bill\'s shape even on services and in regions no other rule watches.',
    nextSteps: [
      'Open the anomaly: it names the service, region, account and usage type behind the spend.',
      'If it is compute nobody owns: stop it and revoke the credentials that launched it.',
    ],
    references: { mitreAttack: [COST_ATTACK], urls: ['https://docs.aws.amazon.com/cost-management/latest/userguide/manage-ad.html'] },
    responses: ['NOTIFY'],
    latency: 'up to 24 h (about 3 runs a day)',
  },
] as const satisfies readonly Detection[];

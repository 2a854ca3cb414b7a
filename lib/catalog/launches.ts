/** Detections for compute launches: the calls that spend money fast, judged by the launch evaluator against a policy. */
import { ContainmentSteps, permissionsOf } from './containment';
import { CLOUDTRAIL_LATENCY } from './latency';
import { Detection } from './types';

const INSTANCE_STEPS = { STOP: ['stop-instances'], QUARANTINE: ['quarantine-instances'] } as const satisfies ContainmentSteps;

/**
 * The kinds of containment step each containing response plans, per launch detection. Its IAM actions, the
 * detection's `containmentPermissions`, are derived from the containment table: nothing is listed twice.
 */
export const LAUNCH_CONTAINMENT = {
  'ec2-instance-launch': INSTANCE_STEPS,
  'ec2-fleet-request': { STOP: ['stop-fleet', 'cancel-spot-fleet-request', 'cancel-spot-instance-requests'] },
  'ec2-instance-protection': INSTANCE_STEPS,
  'autoscaling-capacity-change': { STOP: ['stop-autoscaling-group'] },
  'ecs-task-launch': { STOP: ['scale-ecs-service-to-zero', 'stop-ecs-task'] },
  'batch-compute-environment-change': { STOP: ['disable-batch-compute-environment'] },
  'sagemaker-compute-launch': { STOP: ['stop-sagemaker-notebook', 'stop-sagemaker-training-job', 'stop-sagemaker-processing-job'] },
} as const satisfies Readonly<Record<string, ContainmentSteps>>;

const RUN_INSTANCES_DOCS = 'https://aws.amazon.com/blogs/security/cryptomining-campaign-targeting-amazon-ec2-and-amazon-ecs/';

export const LAUNCH_DETECTIONS = [
  {
    id: 'ec2-instance-launch',
    title: 'EC2 instances launched outside policy',
    severity: 'HIGH',
    signal: { kind: 'cloudtrail', eventSource: 'ec2.amazonaws.com', eventNames: ['RunInstances', 'StartInstances'] },
    rationale: 'Large or GPU instances launched by an unexpected principal or in an unexpected region are how stolen credentials become a mining bill; failed and dry-run launches are the attacker probing quotas.',
    nextSteps: [
      'Ask the principal\'s owner whether the launch was theirs; if not, disable its keys and revoke its sessions.',
      'Stop (do not terminate) the instances and keep their volumes for forensics.',
      'Look for the same principal in every other region: miners launch everywhere at once.',
    ],
    references: { stratusTechniques: ['aws.execution.ec2-launch-unusual-instances'], mitreAttack: ['T1496', 'T1578.002'], urls: [RUN_INSTANCES_DOCS] },
    responses: ['NOTIFY', 'STOP', 'QUARANTINE'],
    containmentPermissions: permissionsOf(LAUNCH_CONTAINMENT['ec2-instance-launch']),
    latency: CLOUDTRAIL_LATENCY,
  },
  {
    id: 'ec2-fleet-request',
    title: 'EC2 fleet or Spot request outside policy',
    severity: 'HIGH',
    signal: { kind: 'cloudtrail', eventSource: 'ec2.amazonaws.com', eventNames: ['CreateFleet', 'RequestSpotFleet', 'RequestSpotInstances'] },
    rationale: 'Fleets and Spot requests launch many instances from one call and keep replacing them: a favourite of miners because capacity is cheap and quotas are separate.',
    nextSteps: ['Cancel the request without terminating its instances, then stop the instances it launched.', 'Find who made the request and revoke its credentials if it was not theirs.'],
    references: { mitreAttack: ['T1496'], urls: [RUN_INSTANCES_DOCS] },
    responses: ['NOTIFY', 'STOP'],
    containmentPermissions: permissionsOf(LAUNCH_CONTAINMENT['ec2-fleet-request']),
    latency: CLOUDTRAIL_LATENCY,
  },
  {
    id: 'ec2-launch-template-change',
    title: 'Launch template for denied compute',
    severity: 'MEDIUM',
    signal: { kind: 'cloudtrail', eventSource: 'ec2.amazonaws.com', eventNames: ['CreateLaunchTemplate', 'CreateLaunchTemplateVersion'] },
    rationale: 'Attackers prepare launch templates for GPU instances before scaling them out through Auto Scaling or fleets.',
    nextSteps: ['Check the template\'s instance types and user data; delete the template if it is not yours.'],
    references: { mitreAttack: ['T1496'], urls: [RUN_INSTANCES_DOCS] },
    responses: ['NOTIFY'],
    latency: CLOUDTRAIL_LATENCY,
  },
  {
    id: 'ec2-instance-protection',
    title: 'Instance protection or user data changed',
    severity: 'HIGH',
    signal: { kind: 'cloudtrail', eventSource: 'ec2.amazonaws.com', eventNames: ['ModifyInstanceAttribute'] },
    rationale: 'Turning on termination or stop protection is how miners keep defenders from stopping their instances; rewriting user data runs their code at the next start.',
    nextSteps: ['Turn the protection off again, stop the instance, and find who set it.', 'Read the new user data before the instance starts again.'],
    references: { stratusTechniques: ['aws.execution.ec2-user-data'], mitreAttack: ['T1496', 'T1059'], urls: [RUN_INSTANCES_DOCS] },
    responses: ['NOTIFY', 'STOP', 'QUARANTINE'],
    containmentPermissions: permissionsOf(LAUNCH_CONTAINMENT['ec2-instance-protection']),
    latency: CLOUDTRAIL_LATENCY,
  },
  {
    id: 'autoscaling-capacity-change',
    title: 'Auto Scaling capacity outside policy',
    severity: 'HIGH',
    signal: { kind: 'cloudtrail', eventSource: 'autoscaling.amazonaws.com', eventNames: ['CreateAutoScalingGroup', 'UpdateAutoScalingGroup', 'SetDesiredCapacity'] },
    rationale: 'An Auto Scaling group of minimum 20 and maximum 999 GPU instances is the campaign\'s signature: it relaunches whatever is stopped.',
    nextSteps: ['Suspend the group\'s Launch, Terminate and replacement processes, then stop (do not terminate) its instances.', 'Find who created or resized it.'],
    references: { mitreAttack: ['T1496'], urls: [RUN_INSTANCES_DOCS] },
    responses: ['NOTIFY', 'STOP'],
    containmentPermissions: permissionsOf(LAUNCH_CONTAINMENT['autoscaling-capacity-change']),
    latency: CLOUDTRAIL_LATENCY,
  },
  {
    id: 'ecs-task-launch',
    title: 'ECS or Fargate tasks outside policy',
    severity: 'HIGH',
    signal: { kind: 'cloudtrail', eventSource: 'ecs.amazonaws.com', eventNames: ['CreateCluster', 'RegisterTaskDefinition', 'CreateService', 'UpdateService', 'RunTask'] },
    rationale: 'Dozens of clusters with 16-vCPU Fargate tasks mine without an instance to see; task definitions with the maximum CPU are the preparation.',
    nextSteps: ['Set the services to 0 tasks and stop their running tasks.', 'Deregister task definitions that are not yours and find who registered them.'],
    references: { mitreAttack: ['T1496'], urls: [RUN_INSTANCES_DOCS] },
    responses: ['NOTIFY', 'STOP'],
    containmentPermissions: permissionsOf(LAUNCH_CONTAINMENT['ecs-task-launch']),
    latency: CLOUDTRAIL_LATENCY,
  },
  {
    id: 'batch-compute-environment-change',
    title: 'Batch compute environment outside policy',
    severity: 'HIGH',
    signal: { kind: 'cloudtrail', eventSource: 'batch.amazonaws.com', eventNames: ['CreateComputeEnvironment', 'UpdateComputeEnvironment'] },
    rationale: 'A Batch compute environment with GPU instance types and a high maximum vCPU count mines through jobs nobody watches.',
    nextSteps: ['Disable the compute environment and find who created or changed it.'],
    references: { mitreAttack: ['T1496'] },
    responses: ['NOTIFY', 'STOP'],
    containmentPermissions: permissionsOf(LAUNCH_CONTAINMENT['batch-compute-environment-change']),
    latency: CLOUDTRAIL_LATENCY,
  },
  {
    id: 'sagemaker-compute-launch',
    title: 'SageMaker compute outside policy',
    severity: 'HIGH',
    signal: { kind: 'cloudtrail', eventSource: 'sagemaker.amazonaws.com', eventNames: ['CreateNotebookInstance', 'CreateTrainingJob', 'CreateProcessingJob', 'CreateEndpointConfig'] },
    rationale: 'SageMaker notebooks and jobs on ml.p or ml.g instances are GPU compute outside EC2\'s quotas and dashboards.',
    nextSteps: ['Stop the notebook or job and find who started it.'],
    references: { mitreAttack: ['T1496'] },
    responses: ['NOTIFY', 'STOP'],
    containmentPermissions: permissionsOf(LAUNCH_CONTAINMENT['sagemaker-compute-launch']),
    latency: CLOUDTRAIL_LATENCY,
  },
  {
    id: 'service-quota-increase',
    title: 'Compute quota increase requested',
    severity: 'MEDIUM',
    signal: { kind: 'cloudtrail', eventSource: 'servicequotas.amazonaws.com', eventNames: ['RequestServiceQuotaIncrease'] },
    rationale: 'After hitting the vCPU limit, attackers ask for more: a quota request nobody planned is an early sign.',
    nextSteps: ['Check whether the request was planned; if not, find the principal and revoke its credentials.'],
    references: { mitreAttack: ['T1496'] },
    responses: ['NOTIFY'],
    latency: CLOUDTRAIL_LATENCY,
  },
] as const satisfies readonly Detection[];

/** The summary of a principal's burst: the launch detections of one window after the first, folded into one alert. */
export const LAUNCH_BURST = {
  id: 'launch-burst',
  title: 'Burst of launch detections',
  severity: 'MEDIUM',
  signal: { kind: 'burst', of: 'launch' },
  rationale: 'One principal launching this much this fast is what stolen credentials look like. The detections are folded into this summary so the alert stays readable; each was judged and, where configured, contained on its own.',
  nextSteps: [
    'Disable the principal\'s keys and revoke its sessions unless the burst was planned.',
    'Check every listed region for what is still running.',
  ],
  references: { mitreAttack: ['T1496'] },
  responses: ['NOTIFY'],
  latency: 'when the principal\'s 5-minute window closes (checked every minute)',
} as const satisfies Detection;

/**
 * Containment's figures for one RunInstances call of 1,000 instances, against a stubbed EC2 (aws-sdk-client-mock) that
 * answers every call after 100 ms, each against a baseline measured in this same run:
 * - the time to plan (the pure core), against a loop that only reads the record;
 * - the time to act (STOP, then QUARANTINE with two network interfaces per instance), against one stubbed call, and
 *   against the time the same calls would take one after the other; and the share of the function's 120 s timeout;
 * - the bytes of the outcome lines for 10,000 instances that all fail, against the 262,144 bytes of an SNS message.
 * Run with `npx projen bench:containment`.
 */
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { actContainment, describeOutcomes } from '../lambda/aws/launch/act-containment';
import { readRecord } from '../lambda/core/events/cloudtrail-record';
import { describeLaunch } from '../lambda/core/launch/launch-request';
import { ContainmentPlan, planContainment } from '../lambda/core/launch/plan-containment';
import { runInstances } from '../test/fixtures/documented-cloudtrail';
import { StubbedEc2 } from '../test/harness/stubbed-ec2';

const INSTANCES = 1000;
const LATENCY_MS = 100;
const TIMEOUT_MS = 120_000;
const SNS_BYTES = 262_144;

Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench' });

const millis = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;
const round = (n: number, digits = 3) => Number(n.toFixed(digits));

function planning(ids: string[]): { plan: ContainmentPlan; figures: object } {
  const record = runInstances('p4d.24xlarge', ids.length, ids, { region: 'us-east-1' });
  const passes = 50;
  let started = process.hrtime.bigint();
  for (let i = 0; i < passes; i++) readRecord(record);
  const readOnly = millis(started) / passes;
  let plan: ContainmentPlan | undefined;
  started = process.hrtime.bigint();
  for (let i = 0; i < passes; i++) {
    const read = readRecord(record);
    if (typeof read === 'string') throw new Error(read);
    plan = planContainment(read, describeLaunch(read), 'ec2-instance-launch', 'STOP', new Date());
  }
  const planned = millis(started) / passes;
  return { plan: plan!, figures: { planMs: round(planned), readOnlyBaselineMs: round(readOnly), ratioToBaseline: round(planned / readOnly) } };
}

async function acting(quarantine: boolean): Promise<object> {
  const ec2 = mockClient(EC2Client);
  const account = new StubbedEc2(ec2, LATENCY_MS);
  const ids = account.launch(INSTANCES, { interfaces: quarantine ? 2 : 1, profile: quarantine });
  // Baseline: one stubbed call as the code sends it, in this same run (the median of five, once the client is warm).
  const client = new EC2Client({});
  const single: number[] = [];
  for (let i = 0; i < 6; i++) {
    const one = process.hrtime.bigint();
    await client.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: [ids[0]] }] }));
    if (i > 0) single.push(millis(one));
  }
  const oneCallMs = single.sort((a, b) => a - b)[2];
  account.calls = 0;
  account.maxInFlight = 0;
  const started = process.hrtime.bigint();
  const kind = quarantine ? 'quarantine-instances' : 'stop-instances';
  const plan: ContainmentPlan = { region: 'us-east-1', actions: [{ kind, instanceIds: ids }], tags: {} };
  const [outcome] = await actContainment(plan, { retryDelayMs: 0 });
  const actMs = millis(started);
  const stopped = [...account.instances.values()].filter((i) => i.state === 'stopped').length;
  ec2.restore();
  return {
    response: quarantine ? 'QUARANTINE' : 'STOP',
    instances: INSTANCES,
    outcome: outcome.outcome,
    stopped,
    calls: account.calls,
    maxCallsInFlight: account.maxInFlight,
    actMs: Math.round(actMs),
    oneCallBaselineMs: Math.round(oneCallMs),
    ratioToOneCall: round(actMs / oneCallMs, 1),
    ratioToSequentialCalls: round(actMs / (account.calls * oneCallMs)),
    shareOfTimeout: round(actMs / TIMEOUT_MS),
    withinTimeout: actMs < TIMEOUT_MS,
  };
}

/** The outcome lines of 10,000 instances whose every stop EC2 refuses, as the actor reports them. */
async function outcomeBytes(): Promise<object> {
  const count = 10_000;
  const ec2 = mockClient(EC2Client);
  const account = new StubbedEc2(ec2);
  const ids = account.launch(count);
  for (const id of ids) account.failingStops.set(id, 100);
  const plan: ContainmentPlan = { region: 'us-east-1', actions: [{ kind: 'stop-instances', instanceIds: ids }], tags: {} };
  const lines = describeOutcomes(await actContainment(plan, { retryDelayMs: 0 }));
  ec2.restore();
  const bytes = Buffer.byteLength(lines.join('\n'));
  return { instances: count, failed: count, outcomeLineBytes: bytes, snsLimitBytes: SNS_BYTES, ratioToSnsLimit: round(bytes / SNS_BYTES, 4) };
}

async function main(): Promise<void> {
  const ids = Array.from({ length: INSTANCES }, (_, i) => `i-${i.toString(16).padStart(17, '0')}`);
  const { figures } = planning(ids);
  console.log(JSON.stringify({ plan: { instances: INSTANCES, ...figures } }));
  console.log(JSON.stringify({ act: await acting(false) }));
  console.log(JSON.stringify({ act: await acting(true) }));
  console.log(JSON.stringify({ message: await outcomeBytes() }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/**
 * The one-line guard in two emulated accounts, with no prop changed: a busy one that already has GuardDuty, a Config
 * recorder and a multi-region trail, and an empty one. The emulator does not implement Cloud Control, so the test
 * writes the context the CDK CLI would record for each account from the emulator's own APIs, synthesizes
 * `examples/one-line` with it, and deploys, updates and deletes the result there.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudTrailClient, CreateTrailCommand, DescribeTrailsCommand, GetTrailStatusCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { ConfigServiceClient, DescribeConfigurationRecordersCommand, PutConfigurationRecorderCommand } from '@aws-sdk/client-config-service';
import { CreateDetectorCommand, GetDetectorCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { App, Stack } from 'aws-cdk-lib';
import { OneLineStack } from '../../examples/one-line/stack';
import { singletonLookupKey } from '../../lib/lookups/account-singletons';
import { defaultEnabledRegions } from '../../lib/regions/resource-availability';
import { loadStack } from '../harness/cloud-assembly';
import { inMotoAccount, motoClientConfig, uniqueName } from '../harness/moto';
import { CfnTemplate, StackRehearsal } from '../harness/rehearsal';

const HOME = 'us-east-1';
const BUSY = '222233334444';
const EMPTY = '555566667777';
/** The regions of the busy account that have a detector already: the home region and one regional part's. */
const BUSY_DETECTOR_REGIONS = [HOME, 'eu-west-1'];
const REGIONS = defaultEnabledRegions('aws').filter((r) => r !== HOME);
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookups-'));

type Config = ReturnType<typeof motoClientConfig>;
const client = <T extends { middlewareStack: { add: (...args: any[]) => void } }>(make: (config: Config) => T, account: string, region = HOME) =>
  inMotoAccount(make(motoClientConfig(region)), account);

/** What the busy account has before the guard comes: a detector in two regions, a recorder, a logging multi-region trail. */
async function makeBusy(): Promise<{ detectorId: string; recorder: string; trail: string }> {
  const [detectorId] = await Promise.all(BUSY_DETECTOR_REGIONS.map(async (region) =>
    (await client((c) => new GuardDutyClient(c), BUSY, region).send(new CreateDetectorCommand({ Enable: true }))).DetectorId!));
  const recorder = 'default';
  await client((c) => new ConfigServiceClient(c), BUSY).send(new PutConfigurationRecorderCommand({
    ConfigurationRecorder: { name: recorder, roleARN: `arn:aws:iam::${BUSY}:role/config-recorder`, recordingGroup: { allSupported: true } },
  }));
  const bucket = uniqueName('org-trail-logs');
  await client((c) => new S3Client(c), BUSY).send(new CreateBucketCommand({ Bucket: bucket }));
  const trails = client((c) => new CloudTrailClient(c), BUSY);
  const trail = 'organization-trail';
  await trails.send(new CreateTrailCommand({ Name: trail, S3BucketName: bucket, IsMultiRegionTrail: true }));
  await trails.send(new StartLoggingCommand({ Name: trail }));
  return { detectorId, recorder, trail };
}

/**
 * The context the CDK CLI records for the account's lookups, in Cloud Control's shape (`Identifier` and the asked
 * properties), read from the emulator's own APIs. The emulator has no Cost Anomaly Detection monitors: none is found.
 */
async function recordedContext(account: string): Promise<Record<string, unknown>> {
  const probe = new Stack(new App(), 'Probe', { env: { account, region: HOME } });
  const context: Record<string, unknown> = {};
  for (const region of [HOME, ...REGIONS]) {
    const ids = (await client((c) => new GuardDutyClient(c), account, region).send(new ListDetectorsCommand({}))).DetectorIds ?? [];
    context[singletonLookupKey(probe, 'detector', region === HOME ? undefined : region)] = ids.map((Identifier) => ({ Identifier }));
  }
  const configService = client((c) => new ConfigServiceClient(c), account);
  const recorders = (await configService.send(new DescribeConfigurationRecordersCommand({}))).ConfigurationRecorders ?? [];
  context[singletonLookupKey(probe, 'recorder')] = recorders.map((r) => ({ Identifier: r.name }));
  const trails = (await client((c) => new CloudTrailClient(c), account).send(new DescribeTrailsCommand({}))).trailList ?? [];
  context[singletonLookupKey(probe, 'trail')] = trails.filter((t) => t.IsMultiRegionTrail).map((t) => ({ Identifier: t.Name }));
  context[singletonLookupKey(probe, 'anomalyMonitor')] = [];
  return context;
}

/** `examples/one-line`, unchanged, synthesized for the account with the context its lookups recorded. */
function synthOneLine(account: string, context: Record<string, unknown>): { dir: string; template: CfnTemplate; app: App } {
  const dir = path.join(workDir, account);
  const app = new App({ outdir: dir, context });
  new OneLineStack(app, 'MiningGuardOneLine', { env: { account, region: HOME } });
  app.synth();
  return { dir, app, template: loadStack(dir, 'MiningGuardOneLine').template };
}

const resourcesOf = (template: CfnTemplate) => Object.values(template.Resources ?? {});
const typesIn = (template: CfnTemplate) => resourcesOf(template).map((r) => r.Type);
function detectorChoices(template: CfnTemplate): Record<string, string[]> {
  const set = resourcesOf(template).find((r) => r.Type === 'AWS::CloudFormation::StackSet') as unknown as { Properties: { StackInstancesGroup: any[] } };
  return Object.fromEntries(set.Properties.StackInstancesGroup.map((g) => [g.ParameterOverrides[0].ParameterValue, g.Regions]));
}

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe('examples/one-line, its lookups answered from the emulated account', () => {
  test('in a busy account: the detectors, recorder and trail are adopted, and untouched through create, update and delete', async () => {
    // GIVEN an account with GuardDuty in two regions, a Config recorder and a multi-region trail
    const before = await makeBusy();
    const { template, dir } = synthOneLine(BUSY, await recordedContext(BUSY));

    // THEN the guard creates none of them, and the StackSet adopts the regional detector where it exists
    expect(typesIn(template)).not.toContain('AWS::GuardDuty::Detector');
    expect(typesIn(template)).not.toContain('AWS::CloudTrail::Trail');
    expect(typesIn(template)).not.toContain('AWS::Config::ConfigurationRecorder');
    expect(detectorChoices(template)).toEqual({ true: REGIONS.filter((r) => r !== 'eu-west-1'), false: ['eu-west-1'] });

    // WHEN deployed, updated and deleted in that account
    const rehearsal = new StackRehearsal({ account: BUSY, region: HOME });
    const stackName = uniqueName('OneLineBusy');
    await rehearsal.publishAssets(dir, loadStack(dir, 'MiningGuardOneLine'));
    expect((await rehearsal.createStack(stackName, template)).status).toBe('CREATE_COMPLETE');
    const updated = { ...template, Outputs: { ...(template.Outputs as object), Rehearsal: { Value: 'updated' } } } as CfnTemplate;
    expect((await rehearsal.updateStack(stackName, updated)).status).toBe('UPDATE_COMPLETE');
    expect((await rehearsal.deleteStack(stackName)).status).toBe('DELETE_COMPLETE');

    // THEN what the account had is still there, as it was
    const detector = await client((c) => new GuardDutyClient(c), BUSY).send(new GetDetectorCommand({ DetectorId: before.detectorId }));
    expect(detector.Status).toBe('ENABLED');
    const recorders = await client((c) => new ConfigServiceClient(c), BUSY).send(new DescribeConfigurationRecordersCommand({}));
    expect(recorders.ConfigurationRecorders?.map((r) => r.name)).toEqual([before.recorder]);
    expect((await client((c) => new CloudTrailClient(c), BUSY).send(new GetTrailStatusCommand({ Name: before.trail }))).IsLogging).toBe(true);
  });

  test('in an empty account: the detector and the trail are created, the detector kept when the stack is deleted, through create, update and delete', async () => {
    // GIVEN an account with nothing
    const { template, app } = synthOneLine(EMPTY, await recordedContext(EMPTY));
    // THEN every lookup was answered, and the guard creates what is missing
    expect(app.synth().manifest.missing).toBeUndefined();
    const detector = resourcesOf(template).find((r) => r.Type === 'AWS::GuardDuty::Detector') as unknown as { DeletionPolicy?: string } | undefined;
    expect(detector?.DeletionPolicy).toBe('Retain');
    expect(typesIn(template)).toContain('AWS::CloudTrail::Trail');
    expect(detectorChoices(template)).toEqual({ true: REGIONS });

    // WHEN deployed, updated and deleted in that account
    const rehearsal = new StackRehearsal({ account: EMPTY, region: HOME });
    const stackName = uniqueName('OneLineEmpty');
    await rehearsal.publishAssets(path.join(workDir, EMPTY), loadStack(path.join(workDir, EMPTY), 'MiningGuardOneLine'));
    expect((await rehearsal.createStack(stackName, template)).status).toBe('CREATE_COMPLETE');
    // (The emulator's CloudFormation skips the trail and detector types it does not implement: the template says they are made.)
    const updated = { ...template, Outputs: { ...(template.Outputs as object), Rehearsal: { Value: 'updated' } } } as CfnTemplate;
    expect((await rehearsal.updateStack(stackName, updated)).status).toBe('UPDATE_COMPLETE');
    expect((await rehearsal.deleteStack(stackName)).status).toBe('DELETE_COMPLETE');
  });
});

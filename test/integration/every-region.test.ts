/**
 * The two ways to guard every region, as their examples synthesize and deploy: one stack with a StackSet
 * (examples/every-region), and a stack per region (examples/every-region-stacks).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { App } from 'aws-cdk-lib';
import { REGIONS } from '../../examples/every-region/stack';
import { HomeStack, RegionalStack } from '../../examples/every-region-stacks/stack';
import { AssemblyStack, CfnTemplate, loadStacks, stackSetTemplates } from '../harness/cloud-assembly';
import { exampleAssemblyDir } from '../harness/examples';
import { motoClientConfig } from '../harness/moto';
import { StackRehearsal } from '../harness/rehearsal';

const HOME = 'eu-west-1';

/** Every template the app deploys: its stacks', and the StackSets' templates inside them. */
function templatesOf(stacks: readonly AssemblyStack[]): { home: CfnTemplate[]; regional: CfnTemplate[] } {
  const regional = stacks.flatMap((s) => Object.values(stackSetTemplates(s.template)));
  return { home: stacks.map((s) => s.template), regional };
}

function count(templates: readonly CfnTemplate[], type: string): number {
  return templates.flatMap((t) => Object.values(t.Resources ?? {})).filter((r) => r.Type === type).length;
}

/** The rules a regional template forwards with: every rule it holds, as many as the catalog's selections need. */
function rulesOf(template: CfnTemplate): number {
  return count([template], 'AWS::Events::Rule');
}

const ACCOUNT_WIDE = ['AWS::CloudTrail::Trail', 'AWS::CE::AnomalyMonitor', 'AWS::CE::AnomalySubscription', 'AWS::Chatbot::SlackChannelConfiguration'];
const NEVER_REGIONAL = [...ACCOUNT_WIDE, 'AWS::Lambda::Function', 'AWS::Budgets::Budget', 'AWS::DynamoDB::Table', 'AWS::SNS::Topic'];

/** The assets a stack publishes other than its own template (which `cdk deploy` uploads for every stack). */
function assetsBesideTheTemplate(stack: AssemblyStack): string[] {
  if (!stack.assetsFile) return [];
  const manifest = JSON.parse(fs.readFileSync(stack.assetsFile, 'utf8')) as {
    files?: Record<string, { source: { path?: string } }>;
    dockerImages?: Record<string, unknown>;
  };
  return [
    ...Object.values(manifest.files ?? {}).map((f) => f.source.path ?? '').filter((p) => !p.endsWith('.template.json')),
    ...Object.keys(manifest.dockerImages ?? {}),
  ];
}

/** The rules of a region that forward to the home region's default bus. */
async function forwardingRules(region: string): Promise<string[]> {
  const events = new EventBridgeClient(motoClientConfig(region));
  try {
    const { Rules = [] } = await events.send(new ListRulesCommand({}));
    const forwarding: string[] = [];
    for (const rule of Rules) {
      // Other test files deploy and delete stacks in the same emulated regions: a rule listed a moment ago may be gone.
      const { Targets = [] } = await events.send(new ListTargetsByRuleCommand({ Rule: rule.Name })).catch((error: Error) => {
        if (error.name === 'ResourceNotFoundException') return { Targets: [] };
        throw error;
      });
      if (Targets.some((t) => t.Arn?.endsWith(`:events:${HOME}:123456789012:event-bus/default`) && t.RoleArn)) forwarding.push(rule.Name!);
    }
    return forwarding;
  } finally {
    events.destroy();
  }
}

describe('examples/every-region: the home region and a StackSet of the regional part', () => {
  const stacks = () => loadStacks(exampleAssemblyDir('every-region'));

  test('one trail, one budget set, one anomaly monitor and subscription, one Slack configuration in the whole app', () => {
    const { home, regional } = templatesOf(stacks());
    expect(home).toHaveLength(1);
    for (const type of ACCOUNT_WIDE) expect([type, count([...home, ...regional], type)]).toEqual([type, 1]);
    expect(count(home, 'AWS::Budgets::Budget')).toBe(1);
    expect(count(home, 'AWS::CloudFormation::StackSet')).toBe(1);
    const set = Object.values(home[0].Resources!).find((r) => r.Type === 'AWS::CloudFormation::StackSet')!;
    expect((set.Properties!.StackInstancesGroup as Array<{ Regions: string[] }>).flatMap((g) => g.Regions).sort()).toEqual([...REGIONS].sort());
  });

  test('the regional template: no Lambda function, no asset, no budget, no anomaly resource, no trail', () => {
    const { regional } = templatesOf(stacks());
    expect(regional).toHaveLength(1);
    for (const type of NEVER_REGIONAL) expect([type, count(regional, type)]).toEqual([type, 0]);
    expect(JSON.stringify(regional[0])).not.toMatch(/cdk-hnb659fds-assets|AssetParameters|"S3Key"/);
    expect(count(regional, 'AWS::GuardDuty::Detector')).toBe(1);
    // Kept when a region switches to CreateDetector=false or its stack instance is deleted: GuardDuty stays on there.
    expect(Object.values(regional[0].Resources!).filter((r) => r.Type === 'AWS::GuardDuty::Detector').map((r) => r.DeletionPolicy)).toEqual(['Retain']);
  });

  describe('rehearsed in the emulator: the home stack in eu-west-1, the regional template in each region', () => {
    const home = new StackRehearsal({ region: HOME });
    const regions = REGIONS.map((region) => new StackRehearsal({ region }));
    afterAll(() => [home, ...regions].forEach((r) => r.destroy()));

    test('creates, updates and deletes in every region', async () => {
      // GIVEN
      const dir = exampleAssemblyDir('every-region');
      const [stack] = stacks();
      await home.publishAssets(dir, stack);
      const regional = Object.values(stackSetTemplates(stack.template))[0];

      // WHEN the home stack is created, then the regional part in each region, as the StackSet would
      const created = await home.createStack('MiningGuardEveryRegion', stack.template);
      const regionalCreated = await Promise.all(regions.map((r) => r.createStack('MiningGuardRegional', regional, { HomeRegion: HOME, CreateDetector: 'true' })));

      // THEN
      expect(created.status).toBe('CREATE_COMPLETE');
      for (const [i, outcome] of regionalCreated.entries()) expect([REGIONS[i], outcome.status, outcome.failures]).toEqual([REGIONS[i], 'CREATE_COMPLETE', []]);
      for (const region of REGIONS) expect([region, (await forwardingRules(region)).length]).toEqual([region, rulesOf(regional)]);
      expect(await forwardingRules(HOME)).toEqual([]);

      // WHEN a region already has a detector
      const updated = await regions[0].updateStack('MiningGuardRegional', regional, { HomeRegion: HOME, CreateDetector: 'false' });
      // THEN
      // (the emulator accepts a detector without creating one; the regional template's unit tests show the condition)
      expect(updated.status).toBe('UPDATE_COMPLETE');
      expect((await forwardingRules(REGIONS[0])).length).toBe(rulesOf(regional));

      // WHEN everything is deleted
      const deleted = await Promise.all(regions.map((r) => r.deleteStack('MiningGuardRegional')));
      const homeDeleted = await home.deleteStack('MiningGuardEveryRegion');

      // THEN nothing forwards any more
      expect(deleted.map((d) => d.status)).toEqual(REGIONS.map(() => 'DELETE_COMPLETE'));
      expect(homeDeleted.status).toBe('DELETE_COMPLETE');
      for (const region of REGIONS) expect([region, await forwardingRules(region)]).toEqual([region, []]);
    });
  });
});

describe('examples/every-region-stacks: a stack per region', () => {
  const stacks = () => loadStacks(exampleAssemblyDir('every-region-stacks'));

  test('the home stack holds every account-wide part once; the regional stacks none, and no function or asset', () => {
    const all = stacks();
    expect(all.map((s) => [s.stackName, s.region])).toEqual([['MiningGuardHome', HOME], ...REGIONS.map((r) => [`MiningGuard-${r}`, r])]);
    const [homeStack, ...regional] = all;
    for (const type of ACCOUNT_WIDE) expect([type, count(all.map((s) => s.template), type)]).toEqual([type, 1]);
    expect(count([homeStack.template], 'AWS::CloudFormation::StackSet')).toBe(0);
    for (const stack of regional) {
      for (const type of NEVER_REGIONAL) expect([stack.stackName, type, count([stack.template], type)]).toEqual([stack.stackName, type, 0]);
      expect([stack.stackName, assetsBesideTheTemplate(stack)]).toEqual([stack.stackName, []]);
    }
  });

  describe('rehearsed in the emulator, each stack in its region', () => {
    const rehearsals = new Map([HOME, ...REGIONS].map((region) => [region, new StackRehearsal({ region })]));
    afterAll(() => [...rehearsals.values()].forEach((r) => r.destroy()));

    test('creates the home stack first, then every regional stack; updates the stacks a changed prop changes; deletes them in the reverse order', async () => {
      // GIVEN
      const dir = exampleAssemblyDir('every-region-stacks');
      const all = stacks();

      // WHEN
      for (const stack of all) {
        const rehearsal = rehearsals.get(stack.region!)!;
        await rehearsal.publishAssets(dir, stack);
        const created = await rehearsal.createStack(stack.stackName, stack.template);
        // THEN
        expect([stack.stackName, created.status, created.failures]).toEqual([stack.stackName, 'CREATE_COMPLETE', []]);
      }
      for (const region of REGIONS) {
        const regionalStack = all.find((st) => st.region === region)!;
        expect([region, (await forwardingRules(region)).length]).toEqual([region, rulesOf(regionalStack.template)]);
      }

      // WHEN the first region turns out to have a detector already, and the app is deployed again
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mining-guard-every-region-stacks-'));
      // The CDK CLI's settings, so the templates differ only where the prop changed them.
      const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true }, analyticsReporting: false });
      const home = new HomeStack(app, 'MiningGuardHome', { env: { region: HOME }, regions: REGIONS, existingDetectorRegions: [REGIONS[0]] });
      for (const region of REGIONS) new RegionalStack(app, `MiningGuard-${region}`, { env: { region }, home: home.guard });
      app.synth();
      const before = new Map(all.map((s) => [s.stackName, JSON.stringify(s.template)]));
      const changed = loadStacks(outdir).filter((s) => JSON.stringify(s.template) !== before.get(s.stackName));

      // THEN only that region's stack changes, and its update leaves the detector to the account
      expect(changed.map((s) => s.stackName)).toEqual([`MiningGuard-${REGIONS[0]}`]);
      const updated = await rehearsals.get(REGIONS[0])!.updateStack(changed[0].stackName, changed[0].template);
      expect(updated.status).toBe('UPDATE_COMPLETE');
      // The emulator accepts a detector without creating one: the templates tell that it leaves the stack, and that,
      // retained, it stays in the account with GuardDuty on.
      const detectorsBefore = Object.values((JSON.parse(before.get(changed[0].stackName)!) as CfnTemplate).Resources ?? {}).filter((r) => r.Type === 'AWS::GuardDuty::Detector');
      expect([detectorsBefore.map((r) => r.DeletionPolicy), count([changed[0].template], 'AWS::GuardDuty::Detector')]).toEqual([['Retain'], 0]);
      expect((await forwardingRules(REGIONS[0])).length).toBe(rulesOf(changed[0].template));

      // WHEN deleted, THEN each stack is gone
      for (const stack of [...all].reverse()) {
        const deleted = await rehearsals.get(stack.region!)!.deleteStack(stack.stackName);
        expect([stack.stackName, deleted.status]).toEqual([stack.stackName, 'DELETE_COMPLETE']);
      }
    });
  });
});

import * as fs from 'fs';
import * as path from 'path';
import { classifyCloudTrailEvent, eventBridgeSource, LAUNCH_BURST, LAUNCH_CONTAINMENT, LAUNCH_DETECTIONS, Response } from '../../lib/catalog';
import { REPO_ROOT } from '../harness/paths';

const PERMISSIONS = LAUNCH_DETECTIONS.flatMap((d) =>
  Object.entries(d.containmentPermissions ?? {}).flatMap(([response, actions]) => (actions ?? []).map((action) => ({ id: d.id, response, action }))));

describe('the launch detections', () => {
  test.each(LAUNCH_DETECTIONS.map((d) => [d.id, d]))('%s has permissions for every response it allows beyond NOTIFY, and only for those', (_, d) => {
    const containing = d.responses.filter((r) => r !== 'NOTIFY');
    expect(Object.keys(d.containmentPermissions ?? {}).sort()).toEqual([...containing].sort());
    for (const response of containing) expect(d.containmentPermissions?.[response]?.length).toBeGreaterThan(0);
    expect(d.responses[0]).toBe('NOTIFY');
  });

  test('no permission can terminate or delete, except deleting a fleet, which keeps its instances', () => {
    const destructive = PERMISSIONS.filter(({ action }) => /:(Terminate|Delete)/.test(action));
    expect(destructive).toEqual([{ id: 'ec2-fleet-request', response: 'STOP', action: 'ec2:DeleteFleets' }]);
  });

  test('the handlers delete fleets and cancel Spot fleets only with TerminateInstances false', () => {
    // GIVEN: every handler source that sends one of these commands
    const sources = fs.readdirSync(path.join(REPO_ROOT, 'lambda'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => fs.readFileSync(path.join(REPO_ROOT, 'lambda', f), 'utf8'));
    const calls = sources.flatMap((source) => source.match(/new sdk\.(DeleteFleets|CancelSpotFleetRequests)Command\(\{[^}]*\}\)/g) ?? []);
    // THEN
    const commands = calls.map((call) => call.split('Command')[0]);
    expect(commands).toEqual(expect.arrayContaining(['new sdk.DeleteFleets', 'new sdk.CancelSpotFleetRequests']));
    for (const call of calls) expect(call).toContain('TerminateInstances: false');
  });

  test('every permission is an action of the service the detection watches, or of EC2 for the instances it launched', () => {
    for (const d of LAUNCH_DETECTIONS) {
      const service = eventBridgeSource(d.signal.eventSource).replace(/^aws\./, '');
      for (const action of Object.values(d.containmentPermissions ?? {}).flat()) {
        expect(`${d.id}: ${action}`).toMatch(new RegExp(`^${d.id}: (${service}|ec2):[A-Z][A-Za-z]+$`));
      }
    }
  });

  test('every detection that contains names the kinds of step of each containing response, and no other detection does', () => {
    const containing = LAUNCH_DETECTIONS.filter((d) => d.responses.some((r) => r !== 'NOTIFY'));
    expect(Object.keys(LAUNCH_CONTAINMENT).sort()).toEqual(containing.map((d) => d.id).sort());
    for (const d of containing) expect(Object.keys(LAUNCH_CONTAINMENT[d.id]!).sort()).toEqual(d.responses.filter((r) => r !== 'NOTIFY').sort());
  });

  test('quarantining an instance includes everything stopping it needs', () => {
    const quarantining = LAUNCH_DETECTIONS.filter((d) => d.responses.includes('QUARANTINE'));
    expect(quarantining.map((d) => d.id)).toEqual(['ec2-instance-launch', 'ec2-instance-protection']);
    for (const d of quarantining) {
      const permissions = d.containmentPermissions as Readonly<Record<Response, readonly string[]>>;
      expect(permissions.QUARANTINE).toEqual(expect.arrayContaining([...permissions.STOP]));
      expect(permissions.QUARANTINE).toEqual(expect.arrayContaining(['ec2:CreateSecurityGroup', 'ec2:ModifyNetworkInterfaceAttribute', 'ec2:DisassociateIamInstanceProfile']));
    }
  });

  test('each call is selected by one launch detection only, and is classified as it', () => {
    const calls = LAUNCH_DETECTIONS.flatMap((d) => d.signal.eventNames.map((name) => `${d.signal.eventSource} ${name}`));
    expect(new Set(calls).size).toBe(calls.length);
    for (const d of LAUNCH_DETECTIONS) {
      for (const name of d.signal.eventNames) expect([name, classifyCloudTrailEvent(d.signal.eventSource, name)?.id]).toEqual([name, d.id]);
    }
  });

  test('event names are unique across the launch sources, so a name alone tells the call', () => {
    const names = LAUNCH_DETECTIONS.flatMap((d) => d.signal.eventNames);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('the launch burst', () => {
  test('folds launch detections into a summary that only notifies', () => {
    expect(LAUNCH_BURST).toMatchObject({ id: 'launch-burst', signal: { kind: 'burst', of: 'launch' }, responses: ['NOTIFY'] });
    expect(LAUNCH_BURST.containmentPermissions).toBeUndefined();
  });
});

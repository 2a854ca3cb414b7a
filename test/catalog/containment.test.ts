import { CONTAINMENT_TAGS } from '../../lambda/core/launch/plan-containment';
import {
  actionsOf, CONTAINMENT_GRANTS, ContainmentKind, GUARD_TAG_PREFIX, grantsOf, ISOLATION_TAG, LAUNCH_CONTAINMENT, LAUNCH_DETECTIONS, permissionsOf,
} from '../../lib/catalog';

const KINDS = Object.keys(CONTAINMENT_GRANTS) as ContainmentKind[];

describe('the containment table', () => {
  test('no kind may terminate, and only a fleet\'s step may delete (its fleet, keeping the instances)', () => {
    for (const kind of KINDS) {
      const destructive = actionsOf([kind]).filter((a) => /:(Terminate|Delete)/.test(a));
      expect([kind, destructive]).toEqual([kind, kind === 'stop-fleet' ? ['ec2:DeleteFleets'] : []]);
    }
  });

  test('every kind that stops instances may lift their protection and stop them, and only quarantine may touch security groups', () => {
    for (const kind of KINDS.filter((k) => actionsOf([k]).includes('ec2:StopInstances'))) {
      expect(actionsOf([kind])).toEqual(expect.arrayContaining(['ec2:DescribeInstances', 'ec2:ModifyInstanceAttribute', 'ec2:CreateTags']));
    }
    const touchingGroups = KINDS.filter((k) => actionsOf([k]).some((a) => /SecurityGroup|NetworkInterface/.test(a)));
    expect(touchingGroups).toEqual(['quarantine-instances']);
  });

  test('every tagging call may write only the guard\'s own tag keys, and the containment tags are such keys', () => {
    const tagging = KINDS.flatMap((k) => CONTAINMENT_GRANTS[k]).filter((g) => g.actions.some((a) => /:(CreateTags|CreateOrUpdateTags|TagResource)$/.test(a)));
    expect(tagging.length).toBeGreaterThan(0);
    for (const grant of tagging) {
      expect(grant.actions.every((a) => /:(CreateTags|CreateOrUpdateTags|TagResource)$/.test(a))).toBe(true);
      expect(grant.conditions).toEqual({ 'ForAllValues:StringLike': { 'aws:TagKeys': [`${GUARD_TAG_PREFIX}*`] }, 'Null': { 'aws:TagKeys': 'false' } });
    }
    for (const key of [...Object.values(CONTAINMENT_TAGS), ISOLATION_TAG.key]) expect(key.startsWith(GUARD_TAG_PREFIX)).toBe(true);
  });

  test('the isolation group may be created only tagged as one, and only such a group\'s egress revoked', () => {
    const grants = CONTAINMENT_GRANTS['quarantine-instances'];
    expect(grants.find((g) => g.actions.includes('ec2:CreateSecurityGroup'))).toEqual({
      actions: ['ec2:CreateSecurityGroup'], conditions: { StringEquals: { 'aws:RequestTag/mining-guard:isolation': 'true' } },
    });
    expect(grants.find((g) => g.actions.includes('ec2:RevokeSecurityGroupEgress'))).toEqual({
      actions: ['ec2:RevokeSecurityGroupEgress'], conditions: { StringEquals: { 'ec2:ResourceTag/mining-guard:isolation': 'true' } },
    });
  });
});

describe('grantsOf', () => {
  test('merges kinds into one grant per set of conditions, each action once, sorted', () => {
    expect(grantsOf(['stop-instances', 'stop-fleet'])).toEqual([
      { actions: ['ec2:DeleteFleets', 'ec2:DescribeFleetInstances', 'ec2:DescribeFleets', 'ec2:DescribeInstances', 'ec2:ModifyInstanceAttribute', 'ec2:StopInstances'] },
      { actions: ['ec2:CreateTags'], conditions: CONTAINMENT_GRANTS['stop-instances'][1].conditions },
    ]);
  });

  test('all kinds at once grant each action in one grant only, and nothing for no kinds', () => {
    const all = grantsOf(KINDS).flatMap((g) => g.actions);
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(all)).toEqual(new Set(actionsOf(KINDS)));
    expect(grantsOf([])).toEqual([]);
  });
});

describe('permissionsOf', () => {
  test('are the actions of each response\'s kinds', () => {
    expect(permissionsOf({ STOP: ['stop-ecs-task'], QUARANTINE: ['stop-sagemaker-notebook', 'stop-ecs-task'] })).toEqual({
      STOP: ['ecs:StopTask'], QUARANTINE: ['ecs:StopTask', 'sagemaker:StopNotebookInstance'],
    });
  });

  test('every launch detection lists as its permissions exactly what its steps need', () => {
    for (const d of LAUNCH_DETECTIONS) {
      expect([d.id, d.containmentPermissions]).toEqual([d.id, LAUNCH_CONTAINMENT[d.id] ? permissionsOf(LAUNCH_CONTAINMENT[d.id]!) : undefined]);
    }
  });
});

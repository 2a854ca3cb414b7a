import { App, Stack } from 'aws-cdk-lib';
import { singletonLookupKey } from '../../lib/lookups/account-singletons';
import { withLookedUpTrail } from '../../lib/lookups/trail-lookup';

const ENV = { account: '111122223333', region: 'eu-west-1' };

function stackAnswering(trails: unknown[] | undefined, stackName = 'Guard'): Stack {
  const key = singletonLookupKey(new Stack(new App(), 'Probe', { env: ENV }), 'trail');
  return new Stack(new App({ context: trails ? { [key]: trails } : {} }), stackName, { env: ENV });
}

describe('withLookedUpTrail', () => {
  test('an organization or account trail that records every region is adopted by its ARN', () => {
    const stack = stackAnswering([{ Identifier: 'aws-controltower-BaselineCloudTrail' }]);
    expect(stack.resolve(withLookedUpTrail(stack, {}))).toEqual({
      existingTrailArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:eu-west-1:111122223333:trail/aws-controltower-BaselineCloudTrail']] },
    });
    const orgTrail = 'arn:aws:cloudtrail:us-east-1:999988887777:trail/org-trail';
    expect(withLookedUpTrail(stackAnswering([{ Identifier: orgTrail }]))).toEqual({ existingTrailArn: orgTrail });
  });

  test('the guard\'s own trail, named by CloudFormation after the stack, is never taken for an existing one', () => {
    expect(withLookedUpTrail(stackAnswering([{ Identifier: 'Guard-MiningGuardAuditTrail1A2B3C-4D5E6F' }]), {})).toEqual({});
  });

  test('no trail, or no answer yet: the props as they are, and a trail is created', () => {
    expect(withLookedUpTrail(stackAnswering([]), {})).toEqual({});
    expect(withLookedUpTrail(stackAnswering(undefined), {})).toEqual({});
  });

  test('any prop that names a trail or asks for one decides instead of the lookup', () => {
    const stack = stackAnswering([{ Identifier: 'org-trail' }]);
    for (const props of [{ trailName: 'mine' }, { existingTrailArn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/x' }, { organizationTrail: true, organizationId: 'o-a1b2c3d4e5' }]) {
      expect(withLookedUpTrail(stack, props)).toEqual(props);
    }
  });
});

import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, freshModule, regionOf } from '../../../harness/mocked-aws';

const sts = mockClient(STSClient);
const load = () => freshModule(() => import('../../../../lambda/aws/clients/containment-credentials'));
const target = { partition: 'aws', account: '222233334444', roleName: 'mining-guard-containment', region: 'eu-central-1', eventId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111' };
const T0 = Date.parse('2026-11-20T03:00:00Z');

/** AssumeRole's documented answer: credentials valid for an hour from `from`. */
const answer = (key: string, from: number) => ({
  Credentials: { AccessKeyId: key, SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY', SessionToken: 'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==', Expiration: new Date(from + 3600_000) },
  AssumedRoleUser: { AssumedRoleId: 'AROA3XFRBF535PLBIFPI4:mining-guard', Arn: 'arn:aws:sts::222233334444:assumed-role/mining-guard-containment/mining-guard' },
});

beforeEach(() => sts.reset());

describe('containment credentials', () => {
  test('assume the account\'s containment role in the event\'s region, the session named after the event', async () => {
    // GIVEN
    const { containmentAccess } = await load();
    sts.on(AssumeRoleCommand).resolves(answer('ASIAFIRST', T0));

    // WHEN
    const credentials = await containmentAccess(target, () => T0).credentials();

    // THEN
    expect(credentials).toMatchObject({ accessKeyId: 'ASIAFIRST', expiration: new Date(T0 + 3600_000) });
    const call = sts.commandCalls(AssumeRoleCommand)[0];
    expect(call.args[0].input).toEqual({ RoleArn: 'arn:aws:iam::222233334444:role/mining-guard-containment', RoleSessionName: 'mining-guard-a1b2c3d4-5678-90ab-cdef-EXAMPLE11111' });
    expect(await regionOf(call)).toBe('eu-central-1');
  });

  test('are kept per account until five minutes before they expire, and asked once by concurrent callers', async () => {
    // GIVEN
    const { containmentAccess } = await load();
    sts.on(AssumeRoleCommand).resolvesOnce(answer('ASIAFIRST', T0)).resolves(answer('ASIASECOND', T0 + 3300_000));
    let now = T0;
    const access = containmentAccess(target, () => now);

    // WHEN
    const [a, b] = await Promise.all([access.credentials(), access.credentials()]);
    now = T0 + 3000_000;
    const stillHeld = await access.credentials();
    now = T0 + 3301_000;
    const renewed = await access.credentials();
    const other = await containmentAccess({ ...target, account: '333344445555' }, () => now).credentials();

    // THEN
    expect([a.accessKeyId, b.accessKeyId, stillHeld.accessKeyId, renewed.accessKeyId]).toEqual(['ASIAFIRST', 'ASIAFIRST', 'ASIAFIRST', 'ASIASECOND']);
    expect(other.accessKeyId).toBe('ASIASECOND');
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual([
      'arn:aws:iam::222233334444:role/mining-guard-containment',
      'arn:aws:iam::222233334444:role/mining-guard-containment',
      'arn:aws:iam::333344445555:role/mining-guard-containment',
    ]);
  });

  test('a refusal says which role, and is asked again by the next event', async () => {
    // GIVEN
    const { containmentAccess, RoleNotAssumed } = await load();
    sts.on(AssumeRoleCommand)
      .rejectsOnce(awsError('AccessDenied', 'User: arn:aws:sts::111122223333:assumed-role/Guard/x is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222233334444:role/mining-guard-containment', 403))
      .resolves(answer('ASIALATER', T0));
    const access = containmentAccess(target, () => T0);

    // WHEN
    const refused = await access.credentials().catch((error: unknown) => error);

    // THEN
    expect(refused).toBeInstanceOf(RoleNotAssumed);
    expect(refused).toMatchObject({ account: '222233334444', roleArn: 'arn:aws:iam::222233334444:role/mining-guard-containment' });
    expect((refused as Error).message).toMatch(/could not be assumed: AccessDenied: User: .* is not authorized/);
    expect((await access.credentials()).accessKeyId).toBe('ASIALATER');
  });

  test('an answer without credentials is a refusal', async () => {
    const { containmentAccess } = await load();
    sts.on(AssumeRoleCommand).resolves({});
    await expect(containmentAccess(target, () => T0).credentials()).rejects.toThrow('STS answered without credentials');
  });
});

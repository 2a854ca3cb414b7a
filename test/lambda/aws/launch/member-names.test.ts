import { freshModule } from '../../../harness/mocked-aws';

const load = () => freshModule(() => import('../../../../lambda/aws/launch/member-names'));
/** DescribeAccount's documented answer. */
const described = (Name: string) => ({
  Account: { Id: '222233334444', Arn: 'arn:aws:organizations::111111111111:account/o-exampleorgid/222233334444', Email: 'prod@example.com', Name, Status: 'ACTIVE', JoinedMethod: 'CREATED', JoinedTimestamp: new Date('2024-01-01T00:00:00Z') },
});

describe('memberName', () => {
  test('asks Organizations once per account per container', async () => {
    const { memberName } = await load();
    const describe = jest.fn(async () => described('Production'));
    const failures: string[] = [];
    expect(await memberName('222233334444', (r) => failures.push(r), describe)).toBe('Production');
    expect(await memberName('222233334444', (r) => failures.push(r), describe)).toBe('Production');
    expect(describe).toHaveBeenCalledTimes(1);
    expect(describe).toHaveBeenCalledWith('222233334444');
    expect(failures).toEqual([]);
  });

  test('a refusal leaves the id alone, says why, and is asked again after a while', async () => {
    const { memberName, RETRY_AFTER_MS } = await load();
    const describe = jest.fn()
      .mockRejectedValueOnce(Object.assign(new Error('You don\'t have permissions to access this resource.'), { name: 'AccessDeniedException' }))
      .mockResolvedValue(described('Production'));
    const failures: string[] = [];
    let now = 0;
    expect(await memberName('222233334444', (r) => failures.push(r), describe, () => now)).toBeUndefined();
    expect(await memberName('222233334444', (r) => failures.push(r), describe, () => now)).toBeUndefined();
    now = RETRY_AFTER_MS + 1;
    expect(await memberName('222233334444', (r) => failures.push(r), describe, () => now)).toBe('Production');
    expect(failures).toEqual(['AccessDeniedException: You don\'t have permissions to access this resource.']);
  });

});

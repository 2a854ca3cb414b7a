import { accountCacheKey, eventAccess, inEventAccount } from '../../../../lambda/aws/clients/event-account';

describe('the event\'s account', () => {
  const access = { account: '222233334444', credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 's' }) };

  test('is another account only while its event\'s work runs, across awaits', async () => {
    const seen = await inEventAccount(access, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return { access: eventAccess(), key: accountCacheKey() };
    });
    expect(seen).toEqual({ access, key: '222233334444|' });
    expect(eventAccess()).toBeUndefined();
    expect(accountCacheKey()).toBe('');
  });

  test('is the function\'s own without access', async () => {
    expect(await inEventAccount(undefined, async () => eventAccess())).toBeUndefined();
  });
});

import { EC2Client } from '@aws-sdk/client-ec2';
import { freshModule } from '../../../harness/mocked-aws';

const load = () => freshModule(() => import('../../../../lambda/aws/clients/regional-client'));

describe('regionalClient', () => {
  test('creates a client once per kind and region, with the SDK\'s adaptive retry', async () => {
    // GIVEN
    const { regionalClient } = await load();
    const create = jest.fn((config: object) => ({ config }));

    // WHEN
    const first = regionalClient('ec2', 'eu-west-1', create);
    const again = regionalClient('ec2', 'eu-west-1', create);

    // THEN
    expect(again).toBe(first);
    expect(create).toHaveBeenCalledTimes(1);
    expect(create).toHaveBeenCalledWith({ region: 'eu-west-1', retryMode: 'adaptive', maxAttempts: 6 });
  });

  test('keeps one client per region and one per kind', async () => {
    // GIVEN
    const { regionalClient } = await load();
    const create = jest.fn((config: { region: string }) => ({ region: config.region }));

    // WHEN
    const ireland = regionalClient('ec2', 'eu-west-1', create);
    const ohio = regionalClient('ec2', 'us-east-2', create);
    const irelandEcs = regionalClient('ecs', 'eu-west-1', create);

    // THEN
    expect(new Set([ireland, ohio, irelandEcs]).size).toBe(3);
    expect(create.mock.calls.map(([c]) => c.region)).toEqual(['eu-west-1', 'us-east-2', 'eu-west-1']);
  });

  test('a real SDK client is built for the region asked, retrying adaptively up to six attempts', async () => {
    // GIVEN
    const { regionalClient } = await load();

    // WHEN
    const client = regionalClient('ec2', 'ap-south-1', (c) => new EC2Client(c));

    // THEN
    expect(await client.config.region()).toBe('ap-south-1');
    expect(await client.config.maxAttempts()).toBe(6);
    expect(client.config.retryMode).toBe('adaptive');
  });

  test('a new container starts without clients', async () => {
    // GIVEN a client created in one container
    const create = jest.fn(() => ({}));
    (await load()).regionalClient('ec2', 'eu-west-1', create);

    // WHEN another container asks for the same kind and region
    (await load()).regionalClient('ec2', 'eu-west-1', create);

    // THEN
    expect(create).toHaveBeenCalledTimes(2);
  });
});

describe('eventClient', () => {
  test('is the own client in the own account, and one per account with that account\'s credentials in another', async () => {
    // GIVEN
    const { eventClient, regionalClient, inEventAccount } = await freshModule(async () => ({
      ...await import('../../../../lambda/aws/clients/regional-client'),
      ...await import('../../../../lambda/aws/clients/event-account'),
    }));
    const credentials = async () => ({ accessKeyId: 'ASIAMEMBER', secretAccessKey: 's' });
    const create = jest.fn((config: object) => ({ config }));

    // WHEN
    const own = eventClient('ec2', 'eu-west-1', create);
    const member = await inEventAccount({ account: '222233334444', credentials }, async () => eventClient('ec2', 'eu-west-1', create));

    // THEN
    expect(own).toBe(regionalClient('ec2', 'eu-west-1', create));
    expect(member).not.toBe(own);
    expect(member.config).toEqual({ region: 'eu-west-1', retryMode: 'adaptive', maxAttempts: 6, credentials });
  });
});

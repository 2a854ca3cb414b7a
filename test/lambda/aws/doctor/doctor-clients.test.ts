import { doctorClients } from '../../../../lambda/aws/doctor/doctor-clients';

describe('doctorClients', () => {
  test('regional clients in the region asked for; Budgets and Cost Explorer in us-east-1, where they answer', async () => {
    const clients = doctorClients('eu-west-1');
    expect(await clients.sns.config.region()).toBe('eu-west-1');
    expect(await clients.cloudTrail.config.region()).toBe('eu-west-1');
    expect(await clients.budgets.config.region()).toBe('us-east-1');
    expect(await clients.costExplorer.config.region()).toBe('us-east-1');
    expect(await clients.sqs.config.maxAttempts()).toBe(6);
  });
});

import { judgeSubscriptions } from '../../../../lambda/core/doctor/subscriptions';

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:MiningGuard-alerts';

describe('judgeSubscriptions', () => {
  test('a confirmed subscription passes; an email one pending confirmation fails, naming the address in the fix', () => {
    // GIVEN ListSubscriptionsByTopic's documented shapes: a confirmed ARN, and PendingConfirmation
    const checks = judgeSubscriptions(TOPIC, [
      { SubscriptionArn: `${TOPIC}:0b5a3c4e-1111-2222-3333-444455556666`, Protocol: 'https', Endpoint: 'https://hooks.example.com/x' },
      { SubscriptionArn: 'PendingConfirmation', Protocol: 'email', Endpoint: 'secops@example.com' },
    ]);
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['subscription https https://hooks.example.com/x', 'PASS'],
      ['subscription email secops@example.com', 'FAIL'],
    ]);
    expect(checks[1].fix).toContain('secops@example.com');
    expect(checks[1].fix).toContain('Confirm subscription');
  });

  test('a topic without subscription fails: alerts reach nobody', () => {
    expect(judgeSubscriptions(TOPIC, [])).toEqual([expect.objectContaining({ status: 'FAIL', detail: expect.stringContaining('reach nobody') })]);
  });

  test('a pending HTTPS subscription fails with its own fix, and a missing ARN counts as unconfirmed', () => {
    const [https, none] = judgeSubscriptions(TOPIC, [
      { SubscriptionArn: 'PendingConfirmation', Protocol: 'https', Endpoint: 'https://hooks.example.com/y' },
      { Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:111122223333:q' },
    ]);
    expect(https.fix).toContain('SubscriptionConfirmation');
    expect(none.status).toBe('FAIL');
  });
});

/**
 * `mining-guard doctor --json` run against a stack deployed in the emulator, and what the deploy rehearsal checks of
 * its report: each check the emulator can answer is made, and the email subscription nobody confirmed fails with the
 * fix naming its address.
 */
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { motoClientConfig } from './moto';
import type { StackResource } from './rehearsal';
import { DoctorClients, doctorClients } from '../../lambda/aws/doctor/doctor-clients';
import { doctor } from '../../lambda/cli/doctor/doctor-command';
import { Check } from '../../lambda/core/doctor/check';
import { ruleNameOf } from '../../lambda/core/doctor/guard-resources';

/**
 * The clients, their SNS answering for email subscriptions as SNS does: the emulator confirms every subscription at
 * once, where SNS lists an email subscription as `PendingConfirmation` until its address clicks the link.
 */
function asSnsAnswersEmail(clients: DoctorClients): DoctorClients {
  clients.sns.middlewareStack.add((next) => async (args) => {
    const result = await next(args);
    // Outermost (`initialize`), so the answer has been read into an object by the time it passes here.
    const output = result.output as { Subscriptions?: Array<{ Protocol?: string; SubscriptionArn?: string }> } | undefined;
    for (const s of output?.Subscriptions ?? []) if (s.Protocol === 'email') s.SubscriptionArn = 'PendingConfirmation';
    return result;
  }, { step: 'initialize', name: 'pendingEmailAsSns' });
  return clients;
}

/** Runs the doctor on the stack in the emulator; returns its exit status, its report, and what it wrote to stderr. */
export async function doctorInEmulator(stackName: string): Promise<{ status: number; checks: Check[]; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const { region, ...settings } = motoClientConfig();
  const status = await doctor(['--stack', stackName, '--json'], {
    out: (t) => { stdout += t; },
    err: (t) => { stderr += t; },
    clients: () => asSnsAnswersEmail(doctorClients(region, settings)),
  });
  return { status, checks: stdout ? (JSON.parse(stdout) as { checks: Check[] }).checks : [], stderr };
}

/** What the deploy rehearsal expects of the report on a guard alerting one unconfirmed email address. */
export async function expectDoctorReport(stackName: string, resources: readonly StackResource[], email: string): Promise<void> {
  // The emulator's CloudFormation does not implement AWS::SNS::Subscription: subscribe the address as the stack does.
  const topic = resources.find((r) => r.type === 'AWS::SNS::Topic' && /AlertsTopic/.test(r.logicalId))!;
  await new SNSClient(motoClientConfig()).send(new SubscribeCommand({ TopicArn: topic.physicalId, Protocol: 'email', Endpoint: email }));
  const { status, checks, stderr } = await doctorInEmulator(stackName);
  expect([status, stderr]).toEqual([1, '']);
  const names = checks.map((c) => c.name);
  // The subscription nobody confirmed (the emulator, like SNS, waits for the email's confirmation).
  expect(checks.find((c) => c.name === `subscription email ${email}`)).toMatchObject({ status: 'FAIL', fix: expect.stringContaining(email) });
  // Every part of each kind the emulator holds is checked.
  for (const r of resources.filter((x) => x.physicalId)) {
    const id = r.physicalId!;
    const expected: Record<string, string> = {
      'AWS::Events::Rule': `rule ${ruleNameOf(id).name}`,
      'AWS::CloudTrail::Trail': `trail ${id} logging`,
      'AWS::GuardDuty::Detector': `GuardDuty detector ${id}`,
      'AWS::SQS::Queue': `dead-letter queue ${id}`,
      'AWS::Lambda::Function': `function ${id} errors`,
    };
    if (expected[r.type]) expect(names).toContain(expected[r.type]);
  }
  // What the emulator answers as AWS does passes.
  for (const c of checks.filter((x) => /^(rule |dead-letter queue )/.test(x.name))) expect([c.name, c.status, c.detail]).toEqual([c.name, 'PASS', c.detail]);
}

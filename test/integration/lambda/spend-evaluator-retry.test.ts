import * as http from 'http';
import { AddressInfo } from 'net';
import { BudgetsClient, CreateBudgetCommand } from '@aws-sdk/client-budgets';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { handler } from '../../../lambda/spend-evaluator.lambda';
import { handlerEnvironment } from '../../harness/handler-environment';
import { MOTO_ACCOUNT, motoClientConfig, motoEndpoint, uniqueName } from '../../harness/moto';

/**
 * An endpoint in front of the emulator that answers Budgets' JSON protocol: it throttles `DescribeBudget` as often
 * as told, answers `DescribeBudgetPerformanceHistory` (which the emulator lacks) with no history, and forwards the
 * rest. Unlike a mocked client, the SDK's own retry runs here, as it does in Lambda.
 */
class ThrottlingEndpoint {
  public describeBudgetCalls = 0;
  public throttleCount = 0;
  private readonly server = http.createServer((req, res) => void this.answer(req, res));

  public async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target.endsWith('.DescribeBudget') && this.describeBudgetCalls++ < this.throttleCount) {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ThrottlingException' });
      res.end(JSON.stringify({ __type: 'ThrottlingException', Message: 'Rate exceeded' }));
      return;
    }
    if (target.endsWith('.DescribeBudgetPerformanceHistory')) {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ BudgetPerformanceHistory: { BudgetedAndActualAmountsList: [] } }));
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length')) as Record<string, string>;
    const forwarded = await fetch(`${motoEndpoint()}${req.url}`, { method: req.method, headers, body: req.method === 'GET' ? undefined : body });
    res.writeHead(forwarded.status, Object.fromEntries(forwarded.headers.entries()));
    res.end(Buffer.from(await forwarded.arrayBuffer()));
  }
}

describe('the spend evaluator, when Budgets throttles', () => {
  const endpoint = new ThrottlingEndpoint();
  const name = uniqueName('monthly-cost');

  beforeAll(async () => {
    await new BudgetsClient(motoClientConfig()).send(new CreateBudgetCommand({
      AccountId: MOTO_ACCOUNT,
      Budget: {
        BudgetName: name,
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: '1000', Unit: 'USD' },
        CalculatedSpend: { ActualSpend: { Amount: '120', Unit: 'USD' } },
      },
    }));
    const { TopicArn } = await new SNSClient(motoClientConfig()).send(new CreateTopicCommand({ Name: uniqueName('alerts') }));
    handlerEnvironment({
      ALERT_TOPIC_ARN: TopicArn!,
      ACCOUNT_ID: MOTO_ACCOUNT,
      BUDGET_NAMES: name,
      AWS_ENDPOINT_URL: await endpoint.start(),
    });
  });

  afterAll(() => endpoint.stop());

  beforeEach(() => {
    endpoint.describeBudgetCalls = 0;
    process.env.STATE_PARAMETER_NAME = `/mining-guard/test/${uniqueName('spend')}`;
  });

  test('a few throttled calls are waited out by the SDK\'s retry', async () => {
    // GIVEN
    endpoint.throttleCount = 2;
    // WHEN
    const run = await handler();
    // THEN
    expect(run.evaluated).toEqual([{ budget: name, verdict: 'first-look', messageId: undefined }]);
    expect(endpoint.describeBudgetCalls).toBe(3);
  });

  test('throttling that outlasts every attempt fails the run and says so', async () => {
    // GIVEN
    endpoint.throttleCount = Number.MAX_SAFE_INTEGER;
    // WHEN / THEN
    await expect(handler()).rejects.toThrow(`could not judge 1 of 1 budget(s): ${name} (ThrottlingException: Rate exceeded)`);
    expect(endpoint.describeBudgetCalls).toBe(6);
  });
});

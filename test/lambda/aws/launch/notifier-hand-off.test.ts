import { createServer, Server } from 'http';
import type { AddressInfo } from 'net';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handlerEnvironment } from '../../../harness/handler-environment';
import { awsError, freshModule } from '../../../harness/mocked-aws';

const lambda = mockClient(LambdaClient);
const NOTIFIER = 'arn:aws:lambda:us-east-1:123456789012:function:Guard-AlertsNotifierFunction-ABC';

/** A fresh container's hand-off. */
const load = async () => freshModule(() => import('../../../../lambda/aws/launch/notifier-hand-off'));

beforeAll(() => handlerEnvironment());
beforeEach(() => {
  lambda.reset();
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
});

describe('handToNotifier', () => {
  test('invokes the notifier asynchronously once per event, with the event as the payload', async () => {
    const { handToNotifier } = await load();
    const events = [{ 'detail-type': 'AWS API Call via CloudTrail', 'id': 'e-1' }, { 'detail-type': 'AWS API Call via CloudTrail', 'id': 'e-2' }];

    expect(await handToNotifier(NOTIFIER, events)).toEqual([]);

    const calls = lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => [c.FunctionName, c.InvocationType])).toEqual([[NOTIFIER, 'Event'], [NOTIFIER, 'Event']]);
    expect(calls.map((c) => JSON.parse(Buffer.from(c.Payload as Uint8Array).toString('utf8')))).toEqual(events);
  });

  test('nothing to hand over calls nothing', async () => {
    const { handToNotifier } = await load();
    expect(await handToNotifier(NOTIFIER, [])).toEqual([]);
    expect(lambda.calls()).toHaveLength(0);
  });

  test('a refused invocation is reported with why, and the others are still handed over', async () => {
    lambda.on(InvokeCommand).callsFake((input) => {
      if (JSON.parse(Buffer.from(input.Payload).toString('utf8')).id === 'e-2') {
        throw awsError('AccessDeniedException', 'User is not authorized to perform: lambda:InvokeFunction', 403);
      }
      return { StatusCode: 202 };
    });
    const { handToNotifier } = await load();

    const failures = await handToNotifier(NOTIFIER, ['e-1', 'e-2', 'e-3'].map((id) => ({ id })));

    expect(failures).toEqual([{ index: 1, reason: 'AccessDeniedException: User is not authorized to perform: lambda:InvokeFunction' }]);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(3);
  });

  test('an answer other than 202 did not queue the event', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200 });
    const { handToNotifier } = await load();
    expect(await handToNotifier(NOTIFIER, [{ id: 'e-1' }])).toEqual([{ index: 0, reason: 'Lambda answered 200, not 202' }]);
  });

  test('a thousand events: at most a few invocations in flight at once, each event once', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: string[] = [];
    lambda.on(InvokeCommand).callsFake(async (input) => {
      most = Math.max(most, ++inFlight);
      seen.push(JSON.parse(Buffer.from(input.Payload).toString('utf8')).id);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      return { StatusCode: 202 };
    });
    const { handToNotifier, HAND_OFF_CONCURRENCY } = await load();

    expect(await handToNotifier(NOTIFIER, Array.from({ length: 1000 }, (_, i) => ({ id: `e-${i}` })))).toEqual([]);

    expect(most).toBe(HAND_OFF_CONCURRENCY);
    expect(new Set(seen).size).toBe(1000);
  });
});

describe('handToNotifier against a Lambda endpoint that throttles', () => {
  let server: Server;
  let requests = 0;

  beforeAll(async () => {
    // Lambda's answers to an asynchronous Invoke: throttled twice, then accepted.
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        requests++;
        if (requests <= 2) {
          response.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' });
          response.end(JSON.stringify({ Type: 'User', message: 'Rate Exceeded.' }));
        } else {
          response.writeHead(202);
          response.end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => server.close());

  test('the SDK retries the throttled invocation, and the event reaches the notifier', async () => {
    // The real client this time, with its retry middleware, which a mocked send skips.
    lambda.restore();
    process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const { handToNotifier } = await load();
      expect(await handToNotifier(NOTIFIER, [{ id: 'e-1' }])).toEqual([]);
      expect(requests).toBe(3);
    } finally {
      delete process.env.AWS_ENDPOINT_URL;
    }
  });
});

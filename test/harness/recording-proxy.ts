/**
 * A loopback HTTP proxy in front of moto that records each AWS request it forwards, so a test can read back what
 * the code under test sent (which calls, which bodies) as well as what the emulator answered.
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { motoEndpoint } from './moto';

/** One forwarded request. */
export interface RecordedRequest {
  /** The operation: the JSON protocol's `X-Amz-Target` suffix (`PutEvaluations`) or the query protocol's `Action`. */
  readonly operation: string;
  /** The request body as sent, parsed when it is JSON. */
  readonly body: unknown;
  /** The emulator's HTTP status. */
  readonly status: number;
}

export interface RecordingProxyOptions {
  /**
   * Rewrites a JSON request body before it is forwarded (the recorded body stays the one that was sent),
   * for an operation the emulator implements only in part.
   */
  readonly rewrite?: (operation: string, body: Record<string, unknown>) => Record<string, unknown>;
}

export class RecordingProxy {
  /** Starts a proxy to the moto server on a free loopback port. */
  public static async start(options: RecordingProxyOptions = {}): Promise<RecordingProxy> {
    const proxy = new RecordingProxy(options);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  public readonly requests: RecordedRequest[] = [];
  private readonly server: http.Server;

  private constructor(private readonly options: RecordingProxyOptions) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        void this.forward(req, Buffer.concat(chunks)).then(({ status, headers, body }) => {
          res.writeHead(status, headers);
          res.end(body);
        }, (error: Error) => {
          res.writeHead(502);
          res.end(error.message);
        });
      });
    });
  }

  /** The endpoint to give SDK clients, e.g. as `AWS_ENDPOINT_URL`. */
  public get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The recorded requests of one operation, oldest first. */
  public calls(operation: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  public reset(): void {
    this.requests.length = 0;
  }

  public async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async forward(req: http.IncomingMessage, raw: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const text = raw.toString('utf8');
    const isJson = target !== '';
    const operation = isJson ? target.split('.').pop()! : new URLSearchParams(text).get('Action') ?? `${req.method} ${req.url}`;
    let sent: unknown = text;
    let forwarded = raw;
    if (isJson && text !== '') {
      sent = JSON.parse(text) as Record<string, unknown>;
      if (this.options.rewrite) forwarded = Buffer.from(JSON.stringify(this.options.rewrite(operation, sent as Record<string, unknown>)));
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && !['host', 'content-length', 'connection'].includes(name)) headers[name] = value;
    }
    const response = await fetch(`${motoEndpoint()}${req.url}`, {
      method: req.method,
      headers,
      body: ['GET', 'HEAD'].includes(req.method ?? 'GET') ? undefined : forwarded,
    });
    const body = Buffer.from(await response.arrayBuffer());
    this.requests.push({ operation, body: sent, status: response.status });
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name)) out[name] = value;
    });
    return { status: response.status, headers: out, body };
  }
}

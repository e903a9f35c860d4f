/**
 * A TCP proxy on 127.0.0.1 in front of an HTTP server that misbehaves on chosen connections: drops
 * the connection after part of the response, refuses it, or never answers. One HTTP request per
 * connection (the OAI peer speaks HTTP/1.0 and closes after each response).
 */
import net from 'node:net';

export type Fault = 'pass' | 'drop-mid-response' | 'refuse' | 'stall';

export interface ProxiedRequest {
  n: number;
  /** the request line, e.g. "GET /oai?verb=ListRecords&resumptionToken=… HTTP/1.1" */
  line: string;
  fault: Fault;
}

export class FlakyProxy {
  readonly requests: ProxiedRequest[] = [];
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  /** `decide(n, requestLine)` picks the fault for the n-th connection (1-based). */
  constructor(
    private readonly upstreamPort: number,
    public decide: (n: number, line: string) => Fault = () => 'pass',
  ) {}

  async start(): Promise<this> {
    this.server = net.createServer((client) => this.onConnection(client));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/oai`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private onConnection(client: net.Socket): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => {});
    let head = Buffer.alloc(0);
    let decided = false;
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n');
      if (decided || end < 0) return;
      decided = true;
      client.off('data', onData);
      const line = head.subarray(0, end).toString('latin1');
      const n = this.requests.length + 1;
      const fault = this.decide(n, line);
      this.requests.push({ n, line, fault });
      if (fault === 'refuse') {
        client.destroy();
        return;
      }
      if (fault === 'stall') return; // read nothing more, answer nothing
      const upstream = net.connect(this.upstreamPort, '127.0.0.1');
      this.sockets.add(upstream);
      upstream.on('close', () => this.sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      upstream.write(head);
      client.pipe(upstream);
      if (fault === 'pass') {
        upstream.pipe(client);
        return;
      }
      // drop-mid-response: pass the headers and part of the body, then cut both connections
      let sent = 0;
      upstream.on('data', (data: Buffer) => {
        if (client.destroyed) return;
        const room = 1500 - sent;
        if (room > 0) client.write(data.subarray(0, room));
        sent += data.length;
        if (sent >= 1500) {
          client.destroy();
          upstream.destroy();
        }
      });
      upstream.on('end', () => client.destroy());
    };
    client.on('data', onData);
  }
}

/**
 * A TCP gate on 127.0.0.1 in front of a local server (a platform fake): while open it pipes every
 * connection through untouched (keep-alive, WebSocket upgrades, anything); `close()` makes the
 * platform unreachable — the port stops listening, so new connections are refused
 * (ECONNREFUSED), and connections already open are cut. `open()` listens on the same port again.
 */
import net from 'node:net';

export class TcpGate {
  port = 0;
  /** connections refused or cut while closed are not counted; these are the ones let through */
  accepted = 0;
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly targetPort: number) {}

  get isOpen(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<this> {
    await this.listen(0);
    return this;
  }

  /** Refuse connections from now on and cut the open ones. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  /** Accept connections again, on the same port. */
  async open(): Promise<void> {
    if (this.server) return;
    // the port was ours a moment ago; if the system handed it out meanwhile, try a few times
    for (let attempt = 0; ; attempt++) {
      try {
        await this.listen(this.port);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  private listen(port: number): Promise<void> {
    const server = net.createServer((client) => this.pipe(client));
    return new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        this.server = server;
        this.port = (server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  private pipe(client: net.Socket): void {
    this.accepted += 1;
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => {});
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  }
}

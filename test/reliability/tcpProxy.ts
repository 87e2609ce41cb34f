// A tiny TCP proxy for fault injection: forwards 127.0.0.1:<port> to a target, and can cut the
// link on demand. `cut()` destroys every open connection and refuses new ones (what a database
// restart or a network partition with RSTs looks like); `blackhole()` keeps accepting but
// forwards nothing (a silent partition); `restore()` forwards again.
import net from 'node:net';

export type ProxyMode = 'forward' | 'cut' | 'blackhole';

export interface TcpProxy {
  port: number;
  /** host:port of the proxy. */
  address: string;
  mode(): ProxyMode;
  cut(): void;
  blackhole(): void;
  restore(): void;
  /** Connections accepted since start, and those refused while cut. */
  stats(): { accepted: number; refused: number; open: number };
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }, listenPort = 0): Promise<TcpProxy> {
  let mode: ProxyMode = 'forward';
  const open = new Set<net.Socket>();
  let accepted = 0;
  let refused = 0;

  const server = net.createServer((client) => {
    if (mode === 'cut') {
      refused += 1;
      client.destroy();
      return;
    }
    accepted += 1;
    open.add(client);
    client.on('error', () => undefined);
    client.once('close', () => open.delete(client));
    if (mode === 'blackhole') {
      client.pause();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    open.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.once('close', () => {
      open.delete(upstream);
      client.destroy();
    });
    client.once('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  const dropAll = () => {
    for (const s of open) s.destroy();
    open.clear();
  };

  return {
    port,
    address: `127.0.0.1:${port}`,
    mode: () => mode,
    cut() {
      mode = 'cut';
      dropAll();
    },
    blackhole() {
      mode = 'blackhole';
      // Existing connections go silent too: stop reading and writing on both sides.
      for (const s of open) {
        s.pause();
        s.unpipe();
      }
    },
    restore() {
      if (mode === 'blackhole') dropAll();
      mode = 'forward';
    },
    stats: () => ({ accepted, refused, open: open.size }),
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}

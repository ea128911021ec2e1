import http from 'node:http';
import net from 'node:net';
import { startRoundRobinProxy } from './bundledBackend';

/** A tiny HTTP server answering `<name> <method> <path> <body>`. */
async function startEcho(name: string) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', chunk => {
      body += chunk;
    });
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain', 'x-echo': name });
      res.end(`${name} ${req.method} ${req.url} ${body}`);
    });
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}

describe('startRoundRobinProxy', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup();
    }
  });

  async function setup(names: string[]) {
    const echos = await Promise.all(names.map(startEcho));
    echos.forEach(e => cleanups.push(e.close));
    return echos;
  }

  it('sends requests to the targets in turn, with method, path and body', async () => {
    const [a, b, c] = await setup(['a', 'b', 'c']);
    const proxy = await startRoundRobinProxy([a.url, b.url, c.url]);
    cleanups.push(proxy.stop);

    const answers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${proxy.url}/api/x?i=${i}`, {
        method: 'POST',
        body: `body${i}`,
      });
      expect(response.status).toBe(200);
      answers.push(await response.text());
    }
    expect(answers).toEqual([
      'a POST /api/x?i=0 body0',
      'b POST /api/x?i=1 body1',
      'c POST /api/x?i=2 body2',
      'a POST /api/x?i=3 body3',
      'b POST /api/x?i=4 body4',
      'c POST /api/x?i=5 body5',
    ]);
  });

  it('answers 502 naming a dead target, and keeps serving through the live ones', async () => {
    const [a] = await setup(['a']);
    const dead = `http://127.0.0.1:${await deadPort()}`;
    const proxy = await startRoundRobinProxy([a.url, dead]);
    cleanups.push(proxy.stop);

    const first = await fetch(`${proxy.url}/one`);
    expect(first.status).toBe(200);
    expect(await first.text()).toBe('a GET /one ');

    const second = await fetch(`${proxy.url}/two`);
    expect(second.status).toBe(502);
    const message = await second.text();
    expect(message).toContain(`target ${dead} failed`);
    expect(message).toContain('ECONNREFUSED');

    const third = await fetch(`${proxy.url}/three`);
    expect(await third.text()).toBe('a GET /three ');
  });

  it('setTargets replaces the targets for the following requests', async () => {
    const [a, b] = await setup(['a', 'b']);
    const proxy = await startRoundRobinProxy([a.url]);
    cleanups.push(proxy.stop);

    expect(await (await fetch(`${proxy.url}/`)).text()).toBe('a GET / ');
    proxy.setTargets([b.url]);
    expect(await (await fetch(`${proxy.url}/`)).text()).toBe('b GET / ');
    expect(await (await fetch(`${proxy.url}/`)).text()).toBe('b GET / ');

    proxy.setTargets([]);
    const none = await fetch(`${proxy.url}/`);
    expect(none.status).toBe(503);
    expect(await none.text()).toContain('no targets');

    expect(() => proxy.setTargets(['https://example.com'])).toThrow(
      /must be http/,
    );
  });
});

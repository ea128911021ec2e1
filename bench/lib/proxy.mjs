/*
 * A round-robin HTTP proxy on loopback, as a load balancer in front of backend
 * replicas: each request goes to the next target in turn, with its method, path,
 * headers and body unchanged. Benches start it as a process of its own
 * (`startProxy`) so that it does not share the load generator's event loop.
 *
 * Run directly (forked with IPC): listens on a free port, sends `{ url }` to its parent,
 * and takes `{ targets: [...] }` messages to change where requests go.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

/**
 * Starts the proxy process; `setTargets` changes the replicas it spreads requests over
 * (it answers 503 while there are none), `stop` ends it.
 */
export async function startProxy(targets = []) {
  const child = fork(fileURLToPath(import.meta.url), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise((resolve, reject) => {
    child.once('message', message => resolve(message.url));
    child.once('exit', code =>
      reject(new Error(`the proxy exited with code ${code} before listening`)),
    );
  });
  const setTargets = next =>
    new Promise(resolve => {
      child.send({ targets: next });
      // The child acknowledges each change, so requests sent afterwards use it.
      child.once('message', () => resolve());
    });
  await setTargets(targets);
  return {
    url,
    setTargets,
    stop: () =>
      new Promise(resolve => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function serve() {
  let targets = [];
  let next = 0;
  // Keep-alive connections to the replicas, as a load balancer pools them; no cap, so
  // the proxy never queues requests that the backends could take.
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const forward = (req, res, attempt) => {
    const target = new URL(targets[next++ % targets.length]);
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      response => {
        res.writeHead(response.statusCode, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', error => {
      // A pooled connection the backend closed as it was reused (its keep-alive
      // timeout): a load balancer retries an idempotent request on the next target
      // (nginx's proxy_next_upstream error), and so does this one, once.
      const idempotent = req.method === 'GET' || req.method === 'HEAD';
      if (idempotent && attempt === 0 && !res.headersSent) {
        forward(req, res, 1);
        return;
      }
      console.error(
        `proxy: ${req.method} ${req.url} to ${target.host}: ${error.message}`,
      );
      if (!res.headersSent) res.writeHead(502);
      res.end(`proxy: ${error.message}`);
    });
    if (attempt === 0) req.pipe(upstream);
    else upstream.end();
  };
  const server = http.createServer((req, res) => {
    if (targets.length === 0) {
      res.writeHead(503).end('no backend targets');
      return;
    }
    forward(req, res, 0);
  });
  server.keepAliveTimeout = 65_000;
  process.on('message', message => {
    targets = message.targets;
    next = 0;
    process.send({ ok: true });
  });
  process.on('SIGTERM', () => {
    server.close();
    agent.destroy();
    process.exit(0);
  });
  server.listen(0, '127.0.0.1', () => {
    process.send({ url: `http://127.0.0.1:${server.address().port}` });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) serve();

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { optionsFromEnv, PORTAL_CLIENT_ID } from './main';

const env = {
  PAVED_IDP_ORG_DIR: resolve(__dirname, '../../../examples/org/org'),
  PAVED_IDP_PORT: '24001',
  PAVED_IDP_CLIENT_SECRET: 'a-secret-of-sufficient-length',
  PAVED_IDP_REDIRECT_URIS:
    'http://localhost:7007/api/auth/oidc/handler/frame, http://127.0.0.1:7007/api/auth/oidc/handler/frame',
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise(r => server.close(r));
  return port;
}

describe('optionsFromEnv', () => {
  it('reads the port, the portal client and the sample accounts', () => {
    const options = optionsFromEnv(env);
    expect(options.port).toBe(24001);
    expect(options.clients).toEqual([
      {
        clientId: PORTAL_CLIENT_ID,
        clientSecret: 'a-secret-of-sufficient-length',
        redirectUris: [
          'http://localhost:7007/api/auth/oidc/handler/frame',
          'http://127.0.0.1:7007/api/auth/oidc/handler/frame',
        ],
      },
    ]);
    expect(options.accounts.map(a => a.username)).toContain('bob');
  });

  it.each([
    [{ PAVED_IDP_PORT: undefined }, 'PAVED_IDP_PORT is required'],
    [{ PAVED_IDP_PORT: '80x' }, "PAVED_IDP_PORT must be a TCP port, got '80x'"],
    [{ PAVED_IDP_PORT: '70000' }, 'PAVED_IDP_PORT must be a TCP port'],
    [{ PAVED_IDP_CLIENT_SECRET: ' ' }, 'PAVED_IDP_CLIENT_SECRET is required'],
    [{ PAVED_IDP_REDIRECT_URIS: '' }, 'PAVED_IDP_REDIRECT_URIS is required'],
    [
      { PAVED_IDP_ORG_DIR: '/nonexistent/org' },
      "cannot read the accounts' folder /nonexistent/org",
    ],
  ])('refuses %j', (change, message) => {
    expect(() => optionsFromEnv({ ...env, ...change })).toThrow(message);
  });
});

describe('the local-idp process', () => {
  it('says when it is ready, serves discovery, and stops on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        resolve(__dirname, 'main.ts'),
      ],
      {
        env: { ...process.env, ...env, PAVED_IDP_PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', chunk => (stderr += chunk));
    const exited = new Promise<number | null>(r => child.on('exit', r));
    const issuer = await new Promise<string>((ready, fail) => {
      child.stdout.on('data', chunk => {
        stdout += chunk;
        const match = /ready at (\S+)/.exec(stdout);
        if (match) ready(match[1]);
      });
      exited.then(code => fail(new Error(`exited ${code}: ${stderr}`)));
    });
    expect(issuer).toBe(`http://127.0.0.1:${port}`);
    expect(stdout).toContain('(16 accounts)');
    const res = await fetch(`${issuer}/.well-known/openid-configuration`);
    expect((await res.json()).issuer).toBe(issuer);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Its output never holds the client secret.
    expect(stdout + stderr).not.toContain(env.PAVED_IDP_CLIENT_SECRET);
  });

  it('exits with a message when its environment is wrong', async () => {
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        resolve(__dirname, 'main.ts'),
      ],
      { env: { ...process.env, ...env, PAVED_IDP_CLIENT_SECRET: '' } },
    );
    let stderr = '';
    child.stderr!.on('data', chunk => (stderr += chunk));
    const code = await new Promise(r => child.on('exit', r));
    expect(code).toBe(2);
    expect(stderr).toContain('local-idp: PAVED_IDP_CLIENT_SECRET is required');
  });
});

/**
 * Reads the variables a test server was exported with; throws naming every one that is
 * missing, and how to get them, so the test fails (never skips) without the server.
 */
export function requiredServerVariables<Name extends string>(
  env: NodeJS.ProcessEnv,
  server: string,
  names: readonly Name[],
  startedBy: string,
): Record<Name, string> {
  const missing = names.filter(name => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `This test needs a real ${server}, but ${missing.join(', ')} ${
        missing.length === 1 ? 'is' : 'are'
      } not set; run it with ./paved test, or start one with ${startedBy} and export its DIR/env as scripts/test.sh does`,
    );
  }
  return Object.fromEntries(names.map(name => [name, env[name]!])) as Record<
    Name,
    string
  >;
}

/** A TCP port from a variable, or an error naming the variable. */
export function portFrom(name: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a TCP port, got '${value}'`);
  }
  return port;
}

/** An http(s) URL from a variable, without a trailing slash, or an error naming it. */
export function urlFrom(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} must be an http(s) URL, got '${value}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${name} must be an http(s) URL, got '${value}'`);
  }
  return value.replace(/\/+$/, '');
}

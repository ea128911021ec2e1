/** The header an MCP client names itself with (see docs/agents.md). */
export const AGENT_CLIENT_HEADER = 'x-paved-agent';

/**
 * Which agent made a request, for audit and usage: the `X-Paved-Agent` header when the
 * client sets it, else the MCP `initialize` request's clientInfo, else the product
 * token of its User-Agent (e.g. `claude-code/1.0.3`), else `unknown`.
 *
 * @public
 */
export function agentClientOf(request: {
  headers: Record<string, string | string[] | undefined>;
  clientInfo?: { name?: unknown; version?: unknown };
}): string {
  const clean = (value: string) =>
    value
      .replace(/[^\w.\-/@ ]/g, '')
      .trim()
      .slice(0, 100);
  const header = request.headers[AGENT_CLIENT_HEADER];
  const named = Array.isArray(header) ? header[0] : header;
  if (named && clean(named)) {
    return clean(named);
  }
  const info = request.clientInfo;
  if (info && typeof info.name === 'string' && clean(info.name)) {
    return clean(
      typeof info.version === 'string'
        ? `${info.name}/${info.version}`
        : info.name,
    );
  }
  const agent = request.headers['user-agent'];
  const ua = Array.isArray(agent) ? agent[0] : agent;
  const product = ua?.split(/\s+/)[0];
  return (product && clean(product)) || 'unknown';
}

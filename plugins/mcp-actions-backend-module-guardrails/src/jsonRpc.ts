/** A JSON-RPC request (or notification) as an MCP client sends it. */
export type JsonRpcRequest = {
  jsonrpc?: unknown;
  id?: string | number | null;
  method: string;
  params?: Record<string, unknown>;
};

/** What the server answered to one request: failed, and why, or not. */
export type JsonRpcOutcome = { failed: boolean; why?: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The requests of a POST body: one message, or a batch of them. */
export function jsonRpcRequestsOf(body: unknown): JsonRpcRequest[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.filter(
    (m): m is JsonRpcRequest => isObject(m) && typeof m.method === 'string',
  );
}

/**
 * The JSON-RPC messages of a reply: a JSON body (one message or a batch), or a
 * server-sent event stream whose `data:` fields each carry one (the streamable HTTP
 * transport answers with a stream unless it was told to answer in JSON). What cannot
 * be parsed is left out.
 */
export function repliesOf(
  text: string,
  contentType: string | undefined,
): unknown[] {
  const parse = (data: string): unknown[] => {
    try {
      const value = JSON.parse(data);
      return Array.isArray(value) ? value : [value];
    } catch {
      return [];
    }
  };
  if (!contentType?.includes('text/event-stream')) {
    return parse(text);
  }
  // Events are separated by a blank line; an event's data may span several lines.
  return text.split(/\r?\n\r?\n/).flatMap(event => {
    const data = event
      .split(/\r?\n/)
      .filter(line => line.startsWith('data:'))
      .map(line => line.slice(5).replace(/^ /, ''));
    return data.length ? parse(data.join('\n')) : [];
  });
}

/**
 * How the reply to the request with `id` came out: failed when it is a JSON-RPC error
 * or a tool result with `isError: true` (how MCP reports a tool's failure, e.g. a
 * refusal by the agent policy).
 */
export function outcomeOf(
  replies: unknown[],
  id: JsonRpcRequest['id'],
): JsonRpcOutcome | undefined {
  const reply = replies.find(
    (r): r is Record<string, unknown> => isObject(r) && r.id === id,
  );
  if (!reply) {
    return undefined;
  }
  if (isObject(reply.error)) {
    return {
      failed: true,
      why: typeof reply.error.message === 'string' ? reply.error.message : '',
    };
  }
  if (isObject(reply.result) && reply.result.isError === true) {
    const content = Array.isArray(reply.result.content)
      ? reply.result.content
      : [];
    const text = content.find(
      (c): c is { text: string } => isObject(c) && typeof c.text === 'string',
    );
    return { failed: true, why: text?.text ?? 'the tool reported an error' };
  }
  return { failed: false };
}

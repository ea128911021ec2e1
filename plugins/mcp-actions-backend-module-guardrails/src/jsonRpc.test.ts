import { jsonRpcRequestsOf, outcomeOf, repliesOf } from './jsonRpc';

describe('jsonRpcRequestsOf', () => {
  it('reads one message or a batch, and leaves out what is not a request', () => {
    const call = { jsonrpc: '2.0', id: 1, method: 'tools/call' };
    expect(jsonRpcRequestsOf(call)).toEqual([call]);
    expect(
      jsonRpcRequestsOf([call, { jsonrpc: '2.0', id: 2, result: {} }, 3, null]),
    ).toEqual([call]);
    expect(jsonRpcRequestsOf(undefined)).toEqual([]);
    expect(jsonRpcRequestsOf({ method: 7 })).toEqual([]);
  });
});

describe('repliesOf', () => {
  it('reads a JSON reply, one message or a batch', () => {
    expect(repliesOf('{"id":1,"result":{}}', 'application/json')).toEqual([
      { id: 1, result: {} },
    ]);
    expect(repliesOf('[{"id":1},{"id":2}]', undefined)).toEqual([
      { id: 1 },
      { id: 2 },
    ]);
    expect(repliesOf('not json', 'application/json')).toEqual([]);
  });

  it('reads the data of each server-sent event', () => {
    const stream =
      'event: message\ndata: {"id":1,"result":{"isError":true}}\n\n' +
      'id: 7\r\nevent: message\r\ndata: {"id":2,\r\ndata: "result":{}}\r\n\r\n' +
      ': a comment\n\n';
    expect(repliesOf(stream, 'text/event-stream; charset=utf-8')).toEqual([
      { id: 1, result: { isError: true } },
      { id: 2, result: {} },
    ]);
  });
});

describe('outcomeOf', () => {
  const replies = [
    { jsonrpc: '2.0', id: 1, result: { content: [] } },
    {
      jsonrpc: '2.0',
      id: 2,
      result: {
        content: [{ type: 'text', text: 'NotAllowedError: Refused by x' }],
        isError: true,
      },
    },
    { jsonrpc: '2.0', id: 'three', error: { code: -32602, message: 'bad' } },
    { jsonrpc: '2.0', id: 4, result: { isError: true } },
  ];

  it('is a success, a tool error, a JSON-RPC error or unknown', () => {
    expect(outcomeOf(replies, 1)).toEqual({ failed: false });
    expect(outcomeOf(replies, 2)).toEqual({
      failed: true,
      why: 'NotAllowedError: Refused by x',
    });
    expect(outcomeOf(replies, 'three')).toEqual({ failed: true, why: 'bad' });
    expect(outcomeOf(replies, 4)).toEqual({
      failed: true,
      why: 'the tool reported an error',
    });
    expect(outcomeOf(replies, 5)).toBeUndefined();
  });
});

import { Response } from 'express';

/** Enough for any error reply; a reply this long is a tool's (successful) output. */
const MAX_CAPTURED_BYTES = 1024 * 1024;

/**
 * Keeps a copy of what is written to `res` (up to 1 MiB), so that the reply can be
 * read once it is sent: the MCP server writes it itself, as JSON or as an event
 * stream, and says nothing else about how a call came out.
 */
export function captureReply(res: Response) {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;

  const keep = (chunk: unknown, encoding: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') {
      return;
    }
    let buffer: Buffer;
    if (chunk instanceof Uint8Array) {
      buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    } else {
      buffer = Buffer.from(
        String(chunk),
        typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
      );
    }
    const room = MAX_CAPTURED_BYTES - size;
    if (buffer.length > room) {
      truncated = true;
    }
    if (room > 0) {
      chunks.push(buffer.subarray(0, room));
      size += Math.min(room, buffer.length);
    }
  };

  const write = res.write;
  const end = res.end;
  res.write = function captureWrite(this: Response, ...args: any[]) {
    keep(args[0], args[1]);
    return (write as any).apply(this, args);
  } as Response['write'];
  res.end = function captureEnd(this: Response, ...args: any[]) {
    keep(args[0], args[1]);
    return (end as any).apply(this, args);
  } as Response['end'];

  return {
    text: () => Buffer.concat(chunks).toString('utf8'),
    truncated: () => truncated,
  };
}

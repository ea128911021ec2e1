import { parseSyncStream } from './parseSyncStream';

describe('parseSyncStream', () => {
  it('reads a successful build after its log lines', () => {
    const body = [
      'event: log\ndata: "Preparing docs"',
      'event: log\ndata: "INFO - Building documentation"',
      'event: finish\ndata: {"updated":true}',
      '',
    ].join('\n\n');
    expect(parseSyncStream(body)).toEqual({ kind: 'finished', updated: true });
  });

  it('reports docs that were already up to date', () => {
    expect(
      parseSyncStream('event: finish\ndata: {"updated":false}\n\n'),
    ).toEqual({ kind: 'finished', updated: false });
  });

  it('returns the error message of a failed build', () => {
    const body =
      'event: log\ndata: "x"\n\nevent: error\ndata: "mkdocs: command not found"\n\n';
    expect(parseSyncStream(body)).toEqual({
      kind: 'failed',
      message: 'mkdocs: command not found',
    });
  });

  it('treats a stream cut short as a failure', () => {
    expect(parseSyncStream('event: log\ndata: "Preparing"\n\n').kind).toBe(
      'failed',
    );
  });
});

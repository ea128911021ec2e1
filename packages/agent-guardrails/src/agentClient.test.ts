import { AGENT_CLIENT_HEADER, agentClientOf } from './agentClient';

describe('agentClientOf', () => {
  it('prefers the X-Paved-Agent header', () => {
    expect(
      agentClientOf({
        headers: {
          [AGENT_CLIENT_HEADER]: 'claude-code',
          'user-agent': 'node',
        },
        clientInfo: { name: 'other', version: '1' },
      }),
    ).toBe('claude-code');
    expect(
      agentClientOf({ headers: { 'x-paved-agent': ['cursor', 'second'] } }),
    ).toBe('cursor');
  });

  it("falls back to initialize's clientInfo, with its version", () => {
    expect(
      agentClientOf({
        headers: { 'user-agent': 'node' },
        clientInfo: { name: 'vscode', version: '1.96.0' },
      }),
    ).toBe('vscode/1.96.0');
    expect(agentClientOf({ headers: {}, clientInfo: { name: 'vscode' } })).toBe(
      'vscode',
    );
    expect(
      agentClientOf({ headers: {}, clientInfo: { name: 3, version: '1' } }),
    ).toBe('unknown');
  });

  it("falls back to the User-Agent's product, then to unknown", () => {
    expect(
      agentClientOf({
        headers: { 'user-agent': 'claude-code/1.0.3 (darwin; arm64)' },
      }),
    ).toBe('claude-code/1.0.3');
    expect(agentClientOf({ headers: {} })).toBe('unknown');
    expect(agentClientOf({ headers: { 'user-agent': '' } })).toBe('unknown');
  });

  it('keeps only harmless characters and at most 100 of them', () => {
    expect(
      agentClientOf({
        headers: { 'x-paved-agent': 'evil\n<script>"agent"</script>' },
      }),
    ).toBe('evilscriptagent/script');
    expect(
      agentClientOf({ headers: { 'x-paved-agent': 'a'.repeat(300) } }),
    ).toHaveLength(100);
    // A header of nothing but stripped characters does not name the client.
    expect(
      agentClientOf({
        headers: { 'x-paved-agent': '<>', 'user-agent': 'cursor/0.45' },
      }),
    ).toBe('cursor/0.45');
  });
});

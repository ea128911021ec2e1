import { changelogBetween, parseChangelog } from './changelog';

const CHANGELOG = `# Changelog of typescript-service

Versions follow semver.

## Unreleased

- Something not released yet.

## 1.1.0 (2026-12-07)

### Changed

- The Dockerfile runs as the \`node\` user.
- \`.dockerignore\` keeps \`node_modules\` out of the build context.

\`\`\`md
## 9.9.9
not a heading: inside a code block
\`\`\`

## 1.0.1 - 2026-11-02
Fixed the health probe.
## not-a-version

Ignored with its text.

## 1.0.0

First release.
`;

describe('parseChangelog', () => {
  it('reads every release heading with its date and text, in file order', () => {
    const entries = parseChangelog(CHANGELOG);
    expect(entries.map(e => [e.version, e.date])).toEqual([
      ['1.1.0', '2026-12-07'],
      ['1.0.1', '2026-11-02'],
      ['1.0.0', undefined],
    ]);
    expect(entries[0].text).toBe(
      [
        '### Changed',
        '',
        '- The Dockerfile runs as the `node` user.',
        '- `.dockerignore` keeps `node_modules` out of the build context.',
        '',
        '```md',
        '## 9.9.9',
        'not a heading: inside a code block',
        '```',
      ].join('\n'),
    );
    expect(entries[1].text).toBe('Fixed the health probe.');
    expect(entries[2].text).toBe('First release.');
    expect(entries[2]).not.toHaveProperty('date');
  });

  it('ignores headings that are not semver and deeper headings', () => {
    const entries = parseChangelog('## 1.0\n\nx\n## v2.0.0\n### 3.0.0\ny\n');
    expect(entries).toEqual([{ version: '2.0.0', text: '### 3.0.0\ny' }]);
  });

  it('reads CRLF files and returns nothing for an empty one', () => {
    expect(parseChangelog('## 1.2.3 (2026-01-02)\r\nA\r\n')).toEqual([
      { version: '1.2.3', date: '2026-01-02', text: 'A' },
    ]);
    expect(parseChangelog('')).toEqual([]);
  });
});

describe('changelogBetween', () => {
  const entries = parseChangelog(CHANGELOG);

  it('keeps (from, to] in semver order, newest first', () => {
    expect(
      changelogBetween(entries, '1.0.0', '1.1.0').map(e => e.version),
    ).toEqual(['1.1.0', '1.0.1']);
    expect(
      changelogBetween(entries, '1.0.1', '1.0.1').map(e => e.version),
    ).toEqual([]);
    expect(
      changelogBetween(entries, '0.1.0', '1.0.1').map(e => e.version),
    ).toEqual(['1.0.1', '1.0.0']);
  });

  it('orders by semver even when the file does not', () => {
    const shuffled = [entries[2], entries[0], entries[1]];
    expect(
      changelogBetween(shuffled, '0.0.1', '10.0.0').map(e => e.version),
    ).toEqual(['1.1.0', '1.0.1', '1.0.0']);
  });

  it('refuses a bound that is not a version', () => {
    expect(() => changelogBetween(entries, 'latest', '1.1.0')).toThrow(
      "'latest' is not a semver version",
    );
  });
});

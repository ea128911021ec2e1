import semver from 'semver';
import { ChangelogEntry } from './types';

/*
 * A release heading: `## 1.1.0`, `## 1.1.0 (2026-12-07)` or `## 1.1.0 - 2026-12-07`.
 * Anything else after `## ` (e.g. `## Unreleased`) is not a release and is skipped
 * along with its text.
 */
const RELEASE_HEADING =
  /^##[ \t]+v?(\S+)(?:[ \t]+(?:\((\d{4}-\d{2}-\d{2})\)|-[ \t]+(\d{4}-\d{2}-\d{2})))?[ \t]*$/;

/**
 * The released versions of a template from its CHANGELOG.md, in the order written
 * (newest first by convention). An entry's text is the Markdown between its heading
 * and the next `## ` heading, trimmed. Headings that are not a semver version are
 * ignored, so an "Unreleased" section never counts as a release.
 *
 * @public
 */
export function parseChangelog(markdown: string): ChangelogEntry[] {
  const entries: ChangelogEntry[] = [];
  let current: { entry: ChangelogEntry; lines: string[] } | undefined;
  let inFence = false;
  const finish = () => {
    if (current) {
      current.entry.text = current.lines.join('\n').trim();
      entries.push(current.entry);
      current = undefined;
    }
  };
  for (const line of markdown.split(/\r?\n/)) {
    // A `## ` inside a fenced code block is an example, not a heading.
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (!inFence && /^##(\s|$)/.test(line)) {
      finish();
      const match = RELEASE_HEADING.exec(line);
      const version = match ? semver.valid(match[1]) : null;
      if (match && version) {
        const date = match[2] ?? match[3];
        current = {
          entry: { version, ...(date ? { date } : {}), text: '' },
          lines: [],
        };
      }
      continue;
    }
    current?.lines.push(line);
  }
  finish();
  return entries;
}

/**
 * The entries after `fromExclusive` up to and including `toInclusive` by semver
 * order (not by position in the file), newest first.
 *
 * @public
 */
export function changelogBetween(
  entries: ChangelogEntry[],
  fromExclusive: string,
  toInclusive: string,
): ChangelogEntry[] {
  const from = semver.valid(fromExclusive);
  const to = semver.valid(toInclusive);
  if (!from) throw new Error(`'${fromExclusive}' is not a semver version`);
  if (!to) throw new Error(`'${toInclusive}' is not a semver version`);
  return entries
    .filter(e => semver.gt(e.version, from) && semver.lte(e.version, to))
    .sort((a, b) => semver.rcompare(a.version, b.version));
}

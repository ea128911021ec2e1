/** The default names of the levels, for when the backend sends none. */
const LEVEL_NAMES: Record<number, string> = {
  0: 'None',
  1: 'Ad hoc',
  2: 'Standardized',
  3: 'Self-service',
  4: 'Optimized',
  5: 'Product',
};

/** One colour per level, from red (none) to green (product). */
const LEVEL_COLORS: Record<number, string> = {
  0: '#9e9e9e',
  1: '#e53935',
  2: '#fb8c00',
  3: '#fdd835',
  4: '#7cb342',
  5: '#2e7d32',
};

export const levelName = (level: number | null | undefined, name?: string) =>
  level === null || level === undefined
    ? 'not scored'
    : name ?? LEVEL_NAMES[level] ?? `Level ${level}`;

export const levelColor = (level: number) => LEVEL_COLORS[level] ?? '#9e9e9e';

/** "Level 3 · Self-service", or "Level 0 · None". */
export const levelLabel = (level: number, name?: string) =>
  `Level ${level} · ${levelName(level, name)}`;

/**
 * Paved's logo: three offset slabs, a road laid stone by stone, and optionally the
 * name beside them (the sidebar shows the name when open, the mark alone when closed).
 */
const ACCENT = '#7df3e1';

export const PavedLogo = ({ withName }: { withName: boolean }) => (
  <svg
    xmlns="http://www.w3.org/2000/svg"
    viewBox={withName ? '0 0 120 32' : '0 0 32 32'}
    height={withName ? 30 : 28}
    role="img"
    aria-label="Paved"
  >
    <g fill={ACCENT}>
      <rect x="2" y="4" width="20" height="6" rx="2" />
      <rect x="6" y="13" width="20" height="6" rx="2" opacity="0.8" />
      <rect x="10" y="22" width="20" height="6" rx="2" opacity="0.6" />
    </g>
    {withName && (
      <text
        x="38"
        y="24"
        fill={ACCENT}
        fontFamily="Helvetica, Arial, sans-serif"
        fontSize="22"
        fontWeight="700"
      >
        Paved
      </text>
    )}
  </svg>
);

/**
 * Paved's mark: three offset slabs, a road laid stone by stone. Drawn in a 32×32
 * box so the full logo and the icon share it.
 */
export const PavedMark = ({ color }: { color: string }) => (
  <g fill={color}>
    <rect x="2" y="4" width="20" height="6" rx="2" />
    <rect x="6" y="13" width="20" height="6" rx="2" opacity="0.8" />
    <rect x="10" y="22" width="20" height="6" rx="2" opacity="0.6" />
  </g>
);

export const PAVED_ACCENT = '#7df3e1';

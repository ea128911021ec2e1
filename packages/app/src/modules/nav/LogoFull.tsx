import { PAVED_ACCENT, PavedMark } from './PavedMark';

export const LogoFull = () => (
  <svg
    xmlns="http://www.w3.org/2000/svg"
    viewBox="0 0 120 32"
    height={30}
    role="img"
    aria-label="Paved"
  >
    <PavedMark color={PAVED_ACCENT} />
    <text
      x="38"
      y="24"
      fill={PAVED_ACCENT}
      fontFamily="Helvetica, Arial, sans-serif"
      fontSize="22"
      fontWeight="700"
    >
      Paved
    </text>
  </svg>
);

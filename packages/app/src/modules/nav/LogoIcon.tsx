import { PAVED_ACCENT, PavedMark } from './PavedMark';

export const LogoIcon = () => (
  <svg
    xmlns="http://www.w3.org/2000/svg"
    viewBox="0 0 32 32"
    height={28}
    role="img"
    aria-label="Paved"
  >
    <PavedMark color={PAVED_ACCENT} />
  </svg>
);

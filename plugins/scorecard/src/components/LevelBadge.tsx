import Chip from '@material-ui/core/Chip';
import { levelColor, levelLabel } from '../lib/levels';

/** A level as a coloured chip: "Level 3 · Self-service". */
export function LevelBadge(props: {
  level: number;
  name?: string;
  size?: 'small' | 'medium';
}) {
  const { level, name, size = 'medium' } = props;
  const color = levelColor(level);
  return (
    <Chip
      size={size}
      label={levelLabel(level, name)}
      role="img"
      aria-label={levelLabel(level, name)}
      data-testid="scorecard-level-badge"
      style={{
        backgroundColor: color,
        color: level === 3 ? '#212121' : '#fff',
        fontWeight: 600,
      }}
    />
  );
}

import { Link } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';

/** "How to fix": the sentence and, when there is one, a link to the docs or template. */
export function HowToFix(props: {
  title: string;
  howToFix?: string;
  fixUrl?: string;
}) {
  const { title, howToFix, fixUrl } = props;
  if (!howToFix && !fixUrl) return null;
  return (
    <Typography variant="body2" component="div">
      <strong>How to fix:</strong> {howToFix}{' '}
      {fixUrl && (
        <Link to={fixUrl} aria-label={`How to fix: ${title}`}>
          How to fix
        </Link>
      )}
    </Typography>
  );
}

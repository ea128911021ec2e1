import { absoluteTime, relativeTime } from '@paved/display-react';

/** "3 minutes ago", with the exact time on hover. */
export function When(props: { iso: string }) {
  return (
    <time dateTime={props.iso} title={absoluteTime(props.iso)}>
      {relativeTime(props.iso)}
    </time>
  );
}

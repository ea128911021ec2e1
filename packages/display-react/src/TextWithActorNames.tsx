import { ReactNode } from 'react';
import { ActorName } from './ActorName';

// An entity name: letters, digits and `-_.`, starting and ending with a letter or
// digit (so that the full stop after "by user:default/alice." is not taken).
const NAME = '[A-Za-z0-9](?:[-\\w.]*[A-Za-z0-9])?';
const ACTOR_REF = new RegExp(`\\b(?:user|group):(?:${NAME}/)?${NAME}`, 'gi');

/**
 * A message written by a backend ("user:default/alice requested postgres
 * orders-db") with the people and teams it names shown by their names.
 */
export function TextWithActorNames(props: { text: string }) {
  const { text } = props;
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(ACTOR_REF)) {
    parts.push(text.slice(last, match.index));
    parts.push(<ActorName key={match.index} actor={match[0]} />);
    last = match.index! + match[0].length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}

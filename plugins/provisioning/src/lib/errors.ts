import { messageOf } from '@paved/display-react';

/**
 * The server's messages name the field, e.g. `Invalid request: parameters.sizeGb:
 * must be <= 500; name: is required` or `Quota exceeded: owner: ...`. This splits
 * such a message into one entry per field so that each can be shown at its input.
 */
export function fieldErrors(error: Error): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const part of messageOf(error).split('; ')) {
    // An optional lead-in without a colon ("Invalid request", "Quota exceeded"),
    // then the field and what is wrong with it.
    const match = /^(?:[^:]+: )?([\w.[\]-]+): (.+)$/.exec(part.trim());
    if (match) {
      (result[match[1]] ??= []).push(match[2]);
    }
  }
  return result;
}

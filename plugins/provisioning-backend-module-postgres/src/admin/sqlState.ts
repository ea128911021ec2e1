/** The SQLSTATE of a `pg` error (e.g. `42710`, duplicate object); undefined otherwise. */
export const sqlStateOf = (error: unknown) =>
  (error as { code?: unknown })?.code;

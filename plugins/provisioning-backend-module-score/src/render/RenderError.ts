/**
 * A workload that cannot be rendered into Kubernetes objects, naming the field of the
 * Score document that is wrong (e.g. `containers.web.files[0].content`), so that the
 * API can answer 400 pointing at it.
 *
 * @public
 */
export class RenderError extends Error {
  /** The field of the Score workload, dotted, e.g. `containers.web.variables.DB_URL`. */
  readonly path: string;

  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'RenderError';
    this.path = path;
  }
}

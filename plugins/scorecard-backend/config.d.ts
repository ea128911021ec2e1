export interface Config {
  scorecard?: {
    /** Kinds of entity that are scored. Default: [Component]. */
    kinds?: string[];
    /** Include the built-in "Platform maturity" track. Default: true. */
    defaultTrack?: boolean;
    /**
     * Tracks: one with the default track's id (platform-maturity) changes it (levels by
     * number, checks by id, `disabled: true` removes a check); other ids add tracks.
     * Checks are validated at start-up.
     */
    tracks?: Array<{
      id: string;
      title?: string;
      description?: string;
      levels: Array<{
        level: number;
        name: string;
        checks: Array<{
          id: string;
          title?: string;
          description?: string;
          howToFix?: string;
          fixUrl?: string;
          /** A fact whose string value, when set, is the entity's own fix link; else fixUrl. */
          fixUrlFact?: string;
          match?: 'all' | 'any';
          disabled?: boolean;
          appliesTo?: { kinds?: string[]; types?: string[] };
          rules?: Array<{
            fact: string;
            operator: string;
            value?: string | number | boolean | string[];
          }>;
        }>;
      }>;
    }>;
    /** Turn a built-in fact provider off: catalog, lineage, provisioning, techdocs, incidents. */
    providers?: { [id: string]: { enabled?: boolean } };
    schedule?: {
      /** The full evaluation; default every hour. */
      full?: {
        frequency: object | string;
        timeout: object | string;
        initialDelay?: object | string;
      };
      /** The poll for changed entities; default every 2 minutes. */
      incremental?: {
        frequency: object | string;
        timeout: object | string;
        initialDelay?: object | string;
      };
    };
  };
}

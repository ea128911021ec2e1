export interface Config {
  paved?: {
    /**
     * Git repositories kept in the portal's data folder: the publish target of
     * golden paths when there is no GitHub or GitLab (`./paved start`, demos, CI).
     */
    localRepositories?: {
      /**
       * Where the bare repositories (`repositories/<name>.git`) and the portal's
       * read-only checkouts (`checkouts/<name>`) live. Relative paths are resolved
       * from the backend's working directory. Default: `../../.paved/data/repositories`.
       */
      directory?: string;
    };
  };
}

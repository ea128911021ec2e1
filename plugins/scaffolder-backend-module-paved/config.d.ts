export interface Config {
  paved?: {
    scaffolder?: {
      /**
       * Where golden paths create repositories (the `paved:publish` action).
       * Templates never name a host: this decides it for all of them.
       */
      publish?: {
        /**
         * `local` (default): bare git repositories in the data folder
         * (`paved.localRepositories.directory`), for `./paved start` and demos;
         * `github` or `gitlab`: Backstage's publish:github / publish:gitlab, with the
         * credentials of the matching `integrations` entry.
         */
        target?: 'local' | 'github' | 'gitlab';
        /** Branch of the first commit. Default: main. */
        defaultBranch?: string;
        github?: {
          /** Default: github.com */
          host?: string;
          /** Organization or user that owns the new repositories. */
          owner: string;
          /** Default: private */
          visibility?: 'private' | 'internal' | 'public';
        };
        gitlab?: {
          /** Default: gitlab.com */
          host?: string;
          /** Group or user that owns the new repositories. */
          owner: string;
          /** Default: private */
          visibility?: 'private' | 'internal' | 'public';
        };
      };
    };
  };
}

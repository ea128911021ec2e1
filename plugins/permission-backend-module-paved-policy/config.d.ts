export interface Config {
  paved?: {
    permissions?: {
      /**
       * Groups whose members may do anything in the portal, as entity refs
       * (`group:default/platform-team`; a bare name means a group in `default`).
       */
      adminGroups?: string[];
    };
  };
}

export interface Config {
  paved?: {
    signIn?: {
      /**
       * Sign-in providers offered on the sign-in page, in order: `guest`, `github`,
       * `oidc` (any OpenID Connect provider: auth.providers.oidc).
       * The matching auth provider must be configured under auth.providers.
       * @visibility frontend
       */
      providers?: string[];
      oidc?: {
        /**
         * How the sign-in page calls the OIDC provider, e.g. "Okta" or "Paved local
         * accounts". Default: "Single sign-on".
         * @visibility frontend
         */
        title?: string;
      };
    };
  };
}

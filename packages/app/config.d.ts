export interface Config {
  paved?: {
    signIn?: {
      /**
       * Sign-in providers offered on the sign-in page, in order: `guest`, `github`.
       * The matching auth provider must be configured under auth.providers.
       * @visibility frontend
       */
      providers?: string[];
    };
  };
}

export interface Config {
  adoption?: {
    analytics?: {
      /**
       * Whether the portal sends its analytics events to the adoption backend.
       * Default true; when false, nothing is sent. Pseudonymization of who did
       * what is the backend's `adoption.pseudonymize`.
       * @visibility frontend
       */
      enabled?: boolean;
      /**
       * Seconds between two flushes of the events captured meanwhile. Default 10.
       * @visibility frontend
       */
      flushIntervalSeconds?: number;
      /**
       * Events that trigger a flush before the interval ends. Default 50.
       * @visibility frontend
       */
      flushAt?: number;
    };
    survey?: {
      /**
       * Minutes into a visit of the portal before the survey is offered (never on
       * the first page). Default 5.
       * @visibility frontend
       */
      showAfterMinutes?: number;
    };
  };
}

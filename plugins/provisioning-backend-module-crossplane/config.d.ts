export interface Config {
  provisioning?: {
    /**
     * Crossplane v2 composite resources as resource types: each offered
     * CompositeResourceDefinition (namespaced, established) becomes a form, and each
     * request a composite resource in the owning team's namespace (or its
     * environment's). Without this section the module registers nothing (and logs
     * why); with it, every key is checked when the backend starts. XRDs are read when
     * the backend starts: a new or changed XRD is offered after a restart.
     */
    crossplane?: {
      /**
       * The Kubernetes API that runs Crossplane. Either `kubeconfigPath`, or `url`
       * with a CA and a token. When absent, the backend must run in a pod, whose
       * service account is used.
       */
      kubernetes?: {
        /** A kubeconfig file; its current context is used. */
        kubeconfigPath?: string;
        /** The API server, e.g. `https://kubernetes.default.svc`. */
        url?: string;
        /** A PEM file of the API server's CA. */
        caFile?: string;
        /** The API server's CA, base64-encoded PEM. */
        caData?: string;
        /**
         * A bearer token of the identity Paved applies composite resources as; it
         * needs get and list on `compositeresourcedefinitions.apiextensions.crossplane.io`,
         * get, create, patch and delete on the offered composite resources, and get,
         * create and patch on namespaces.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /** Skips TLS verification; for local experiments only. */
        skipTLSVerify?: boolean;
      };
      /**
       * Which XRDs are offered: `all` (the default) offers every namespaced,
       * established XRD of the cluster without an approval; a list offers those it
       * names, with their titles and approval rules.
       */
      offer?:
        | 'all'
        | Array<{
            /** The XRD's name, `<plural>.<group>`, e.g. `xbuckets.storage.example.org`. */
            xrd: string;
            /** The form's title; the XRD's `paved.dev/title` annotation or its kind if absent. */
            title?: string;
            /** The catalog Resource's `spec.type`; `crossplane-<kind in lower case>` if absent. */
            catalogType?: string;
            /**
             * Whether every request needs an approval: `true`, or `{ reason }` to say
             * why. None if absent.
             */
            requiresApproval?: boolean | { reason: string };
            /**
             * The group that approves, e.g. `group:default/platform-team`;
             * `provisioning.policy.defaultApprovers` if absent.
             */
            approvers?: string;
          }>;
    };
  };
}

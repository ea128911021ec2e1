/*
 * The Paved backend: Backstage's core plugins plus Paved's own modules.
 * Configuration decides the environment (app-config.yaml for local use,
 * app-config.production.yaml for deployments); this file only lists features.
 */

import { createBackend } from '@backstage/backend-defaults';
// A second module of that package (its default export is the search module below).
import { techdocsModuleStagedDirectories } from '@paved/plugin-search-backend-module-techdocs-prebuild';
import { exitOnMissingVariables } from './requiredEnv';

// In production, a `${NAME}` of the config files left unset stops the start here, named.
exitOnMissingVariables();

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-gitlab'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);

// techdocs plugin
backend.add(import('@backstage/plugin-techdocs-backend'));
// `dir:` docs on disk (the portal's own, beside node_modules) built from a staged
// copy of what mkdocs reads, and not rebuilt while unchanged.
backend.add(techdocsModuleStagedDirectories);

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// See https://backstage.io/docs/auth/guest/provider
// GitHub sign-in (auth.providers.github in app-config.production.yaml).
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));
// Sign-in through any OpenID Connect provider (auth.providers.oidc): a company's
// Okta, Entra ID, Keycloak..., or the local identity provider of ./paved start.
backend.add(import('@backstage/plugin-auth-backend-module-oidc-provider'));

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// Repositories that golden paths publish to the local git folder (./paved start).
backend.add(import('@paved/plugin-catalog-backend-module-local-repositories'));
backend.add(
  import('@paved/plugin-catalog-backend-module-relative-source-locations'),
);

// Users and groups from an LDAP directory; off unless catalog.providers.ldapOrg is set
backend.add(import('@backstage/plugin-catalog-backend-module-ldap'));
// Users and teams of GitHub organizations (catalog.providers.githubOrg) and the
// catalog-info.yaml files of their repositories (catalog.providers.github). Without
// those keys neither reads anything (src/org/githubOrg.test.ts); never run against
// GitHub here, which these machines cannot reach (docs/sign-in.md).
backend.add(import('@backstage/plugin-catalog-backend-module-github-org'));
backend.add(import('@backstage/plugin-catalog-backend-module-github'));
// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
// Paved's policy: everyone reads, owners change their own, the platform team all.
backend.add(import('@paved/plugin-permission-backend-module-paved-policy'));

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));
// Builds TechDocs before anyone opens them, so that search finds them.
backend.add(import('@paved/plugin-search-backend-module-techdocs-prebuild'));

// kubernetes plugin
backend.add(import('@backstage/plugin-kubernetes-backend'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// mcp actions plugin: Paved's actions as MCP tools for AI agents; the guardrails
// module audits every agent call with the user and the client and records its usage
backend.add(import('@backstage/plugin-mcp-actions-backend'));
backend.add(import('@paved/plugin-mcp-actions-backend-module-guardrails'));

backend.add(import('@paved/plugin-scaffolder-backend-module-paved'));

// self-service provisioning: the engine; resource types are modules of it
backend.add(import('@paved/plugin-provisioning-backend'));
backend.add(import('@paved/plugin-provisioning-backend-module-postgres'));
// dedicated Postgres clusters through CloudNativePG; off unless provisioning.cnpg is set
backend.add(import('@paved/plugin-provisioning-backend-module-cnpg'));
// Crossplane composite resources, one type per offered XRD; off unless provisioning.crossplane is set
backend.add(import('@paved/plugin-provisioning-backend-module-crossplane'));
// environments on demand (Kubernetes namespaces); off unless provisioning.environments is set
backend.add(import('@paved/plugin-provisioning-backend-module-environments'));
// queues on a RabbitMQ broker; off unless provisioning.rabbitmq is set
backend.add(import('@paved/plugin-provisioning-backend-module-rabbitmq'));
// buckets on an S3 server; off unless provisioning.s3 is set
backend.add(import('@paved/plugin-provisioning-backend-module-s3'));
// Score workloads deployed into environments, and the deployments API; off unless provisioning.score is set
backend.add(import('@paved/plugin-provisioning-backend-module-score'));
// provisioned resources as catalog Resource entities
backend.add(import('@paved/plugin-catalog-backend-module-provisioning'));

// runbooks: scaffolder actions for day-2 fixes, and the entity page's Runbooks API
backend.add(import('@paved/plugin-scaffolder-backend-module-runbooks'));
backend.add(import('@paved/plugin-runbooks-backend'));

// incidents on components, with runbook runs on their timeline and time to restore
backend.add(import('@paved/plugin-incidents-backend'));

// adoption: usage events, rollups, the dashboard API and the NPS survey
backend.add(import('@paved/plugin-adoption-backend'));

// maturity scorecards: tracks of levels of checks over facts
backend.add(import('@paved/plugin-scorecard-backend'));
// Kubernetes facts (probes, limits, replicas); off unless scorecard.kubernetes is set
backend.add(import('@paved/plugin-scorecard-backend-module-kubernetes'));
// delivery facts (change failure rate, deployment frequency) from the deployments API
backend.add(import('@paved/plugin-scorecard-backend-module-deployments'));
// the open template-upgrade change of a component, as the fix of its "latest golden path" check
backend.add(import('@paved/plugin-scorecard-backend-module-upgrades'));
// template upgrades as change requests on services' repositories, and campaigns
backend.add(import('@paved/plugin-upgrades-backend'));
// A plugin that fails at start-up must end the process (exit code 1), so that Kubernetes
// restarts it and a test sees it: Backstage only logs the rejection and keeps running.
backend.start().catch(error => {
  process.stderr.write(`Paved failed to start: ${error?.stack ?? error}\n`);
  process.exit(1);
});

import { TrackDefinition } from '@paved/plugin-scorecard-common';

const DOCS = '/docs/default/component/paved-portal';

/**
 * The default track, "Platform maturity": five levels, each a step a team can take
 * with the platform's own tools. Checks on facts of a provider that is not installed
 * (e.g. Kubernetes without its module) are left out at start-up, with a warning.
 */
export const defaultTrack: TrackDefinition = {
  id: 'platform-maturity',
  title: 'Platform maturity',
  description:
    'How far a component uses the platform: from ad hoc to a product with docs, golden paths, self-service infrastructure and operations.',
  levels: [
    {
      level: 1,
      name: 'Ad hoc',
      checks: [
        {
          id: 'has-owner',
          title: 'Has an owner that exists',
          description:
            'Someone must answer for the component: incidents, reviews and costs are routed to its owner.',
          howToFix:
            'Set spec.owner in catalog-info.yaml to a Group (or User) that is in the catalog.',
          fixUrl: `${DOCS}/catalog/`,
          rules: [
            { fact: 'catalog.hasOwner', operator: 'equal', value: true },
            { fact: 'catalog.ownerExists', operator: 'equal', value: true },
          ],
        },
        {
          id: 'has-description',
          title: 'Has a description',
          description:
            'People find and understand a component by its description.',
          howToFix: 'Set metadata.description in catalog-info.yaml.',
          fixUrl: `${DOCS}/catalog/`,
          rules: [
            { fact: 'catalog.hasDescription', operator: 'equal', value: true },
          ],
        },
        {
          id: 'has-lifecycle',
          title: 'Has a lifecycle',
          description:
            'The lifecycle (experimental, production, deprecated) says how much others may rely on it.',
          howToFix:
            'Set spec.lifecycle to experimental, production or deprecated.',
          fixUrl: `${DOCS}/catalog/`,
          rules: [
            {
              fact: 'catalog.lifecycle',
              operator: 'in',
              value: ['experimental', 'production', 'deprecated'],
            },
          ],
        },
      ],
    },
    {
      level: 2,
      name: 'Standardized',
      checks: [
        {
          id: 'has-system',
          title: 'Belongs to a system',
          description:
            'Systems group what is built, owned and changed together.',
          howToFix: 'Set spec.system to the System it is part of.',
          fixUrl: `${DOCS}/catalog/`,
          rules: [
            { fact: 'catalog.hasSystem', operator: 'equal', value: true },
          ],
        },
        {
          id: 'has-source-location',
          title: 'Source location known',
          description:
            'Links to the code let people go from the portal to the change.',
          howToFix:
            'Register the component from its repository (a url location) or set backstage.io/source-location.',
          fixUrl: `${DOCS}/catalog/`,
          rules: [
            {
              fact: 'catalog.hasSourceLocation',
              operator: 'equal',
              value: true,
            },
          ],
        },
        {
          id: 'has-techdocs',
          title: 'Has TechDocs',
          description:
            'Docs next to the code stay current and are read in one place.',
          howToFix:
            'Add docs/ with mkdocs.yml and the annotation backstage.io/techdocs-ref: dir:.',
          fixUrl: `${DOCS}/techdocs/`,
          rules: [
            { fact: 'catalog.hasTechDocsRef', operator: 'equal', value: true },
          ],
        },
        {
          id: 'apis-have-definitions',
          title: 'Provided APIs have definitions',
          description:
            'Consumers integrate from the definition; an API without one is a rumour.',
          howToFix:
            'Declare each provided API as an API entity with spec.definition (OpenAPI, AsyncAPI, gRPC).',
          fixUrl: `${DOCS}/catalog/`,
          rules: [
            {
              fact: 'catalog.apisWithoutDefinition',
              operator: 'equal',
              value: 0,
            },
          ],
        },
      ],
    },
    {
      level: 3,
      name: 'Self-service',
      checks: [
        {
          id: 'from-golden-path',
          title: 'Created from a golden path',
          description:
            'Golden paths bring CI, docs, observability and security defaults that are maintained for you.',
          howToFix:
            'Create new services from a golden-path template, or move this one onto one.',
          fixUrl: '/create',
          rules: [
            { fact: 'lineage.fromGoldenPath', operator: 'equal', value: true },
          ],
        },
        {
          id: 'techdocs-build',
          title: 'TechDocs build',
          description: 'Docs that do not build are not read.',
          howToFix:
            'Fix the mkdocs build (see the TechDocs tab for the build log).',
          fixUrl: `${DOCS}/techdocs/`,
          rules: [{ fact: 'techdocs.built', operator: 'equal', value: true }],
        },
        {
          id: 'self-service-infrastructure',
          title: 'Infrastructure through self-service',
          description:
            'Self-service resources are patched, backed up and cleaned up by the platform; hand-made ones are not.',
          howToFix:
            'Request databases and other resources through Self-service, and retire the hand-made ones.',
          fixUrl: `${DOCS}/self-service/`,
          rules: [
            {
              fact: 'provisioning.selfServiceResources',
              operator: 'greaterThanInclusive',
              value: 1,
            },
            {
              fact: 'provisioning.manualResources',
              operator: 'equal',
              value: 0,
            },
          ],
        },
      ],
    },
    {
      level: 4,
      name: 'Optimized',
      checks: [
        {
          id: 'latest-template-version',
          title: "On the golden path's latest version",
          description:
            'Staying current brings the fixes and improvements of the golden path.',
          howToFix:
            "Select Propose upgrade on the component's page: it opens a change request with the template's upgrade merged into the repository; review and merge it.",
          // docs/golden-paths.md, "Upgrades: keeping services on the golden path"
          fixUrl: `${DOCS}/golden-paths/#upgrades-keeping-services-on-the-golden-path`,
          // The component's open upgrade change, once proposed, is its fix.
          fixUrlFact: 'upgrades.openChange',
          rules: [
            { fact: 'lineage.onLatestVersion', operator: 'equal', value: true },
          ],
        },
        {
          id: 'change-failure-rate',
          title: 'Change failure rate at most 15%',
          description:
            'Few production deployments are followed by a rollback or an incident: changes are tested before they ship (DORA: elite and high performers stay at or under 15%).',
          howToFix:
            'Look at the rolled-back deployments and the incidents after deployments on the Deployments tab; test in a staging environment and promote what passed.',
          fixUrl: `${DOCS}/deployments/`,
          appliesTo: { kinds: ['component'], types: ['service', 'website'] },
          rules: [
            {
              fact: 'deployments.productionDeployments',
              operator: 'greaterThanInclusive',
              value: 1,
            },
            {
              fact: 'deployments.changeFailureRate',
              operator: 'lessThanInclusive',
              value: 0.15,
            },
          ],
        },
        {
          id: 'observability',
          title: 'Observable',
          description:
            'Dashboards and metrics are how you learn it is broken before users do.',
          howToFix:
            'Add prometheus.io/* scrape annotations, grafana/dashboard-selector or paved.dev/dashboards.',
          fixUrl: `${DOCS}/kubernetes/`,
          rules: [
            { fact: 'catalog.observability', operator: 'exists', value: true },
          ],
        },
        {
          id: 'k8s-probes',
          title: 'Workloads have probes',
          description:
            'Readiness and liveness probes let Kubernetes route around and restart failures.',
          howToFix:
            'Add readinessProbe and livenessProbe to every container of its Deployments.',
          fixUrl: `${DOCS}/kubernetes/`,
          rules: [
            {
              fact: 'kubernetes.deployments',
              operator: 'greaterThanInclusive',
              value: 1,
            },
            { fact: 'kubernetes.allProbes', operator: 'equal', value: true },
          ],
        },
        {
          id: 'k8s-resource-limits',
          title: 'Workloads have resource limits',
          description: 'Limits keep one workload from starving its neighbours.',
          howToFix: 'Set resources.limits (cpu, memory) on every container.',
          fixUrl: `${DOCS}/kubernetes/`,
          rules: [
            {
              fact: 'kubernetes.deployments',
              operator: 'greaterThanInclusive',
              value: 1,
            },
            { fact: 'kubernetes.allLimits', operator: 'equal', value: true },
          ],
        },
        {
          id: 'k8s-replicas',
          title: 'At least two replicas',
          description:
            'One replica means downtime on every deploy and node failure.',
          howToFix: 'Set spec.replicas ≥ 2 (or an HPA with minReplicas ≥ 2).',
          fixUrl: `${DOCS}/kubernetes/`,
          rules: [
            {
              fact: 'kubernetes.minReplicas',
              operator: 'greaterThanInclusive',
              value: 2,
            },
          ],
        },
      ],
    },
    {
      level: 5,
      name: 'Product',
      checks: [
        {
          id: 'runbook',
          title: 'Runbook available',
          description: 'On-call engineers need steps, not guesses, at 3 a.m.',
          howToFix:
            'Link a runbook (metadata.links with type or title "runbook") or use a runbook template that applies.',
          fixUrl: `${DOCS}/runbooks/`,
          rules: [
            { fact: 'catalog.hasRunbook', operator: 'equal', value: true },
          ],
        },
        {
          id: 'on-call',
          title: 'On-call configured',
          description: 'Someone is paged when it breaks.',
          howToFix:
            'Add pagerduty.com/service-id, opsgenie.com/team or paved.dev/on-call to the entity.',
          fixUrl: `${DOCS}/incidents/`,
          rules: [
            { fact: 'catalog.hasOnCall', operator: 'equal', value: true },
          ],
        },
        {
          id: 'time-to-restore',
          title: 'Restores within 4 hours',
          description:
            'Mean time to restore is what users feel of reliability.',
          howToFix:
            'Review the last incidents and their runbooks; automate the slow steps.',
          fixUrl: `${DOCS}/incidents/`,
          match: 'any',
          rules: [
            { fact: 'incidents.count90d', operator: 'equal', value: 0 },
            {
              fact: 'incidents.meanTimeToRestoreHours',
              operator: 'lessThan',
              value: 4,
            },
          ],
        },
        {
          id: 'in-production',
          title: 'In production',
          description:
            'A product is relied on; experimental components are not there yet.',
          howToFix: 'Set spec.lifecycle: production once it serves users.',
          fixUrl: `${DOCS}/catalog/`,
          rules: [
            {
              fact: 'catalog.lifecycle',
              operator: 'equal',
              value: 'production',
            },
          ],
        },
      ],
    },
  ],
};

import {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { AgentActions } from '@paved/agent-guardrails';
import { audited } from '@paved/backend-plugin-utils';
import { UsageRecorder } from '@paved/plugin-adoption-node';
import {
  findConcurrentRun,
  runbookAppliesTo,
  runbookRunPermission,
} from '@paved/plugin-runbooks-common';
import { normalizeRef, RunbookService } from '../service/RunbookService';
import { ScaffolderClient } from '../service/ScaffolderClient';
import { CONFIRM_FIELD, RunbookForm, RunbookProblem } from './runbookForm';

const taskLink = (taskId: string) =>
  `/create/tasks/${encodeURIComponent(taskId)}`;

/**
 * The runbooks plugin's agent actions: `list-runbooks` and `run-runbook` (a dry run
 * by default). They call the same RunbookService as the REST routes, with the
 * credentials of the user the agent acts for, so that the permission framework
 * decides as it does for the Runbooks tab.
 */
export function registerRunbooksActions(options: {
  actions: AgentActions;
  runbooks: RunbookService;
  catalog: CatalogService;
  permissions: PermissionsService;
  scaffolder: ScaffolderClient;
  auditor: AuditorService;
  usage: UsageRecorder;
}): void {
  const { actions, runbooks, catalog, permissions, scaffolder } = options;

  /** Runbooks run as a person (the scaffolder task is theirs), as the REST routes require. */
  const asUser = (credentials: BackstageCredentials) => {
    const { type } = credentials.principal as { type: string };
    if (type !== 'user') {
      throw new NotAllowedError(
        `Runbooks run as a user: connect the agent with a user's token, not a ${type} token`,
      );
    }
    return credentials as BackstageCredentials<BackstageUserPrincipal>;
  };

  actions.register({
    name: 'list-runbooks',
    title: 'List the runbooks of a component',
    description:
      'Lists the runbooks (operational procedures such as restarting or scaling a deployment) that apply to a catalog entity, ' +
      'with the inputs each takes and, for the runbooks that change something, the confirmation a real run needs. ' +
      'Call run-runbook next, first as a dry run.',
    kind: 'read',
    idempotent: true,
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .describe(
              'The entity, e.g. component:default/orders-api (the namespace may be left out)',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string().describe('The entity, as a full entity ref'),
          runbooks: z
            .array(
              z.object({
                templateRef: z
                  .string()
                  .describe("Pass as run-runbook's runbook"),
                name: z.string(),
                title: z.string(),
                description: z.string().optional(),
                version: z.string().optional(),
                destructive: z
                  .boolean()
                  .describe('It changes something: a real run needs confirm'),
                inputs: z
                  .array(
                    z.object({
                      name: z
                        .string()
                        .describe("The key in run-runbook's inputs"),
                      title: z.string().optional(),
                      description: z.string().optional(),
                      type: z.string().optional().describe('JSON Schema type'),
                      required: z.boolean(),
                      default: z.unknown().optional(),
                      enum: z.array(z.unknown()).optional(),
                    }),
                  )
                  .describe('The inputs its form takes, besides the entity'),
                confirmation: z
                  .object({
                    field: z.string().describe("run-runbook's field: confirm"),
                    value: z.unknown().describe('The value a real run needs'),
                    title: z.string().optional(),
                    description: z
                      .string()
                      .optional()
                      .describe('What the person confirms they understand'),
                  })
                  .optional()
                  .describe('Present when a real run needs a confirmation'),
                link: z
                  .string()
                  .describe('Its form in the portal, for a person to run it'),
                docsUrl: z.string().optional(),
              }),
            )
            .describe('The runbooks that apply, by title'),
        }),
    },
    action: async ({ input, credentials }) => {
      const user = asUser(credentials);
      const entityRef = normalizeRef(input.entityRef, 'entityRef');
      const summaries = await runbooks.listRunbooks(entityRef, user);
      // The summaries say what applies; the forms say what each needs.
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: summaries.map(s => s.templateRef) },
        { credentials: user },
      );
      return {
        output: {
          entityRef,
          runbooks: summaries.map((summary, index) => {
            const form = items[index]
              ? new RunbookForm(items[index]!)
              : undefined;
            const confirmation = form?.confirmation();
            return {
              ...summary,
              inputs: form?.inputs() ?? [],
              ...(confirmation && { confirmation }),
            };
          }),
        },
      };
    },
  });

  /**
   * What a run would do and what stands in its way, checked like the run itself:
   * the entity, the permission to run runbooks on it, the runbook, its inputs, a
   * run of it already under way. Reads only.
   */
  const plan = async (
    input: { entityRef: string; runbook: string; inputs: JsonObject },
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ) => {
    const entityRef = normalizeRef(input.entityRef, 'entityRef');
    const templateRef = normalizeRef(input.runbook, 'runbook', 'template');
    for (const reserved of [CONFIRM_FIELD, 'entityRef']) {
      if (reserved in input.inputs) {
        throw new InputError(
          `inputs.${reserved}: pass ${reserved} as run-runbook's own field, not in inputs`,
        );
      }
    }
    const entity = await runbooks.entity(entityRef, credentials);
    const [decision] = await permissions.authorize(
      [{ permission: runbookRunPermission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      // The words of RunbookService.run's refusal: the same rule refuses.
      throw new NotAllowedError(
        `You may not run runbooks on ${entityRef}: only its owner ${
          entity.spec?.owner ?? ''
        } and the platform admins may`,
      );
    }
    const template = await catalog.getEntityByRef(templateRef, {
      credentials,
    });
    if (!template) {
      throw new InputError(`runbook '${templateRef}' is not in the catalog`);
    }
    if (!runbookAppliesTo(template, entity)) {
      throw new InputError(
        `runbook '${templateRef}' is not a runbook for ${entityRef}: list-runbooks lists those that are`,
      );
    }
    const form = new RunbookForm(template);
    const running = findConcurrentRun(
      await scaffolder.listTasks({ statuses: ['open', 'processing'] }),
      { templateRef, entityRef },
    );
    return {
      entityRef,
      templateRef,
      entity,
      template,
      form,
      problems: form.problems(entityRef, input.inputs),
      running,
    };
  };

  actions.register({
    name: 'run-runbook',
    title: 'Run a runbook on a component',
    description:
      'Runs a runbook (from list-runbooks) on an entity as the user, like its form in the portal. ' +
      'dryRun defaults to true: a dry run changes nothing and says what would run (its steps and values), ' +
      'whether the user may run it, and what is wrong with the inputs. ' +
      'A real run (dryRun: false) of a runbook that changes something also needs confirm set to the value its form requires ' +
      '(list-runbooks gives it as confirmation), and the agent policy may allow only dry runs. ' +
      'A real run returns the scaffolder task; follow it at its link.',
    kind: 'destructive',
    idempotent: false,
    personInstead:
      "run it from the component's Runbooks tab in the portal (the runbook's form, with its confirmation)",
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .describe(
              'The entity to run it on, e.g. component:default/orders-api',
            ),
          runbook: z
            .string()
            .min(1)
            .describe(
              'The runbook: its templateRef from list-runbooks, e.g. template:default/restart-deployment, or its name',
            ),
          inputs: z
            .record(z.unknown())
            .default({})
            .describe(
              "The runbook's inputs by name, as list-runbooks lists them (without entityRef and confirm)",
            ),
          dryRun: z
            .boolean()
            .default(true)
            .describe(
              'true (the default): only say what would run, change nothing. false: run it',
            ),
          confirm: z
            .boolean()
            .optional()
            .describe(
              'The form\'s confirmation ("I understand what this does"): a real run of a runbook that changes something needs true',
            ),
        }),
      output: z =>
        z.object({
          dryRun: z.boolean(),
          started: z.boolean().describe('A run was started'),
          taskId: z
            .string()
            .optional()
            .describe('The scaffolder task of the run, when started'),
          link: z
            .string()
            .optional()
            .describe("The run's page in the portal, when started"),
          runbook: z.object({
            templateRef: z.string(),
            title: z.string(),
            description: z.string().optional(),
          }),
          entityRef: z.string(),
          owner: z.string().optional().describe("The entity's owner"),
          steps: z
            .array(
              z.object({
                id: z.string(),
                name: z.string().optional(),
                action: z.string(),
              }),
            )
            .describe('What the run does, in order'),
          values: z
            .record(z.unknown())
            .describe('The values the run gets (or would get)'),
          confirmation: z
            .object({
              field: z.string(),
              value: z.unknown(),
              title: z.string().optional(),
              description: z.string().optional(),
              given: z.boolean().describe('This call gave it'),
            })
            .optional()
            .describe('The confirmation a real run needs, if any'),
          problems: z
            .array(z.object({ field: z.string(), message: z.string() }))
            .describe('What would stop a real run; empty when it would start'),
          alreadyRunning: z
            .object({ taskId: z.string(), link: z.string() })
            .optional()
            .describe('A run of this runbook on this entity not yet finished'),
          summary: z
            .string()
            .describe('What happened, or would, in a sentence'),
        }),
    },
    action: async ({ input, credentials }) => {
      const user = asUser(credentials);
      const inputs = input.inputs as JsonObject;
      const planned = await plan({ ...input, inputs }, user);
      const { entityRef, templateRef, entity, template, form, running } =
        planned;
      const confirmation = form.confirmation();
      const given =
        confirmation !== undefined && input.confirm === confirmation.value;
      const problems: RunbookProblem[] = [...planned.problems];
      if (running) {
        problems.push({
          field: 'runbook',
          message: `is already running on ${entityRef} (task ${running.id}); wait for it to end`,
        });
      }
      const values: JsonObject = {
        ...inputs,
        entityRef,
        ...(confirmation && given && { [CONFIRM_FIELD]: confirmation.value }),
      };
      const title = template.metadata.title ?? template.metadata.name;
      const base = {
        runbook: {
          templateRef,
          title,
          ...(template.metadata.description && {
            description: template.metadata.description,
          }),
        },
        entityRef,
        ...(typeof entity.spec?.owner === 'string' && {
          owner: entity.spec.owner,
        }),
        steps: form.steps(),
        values,
        ...(confirmation && { confirmation: { ...confirmation, given } }),
        problems,
        ...(running && {
          alreadyRunning: { taskId: running.id, link: taskLink(running.id) },
        }),
      };

      if (input.dryRun) {
        const needs =
          confirmation && !given
            ? ` with confirm: ${JSON.stringify(confirmation.value)}`
            : '';
        return {
          output: {
            ...base,
            dryRun: true,
            started: false,
            summary: problems.length
              ? `Dry run: ${title} would not start on ${entityRef}: ${problems
                  .map(p => `${p.field} ${p.message}`)
                  .join('; ')}. Nothing was changed.`
              : `Dry run: ${title} would run ${
                  form.steps().length
                } steps on ${entityRef}; call again with dryRun: false${needs} to run it. Nothing was changed.`,
          },
        };
      }

      if (confirmation && !given) {
        throw new InputError(
          `confirm: ${title} changes things, and its form requires the confirmation "${
            confirmation.title ?? CONFIRM_FIELD
          }"${
            confirmation.description ? ` (${confirmation.description})` : ''
          }: call again with confirm: ${JSON.stringify(confirmation.value)}`,
        );
      }
      if (planned.problems.length) {
        throw new InputError(
          `Invalid inputs for ${title}: ${planned.problems
            .map(p => `${p.field}: ${p.message}`)
            .join('; ')}`,
        );
      }
      // The run itself goes through RunbookService.run, as POST /runs does: it checks
      // the permission, the runbook and a concurrent run again, and starts the task.
      const { taskId } = await runRunbook(
        options,
        { templateRef, entityRef, values },
        user,
      );
      return {
        output: {
          ...base,
          dryRun: false,
          started: true,
          taskId,
          link: taskLink(taskId),
          summary: `Started ${title} on ${entityRef} as task ${taskId}; follow it at ${taskLink(
            taskId,
          )}.`,
        },
      };
    },
  });
}

/** Starts a run, audited and recorded as a usage event like a run from the form. */
async function runRunbook(
  options: {
    runbooks: RunbookService;
    auditor: AuditorService;
    usage: UsageRecorder;
  },
  run: { templateRef: string; entityRef: string; values: JsonObject },
  credentials: BackstageCredentials<BackstageUserPrincipal>,
) {
  const { templateRef, entityRef } = run;
  const actor = credentials.principal.userEntityRef;
  return audited(
    options.auditor,
    {
      eventId: 'runbook-run',
      request: undefined,
      // No request to read the user from: the meta names them, and the agent.
      meta: { templateRef, entityRef, actor, via: 'agent' },
      usage: {
        recorder: options.usage,
        actor,
        facts: {
          subject: templateRef,
          attributes: { entityRef, via: 'agent' },
        },
        errorFacts: error => ({
          attributes: {
            entityRef,
            via: 'agent',
            error: (error as Error).name ?? 'Error',
          },
        }),
      },
    },
    () => options.runbooks.run(run, credentials),
    result => ({ taskId: result.taskId }),
    result => ({
      team: ownerRef(result.entity.spec?.owner),
      attributes: { entityRef, taskId: result.taskId, via: 'agent' },
    }),
  );
}

/** The owner as a group ref, as POST /runs records it for the adoption dashboard. */
function ownerRef(owner: unknown): string | undefined {
  try {
    return typeof owner === 'string'
      ? stringifyEntityRef(parseEntityRef(owner, { defaultKind: 'group' }))
      : undefined;
  } catch {
    return undefined;
  }
}

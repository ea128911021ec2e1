import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { DEFAULT_AGENT_POLICY, readAgentPolicy } from './AgentPolicy';

const policyOf = (agents: unknown) =>
  readAgentPolicy(new ConfigReader({ paved: { agents } } as any));

describe('readAgentPolicy', () => {
  it('uses the defaults without paved.agents', () => {
    const policy = readAgentPolicy(new ConfigReader({}));
    expect(policy).toEqual({
      read: 'allow',
      change: 'deny',
      request: 'approval',
      destructive: 'dry-run',
      actions: {},
    });
    // A fresh object: callers cannot change the frozen defaults through it.
    expect(policy).not.toBe(DEFAULT_AGENT_POLICY);
    expect(Object.isFrozen(DEFAULT_AGENT_POLICY)).toBe(true);
  });

  it('fills what paved.agents leaves out with the defaults', () => {
    expect(policyOf({ change: 'allow' })).toEqual({
      read: 'allow',
      change: 'allow',
      request: 'approval',
      destructive: 'dry-run',
      approvers: undefined,
      actions: {},
    });
  });

  it('reads every rule, the approvers and the overrides', () => {
    expect(
      policyOf({
        read: 'deny',
        change: 'allow',
        request: 'allow',
        destructive: 'deny',
        approvers: 'group:default/platform-team',
        actions: {
          'provisioning:delete-resource': 'dry-run',
          'runbooks:run-runbook': 'deny',
          'incidents:open-incident': 'allow',
          'provisioning:submit-request': 'approval',
        },
      }),
    ).toEqual({
      read: 'deny',
      change: 'allow',
      request: 'allow',
      destructive: 'deny',
      approvers: 'group:default/platform-team',
      actions: {
        'provisioning:delete-resource': 'dry-run',
        'runbooks:run-runbook': 'deny',
        'incidents:open-incident': 'allow',
        'provisioning:submit-request': 'approval',
      },
    });
  });

  it.each([
    ['read', 'approval'],
    ['read', 'dry-run'],
    ['change', 'approval'],
    ['change', 'dry-run'],
    ['request', 'dry-run'],
    ['destructive', 'approval'],
    ['request', 'yes'],
  ])('refuses %s: %s, naming the key', (key, value) => {
    const error = (() => {
      try {
        policyOf({ [key]: value });
        return undefined;
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error!.message).toContain(`paved.agents.${key}`);
    expect(error!.message).toContain(`'${value}'`);
  });

  it('refuses a rule that is not a string, naming the key', () => {
    expect(() => policyOf({ destructive: true })).toThrow(
      /paved\.agents\.destructive/,
    );
  });

  it('refuses an override with an unknown mode, naming the action', () => {
    expect(() =>
      policyOf({ actions: { 'provisioning:delete-resource': 'maybe' } }),
    ).toThrow(
      new InputError(
        "Invalid config paved.agents.actions.provisioning:delete-resource: 'maybe' is not one of allow, approval, dry-run, deny",
      ),
    );
  });

  it.each(['delete-resource', 'Provisioning:Delete', 'a:b:c', 'a.b'])(
    'refuses the override id %s, naming it',
    id => {
      expect(() => policyOf({ actions: { [id]: 'deny' } })).toThrow(
        new InputError(
          `Invalid config paved.agents.actions.${id}: not an action id like 'provisioning:delete-resource'`,
        ),
      );
    },
  );
});

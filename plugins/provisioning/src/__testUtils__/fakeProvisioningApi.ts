import { ResponseError } from '@backstage/errors';
import { mockApis } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  ProvisioningRequest,
  ProvisioningRequestDetails,
  ResourceTypeInfo,
} from '@paved/plugin-provisioning-common';
import {
  ListRequestsOptions,
  ProvisioningApi,
  provisioningApiRef,
} from '../api';

export const postgresType: ResourceTypeInfo = {
  id: 'postgres',
  title: 'PostgreSQL database',
  description:
    'A database on the shared cluster, with credentials in a Secret.',
  catalogType: 'database',
  parameters: {
    type: 'object',
    required: ['sizeGb', 'environment'],
    properties: {
      sizeGb: {
        type: 'integer',
        title: 'Size (GB)',
        minimum: 1,
        maximum: 500,
        default: 10,
      },
      environment: {
        type: 'string',
        title: 'Environment',
        enum: ['development', 'production'],
        default: 'development',
      },
      backups: { type: 'boolean', title: 'Nightly backups', default: true },
    },
  },
  actions: [
    {
      id: 'resize',
      title: 'Resize',
      description: 'Grow the volume.',
      parameters: {
        type: 'object',
        required: ['sizeGb'],
        properties: { sizeGb: { type: 'integer', title: 'New size (GB)' } },
      },
    },
  ],
};

export const bucketType: ResourceTypeInfo = {
  id: 'bucket',
  title: 'Object storage bucket',
  description: 'An S3-compatible bucket.',
  catalogType: 'bucket',
  parameters: { type: 'object', properties: {} },
  actions: [],
};

export const environmentType: ResourceTypeInfo = {
  id: 'environment',
  title: 'Preview environment',
  description: "A namespace with the team's services, deleted when unused.",
  catalogType: 'environment',
  parameters: { type: 'object', properties: {} },
  lifetime: { maxHours: 168 },
  actions: [],
};

export function aRequest(
  overrides: Partial<ProvisioningRequestDetails> = {},
): ProvisioningRequestDetails {
  return {
    id: 'r1',
    type: 'postgres',
    name: 'orders-db',
    owner: 'group:default/team-a',
    parameters: { sizeGb: 10, environment: 'development', backups: true },
    state: 'ready',
    outputs: {},
    createdBy: 'user:default/alice',
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:05:00.000Z',
    timeline: [],
    operations: [],
    ...overrides,
  };
}

/** A fake `listRequests` over `requests` that filters and pages as the API does. */
export function serverOf(requests: ProvisioningRequest[]) {
  return jest.fn(async (options: ListRequestsOptions = {}) => {
    const matching = requests
      .filter(r => !options.owner || [options.owner].flat().includes(r.owner))
      .filter(r => !options.state?.length || options.state.includes(r.state))
      .sort(
        (a, b) =>
          b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id),
      );
    const offset = options.offset ?? 0;
    return {
      items: matching.slice(offset, offset + (options.limit ?? 100)),
      totalCount: matching.length,
    };
  });
}

/** A `ResponseError` as the client throws it for an error response. */
export async function responseError(status: number, message: string) {
  const body = {
    error: { name: status === 403 ? 'NotAllowedError' : 'InputError', message },
    request: { method: 'POST', url: '/api/provisioning/requests' },
    response: { statusCode: status },
  };
  return ResponseError.fromResponse(
    new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json' },
    }),
  );
}

/** A {@link ProvisioningApi} whose methods are jest mocks with harmless defaults. */
export function fakeProvisioningApi(
  overrides: Partial<ProvisioningApi> = {},
): jest.Mocked<ProvisioningApi> {
  return {
    listTypes: jest.fn(async () => [postgresType, bucketType]),
    createRequest: jest.fn(async body => ({
      ...aRequest(),
      ...body,
      id: 'new-1',
      state: 'provisioning',
    })),
    listRequests: jest.fn(async () => ({ items: [], totalCount: 0 })),
    getRequest: jest.fn(async () => aRequest()),
    getRequestStatus: jest.fn(async () => ({ sections: [] })),
    approveRequest: jest.fn(
      async id => ({ ...aRequest({ id }), state: 'provisioning' } as any),
    ),
    rejectRequest: jest.fn(
      async id => ({ ...aRequest({ id }), state: 'rejected' } as any),
    ),
    runAction: jest.fn(async (id, action) => ({
      id: 'op-1',
      requestId: id,
      kind: 'action',
      action,
      input: {},
      status: 'queued',
      attempts: 0,
      createdBy: 'user:default/alice',
      createdAt: '2026-11-20T10:00:00.000Z',
      updatedAt: '2026-11-20T10:00:00.000Z',
    })),
    deleteRequest: jest.fn(
      async id =>
        ({ ...aRequest({ id }), state: 'deleting' } as ProvisioningRequest),
    ),
    recordActivity: jest.fn(
      async id => aRequest({ id }) as ProvisioningRequest,
    ),
    extendRequest: jest.fn(async id => aRequest({ id }) as ProvisioningRequest),
    getLocalCluster: jest.fn(async () => ({ state: 'off' as const })),
    ...overrides,
  } as jest.Mocked<ProvisioningApi>;
}

/** The APIs a page of this plugin needs, for a user in the given groups. */
export function testApis(
  api: ProvisioningApi,
  options: { user?: string; groups?: string[] } = {},
) {
  const user = options.user ?? 'user:default/alice';
  const groups = options.groups ?? ['group:default/team-a'];
  return [
    [provisioningApiRef, api],
    mockApis.identity({
      userEntityRef: user,
      ownershipEntityRefs: [user, ...groups],
    }),
    catalogApiMock({
      entities: groups.map(ref => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: {
          namespace: 'default',
          name: ref.split('/')[1],
          title: `Team ${ref.split('-').pop()?.toUpperCase()}`,
        },
        spec: { type: 'team', children: [] },
      })),
    }),
  ] as const;
}

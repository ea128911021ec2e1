import { ResponseError } from '@backstage/errors';
import { Entity } from '@backstage/catalog-model';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { Incident, IncidentDetails } from '@paved/plugin-incidents-common';
import { IncidentsApi, incidentsApiRef } from '../api';

export const ordersApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-api', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'payments-team' },
};

export function anIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 'i1',
    entityRef: 'component:default/orders-api',
    owner: 'group:default/payments-team',
    severity: 'sev2',
    status: 'investigating',
    summary: 'Checkout fails with 502',
    openedBy: 'user:default/bob',
    openedAt: '2026-11-20T10:00:00.000Z',
    ...overrides,
  };
}

export function details(
  overrides: Partial<IncidentDetails> = {},
): IncidentDetails {
  return {
    ...anIncident(),
    timeline: [
      {
        type: 'opened',
        message:
          'user:default/bob opened a sev2 incident: Checkout fails with 502',
        actor: 'user:default/bob',
        at: '2026-11-20T10:00:00.000Z',
      },
    ],
    ...overrides,
  };
}

export function fakeIncidentsApi(
  overrides: Partial<Record<keyof IncidentsApi, jest.Mock>> = {},
): jest.Mocked<IncidentsApi> {
  const api: Record<keyof IncidentsApi, jest.Mock> = {
    listIncidents: jest.fn(async () => ({ items: [], totalCount: 0 })),
    getIncident: jest.fn(async (id: string) => details({ id })),
    openIncident: jest.fn(async (body: Partial<Incident>) =>
      anIncident({ id: 'new', ...body }),
    ),
    addNote: jest.fn(async (id: string) => details({ id })),
    setStatus: jest.fn(async (id: string, status: Incident['status']) =>
      anIncident({ id, status }),
    ),
    resolve: jest.fn(async (id: string, cause: string) =>
      anIncident({ id, status: 'resolved', cause }),
    ),
    ...overrides,
  };
  return api as unknown as jest.Mocked<IncidentsApi>;
}

/** A 403 as the backend answers it. */
export function forbidden(message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({ error: { name: 'NotAllowedError', message } }),
      { status: 403, headers: { 'content-type': 'application/json' } },
    ) as any,
  );
}

export const testApis = (api: IncidentsApi) =>
  [[incidentsApiRef, api], catalogApiMock({ entities: [ordersApi] })] as const;

import { mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { TemplateEntityV1beta3 } from '@backstage/plugin-scaffolder-common';
import { TemplateVersion } from '../ports';
import { ScaffolderDryRunRenderer } from './ScaffolderDryRunRenderer';

const entity = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'typescript-service',
    annotations: { 'paved.dev/template-version': '2.0.0' },
  },
  spec: {
    type: 'service',
    parameters: [
      {
        required: ['name'],
        properties: {
          name: { type: 'string' },
          port: { type: 'integer', default: 8080 },
        },
      },
      {
        properties: {
          region: { type: 'string', default: 'eu-west-1' },
          probes: {
            type: 'object',
            properties: { path: { type: 'string', default: '/healthz' } },
          },
        },
      },
    ],
    steps: [
      { id: 'fetch', action: 'fetch:template', input: { url: './skeleton' } },
    ],
  },
} as unknown as TemplateEntityV1beta3;

const version: TemplateVersion = {
  templateRef: 'template:default/typescript-service',
  version: '2.0.0',
  entity,
  files: new Map([
    ['template.yaml', { content: Buffer.from('kind: Template\n') }],
    [
      'skeleton/bin/run',
      { content: Buffer.from('#!/bin/sh\n'), executable: true },
    ],
  ]),
};

function rendererWith(
  respond: (body: any) => { status: number; body: unknown },
) {
  const calls: Array<{ url: string; init: RequestInit; body: any }> = [];
  const fakeFetch = jest.fn(async (url: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body));
    calls.push({ url, init, body });
    const answer = respond(body);
    return new Response(
      typeof answer.body === 'string'
        ? answer.body
        : JSON.stringify(answer.body),
      {
        status: answer.status,
        headers: { 'content-type': 'application/json' },
      },
    );
  });
  const renderer = new ScaffolderDryRunRenderer({
    discovery: mockServices.discovery(),
    auth: mockServices.auth({ pluginId: 'upgrades' }),
    fetch: fakeFetch as unknown as typeof fetch,
  });
  return { renderer, calls };
}

describe('ScaffolderDryRunRenderer', () => {
  it('posts the template, the answers with defaults and its files, with a service token', async () => {
    const { renderer, calls } = rendererWith(() => ({
      status: 200,
      body: {
        log: [],
        output: {},
        directoryContents: [
          {
            path: 'README.md',
            base64Content: Buffer.from('# orders-api\n').toString('base64'),
            executable: false,
          },
          {
            path: 'scripts/dev.sh',
            base64Content: Buffer.from('#!/bin/sh\n').toString('base64'),
            executable: true,
          },
        ],
      },
    }));
    const files = await renderer.render(version, {
      name: 'orders-api',
      port: 9090,
      probes: {},
    });

    expect(calls).toHaveLength(1);
    const [{ url, init, body }] = calls;
    expect(url).toBe('http://localhost:0/api/scaffolder/v2/dry-run');
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>).authorization).toBe(
      `Bearer mock-service-token:${JSON.stringify({
        sub: 'plugin:upgrades',
        target: 'scaffolder',
      })}`,
    );
    expect(body.template).toEqual(entity);
    // Given answers kept; what a newer form added gets its default.
    expect(body.values).toEqual({
      name: 'orders-api',
      port: 9090,
      region: 'eu-west-1',
      probes: { path: '/healthz' },
    });
    expect(body.directoryContents).toEqual([
      {
        path: 'template.yaml',
        base64Content: Buffer.from('kind: Template\n').toString('base64'),
      },
      {
        path: 'skeleton/bin/run',
        base64Content: Buffer.from('#!/bin/sh\n').toString('base64'),
      },
    ]);

    expect([...files.keys()]).toEqual(['README.md', 'scripts/dev.sh']);
    expect(files.get('README.md')).toEqual({
      content: Buffer.from('# orders-api\n'),
    });
    expect(files.get('scripts/dev.sh')?.executable).toBe(true);
  });

  it('names the parameters the answers no longer fit (a 400 with errors)', async () => {
    const { renderer } = rendererWith(() => ({
      status: 400,
      body: {
        errors: [
          {
            path: [],
            property: 'instance',
            name: 'required',
            argument: 'region',
            message: 'requires property "region"',
            instance: { name: 'orders-api' },
          },
          {
            path: ['port'],
            property: 'instance.port',
            name: 'minimum',
            argument: 1024,
            message: 'must be greater than or equal to 1024',
            instance: 80,
          },
        ],
      },
    }));
    const error = await renderer
      .render(version, { name: 'orders-api' })
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      "Template typescript-service 2.0.0 needs parameter 'region', which orders-api never answered; " +
        "Template typescript-service 2.0.0 does not accept orders-api's answer to 'port' (80): must be greater than or equal to 1024",
    );
  });

  it('passes on the scaffolder’s message and the failing step’s log line', async () => {
    const { renderer } = rendererWith(() => ({
      status: 500,
      body: {
        error: {
          name: 'Error',
          message: 'Template action "fetch:template" failed',
        },
        log: [
          {
            body: { stepId: 'check-name', status: 'completed', message: 'ok' },
          },
          {
            body: {
              stepId: 'fetch',
              status: 'failed',
              message: 'Error: ./skeleton not found',
            },
          },
        ],
      },
    }));
    await expect(
      renderer.render(version, { name: 'orders-api' }),
    ).rejects.toThrow(
      'Template typescript-service 2.0.0 could not be rendered: the scaffolder answered HTTP 500: ' +
        'Template action "fetch:template" failed (step fetch: Error: ./skeleton not found)',
    );
  });

  it('says what the scaffolder answered when it is not JSON, or had no files', async () => {
    const { renderer } = rendererWith(() => ({
      status: 502,
      body: 'Bad Gateway',
    }));
    await expect(renderer.render(version, { name: 'x' })).rejects.toThrow(
      'answered HTTP 502: Bad Gateway',
    );
    const empty = rendererWith(() => ({ status: 200, body: { log: [] } }));
    await expect(empty.renderer.render(version, { name: 'x' })).rejects.toThrow(
      'answered HTTP 200: the response has no files',
    );
  });

  it('says when the scaffolder cannot be reached', async () => {
    const renderer = new ScaffolderDryRunRenderer({
      discovery: mockServices.discovery(),
      auth: mockServices.auth(),
      fetch: (async () => {
        throw new TypeError('fetch failed');
      }) as unknown as typeof fetch,
    });
    await expect(renderer.render(version, { name: 'x' })).rejects.toThrow(
      'Template typescript-service 2.0.0 could not be rendered: the scaffolder did not answer (fetch failed)',
    );
  });
});

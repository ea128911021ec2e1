import { undocumentedErrorStatuses } from './openApi';

const error = { $ref: '#/components/responses/Error' };

describe('undocumentedErrorStatuses', () => {
  it('names the error statuses every operation can answer but does not list', () => {
    const spec = {
      security: [{ JWT: [] }],
      paths: {
        '/things': {
          get: { responses: { '200': {}, '401': error } },
          post: {
            requestBody: { content: {} },
            responses: { '201': {}, '400': error },
          },
        },
        '/things/{id}': {
          parameters: [],
          get: { responses: { '200': {}, default: error } },
        },
        '/health': {
          get: { security: [], responses: { '200': {} } },
        },
      },
    };
    expect(undocumentedErrorStatuses(spec)).toEqual([
      'POST /things: 401',
      'POST /things: 413',
      'GET /things/{id}: 401',
      'GET /things/{id}: default',
    ]);
  });

  it('asks no 401 of a document without security', () => {
    expect(
      undocumentedErrorStatuses({
        paths: { '/open': { get: { responses: { '200': {} } } } },
      }),
    ).toEqual([]);
  });
});

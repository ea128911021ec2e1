import { ResponseError } from '@backstage/errors';
import { messageOf, statusOf } from '@paved/display-react';
import { fieldErrors } from './errors';

const responseError = (message: string, status: number) =>
  ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'InputError', message },
        request: { method: 'POST', url: '/requests' },
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json' } },
    ),
  );

describe('fieldErrors', () => {
  it('splits a server message into the fields it names', async () => {
    const error = await responseError(
      'Invalid request: parameters.sizeGb: must be <= 500; name: is required; parameters.tags[0]: must be string',
      400,
    );
    expect(fieldErrors(error)).toEqual({
      'parameters.sizeGb': ['must be <= 500'],
      name: ['is required'],
      'parameters.tags[0]': ['must be string'],
    });
    expect(statusOf(error)).toBe(400);
    expect(messageOf(error)).toMatch(/^Invalid request: parameters.sizeGb/);
  });

  it('reads the field after a lead-in such as "Quota exceeded"', () => {
    expect(
      fieldErrors(
        new Error(
          "Quota exceeded: owner: group:default/team-a uses 5 of its quota of 5 for 'postgres'",
        ),
      ),
    ).toEqual({
      owner: ["group:default/team-a uses 5 of its quota of 5 for 'postgres'"],
    });
  });

  it('finds nothing in a message that names no field', () => {
    expect(
      fieldErrors(
        new Error('Request r1 is ready and does not wait for an approval'),
      ),
    ).toEqual({});
  });
});

import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { parseInput } from './parseInput';

const schema = z.strictObject({
  name: z.string().min(1),
  events: z
    .array(z.strictObject({ timestamp: z.iso.datetime() }))
    .max(2)
    .optional(),
});

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('parseInput', () => {
  it('returns what the schema parses', () => {
    expect(parseInput(schema, { name: 'orders' }, 'request')).toEqual({
      name: 'orders',
    });
  });

  it('names every wrong field, array items by index and unknown keys one by one', () => {
    expect(
      messageOf(() =>
        parseInput(
          schema,
          {
            name: '',
            events: [{ timestamp: 'now' }, { timestamp: 'x', extra: 1 }],
            color: 'red',
          },
          'batch',
        ),
      ),
    ).toBe(
      [
        'Invalid batch: name: Too small: expected string to have >=1 characters',
        'events[0].timestamp: Invalid ISO datetime',
        'events[1].timestamp: Invalid ISO datetime',
        'events[1].extra: is not allowed',
        'color: is not allowed',
      ].join('; '),
    );
  });

  it("parses nothing as {}, so a missing body names its required fields, and says 'input' unless told", () => {
    expect(messageOf(() => parseInput(schema, undefined))).toBe(
      'Invalid input: name: Invalid input: expected string, received undefined',
    );
  });

  it('names the body for a problem with the value as a whole', () => {
    expect(messageOf(() => parseInput(schema, 'text', 'request'))).toBe(
      'Invalid request: body: Invalid input: expected object, received string',
    );
  });

  it('lists ten problems and counts the rest', () => {
    const many = z.array(z.number());
    const message = messageOf(() =>
      parseInput(
        many,
        Array.from({ length: 13 }, () => 'x'),
        'list',
      ),
    );
    expect(message.match(/\[\d+\]: /g)).toHaveLength(10);
    expect(message).toMatch(/; and 3 more$/);
  });
});

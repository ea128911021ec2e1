import { repositorySlug } from './findComponent';

describe('repositorySlug', () => {
  it.each([
    ['acme/orders', 'acme/orders'],
    ['Acme/Orders', 'acme/orders'],
    ['https://github.com/acme/orders', 'acme/orders'],
    ['https://github.com/acme/orders.git', 'acme/orders'],
    ['https://github.com/acme/orders/', 'acme/orders'],
    ['git@github.com:acme/orders.git', 'acme/orders'],
  ])('reads %s as %s', (input, slug) => {
    expect(repositorySlug(input)).toBe(slug);
  });

  it.each([
    'orders',
    'https://github.com/acme',
    'a b/c',
    'acme/orders/tree/main',
  ])('refuses %s, naming repository', input => {
    expect(() => repositorySlug(input)).toThrow(
      /^Invalid request: repository: /,
    );
  });
});

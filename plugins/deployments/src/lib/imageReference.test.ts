import { imageReferenceProblem } from './imageReference';

describe('imageReferenceProblem', () => {
  it.each([
    'nginx',
    'nginx:1.27',
    'ghcr.io/acme/orders:1.4.2',
    'localhost:5000/orders',
    'registry.example.com:443/team/orders_api-v2:2026.11.25-abc',
    `orders@sha256:${'a'.repeat(64)}`,
    `ghcr.io/acme/orders:1.4.2@sha256:${'0'.repeat(64)}`,
  ])('accepts %s', image => {
    expect(imageReferenceProblem(image)).toBeUndefined();
  });

  it.each([
    'Orders:1.0',
    'orders:',
    'orders app:1',
    'ghcr.io//orders',
    'orders:-1',
    'orders@sha256:abc',
    'https://ghcr.io/acme/orders',
  ])('refuses %s, naming it', image => {
    expect(imageReferenceProblem(image)).toContain(`"${image}"`);
  });

  it('asks for an image when there is none', () => {
    expect(imageReferenceProblem('  ')).toMatch(/image is required/);
  });
});

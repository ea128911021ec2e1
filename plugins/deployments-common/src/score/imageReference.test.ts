import { IMAGE_REFERENCE_PATTERN, isImageReference } from './imageReference';

const DIGEST =
  'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

describe('isImageReference', () => {
  it.each([
    'busybox',
    'busybox:1.36',
    'library/busybox',
    'ghcr.io/acme/orders:1.4.2',
    'localhost:4000/repo/my-image:tag',
    'localhost/app',
    'registry.example.com:5000/search/indexer',
    `registry.example.com/app@${DIGEST}`,
    `app:1.0@${DIGEST}`,
    'us-central1-docker.pkg.dev/google-samples/microservices-demo/frontend:v0.10.5',
    'my_org/my__image',
    'a/b--c.d',
    '[::1]:5000/app:latest',
    'app:V1_0-rc.1',
  ])('accepts %s', image => {
    expect(isImageReference(image)).toBe(true);
  });

  it.each([
    '',
    '.',
    'Busybox',
    'ghcr.io/Acme/orders',
    'app:',
    'app:-bad',
    `app:${'x'.repeat(129)}`,
    'app@sha256:abc',
    '/app',
    'app/',
    'app//x',
    'app name',
    'app:tag:other',
    '-app',
    'app-',
    'http://ghcr.io/app',
    `${'a'.repeat(256)}`,
  ])('refuses %s', image => {
    expect(isImageReference(image)).toBe(false);
  });

  it('separates name, tag and digest', () => {
    const m = IMAGE_REFERENCE_PATTERN.exec(
      `localhost:4000/repo/app:v2@${DIGEST}`,
    );
    expect(m?.slice(1, 4)).toEqual(['localhost:4000/repo/app', 'v2', DIGEST]);
  });
});

import { isImageReference } from '@paved/plugin-deployments-common';

/**
 * Why `image` is not an image reference the cluster can pull, or undefined when it
 * is one. Checked in the form so that a typo is named at its field before anything
 * is sent; the backend checks it again with the same grammar.
 */
export function imageReferenceProblem(image: string): string | undefined {
  const trimmed = image.trim();
  if (!trimmed) {
    return 'image is required, e.g. ghcr.io/acme/orders:1.4.2';
  }
  if (!isImageReference(trimmed)) {
    return `image: "${trimmed}" is not a valid image reference (expected registry/name:tag or name@sha256:…, lower-case, e.g. ghcr.io/acme/orders:1.4.2)`;
  }
  return undefined;
}

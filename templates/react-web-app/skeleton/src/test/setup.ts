// Adds DOM matchers (toBeInTheDocument, toHaveTextContent, ...) to Vitest's expect.
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

afterEach(() => {
  // Without Vitest globals, Testing Library cannot unmount rendered trees by itself.
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

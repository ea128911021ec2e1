import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// recharts measures its container; jsdom has no layout and no ResizeObserver.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as any).ResizeObserver ??= ResizeObserverStub;

// Two cores shared by many test runs: lazily loaded parts can take over a second.
configure({ asyncUtilTimeout: 5000 });

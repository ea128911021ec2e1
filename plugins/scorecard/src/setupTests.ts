import '@testing-library/jest-dom';

// recharts measures its container; jsdom has no layout and no ResizeObserver.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as any).ResizeObserver ??= ResizeObserverStub;

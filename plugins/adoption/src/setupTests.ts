import '@testing-library/jest-dom';
import { cloneElement, createElement, isValidElement, ReactNode } from 'react';

// jsdom has no layout, so recharts' ResponsiveContainer would measure 0×0 and draw
// nothing: give the charts a fixed size instead, so their SVG can be checked.
jest.mock('recharts', () => {
  const actual = jest.requireActual('recharts');
  return {
    ...actual,
    ResponsiveContainer: ({ children }: { children: ReactNode }) =>
      createElement(
        'div',
        { style: { width: 800, height: 260 } },
        isValidElement(children)
          ? cloneElement(children as any, { width: 800, height: 260 })
          : children,
      ),
  };
});

import { render, waitFor } from '@testing-library/react';
import { LevelDistributionChart } from './charts';

/**
 * jsdom lays nothing out: every box and every text measures 0 px, so recharts draws
 * no chart and would never hide a label. Measured as a browser would (a card 480 px
 * wide, a character half as wide as the font is high), the labels of a level
 * distribution are wider than their bars' share of the axis.
 */
function layOutLikeABrowser(chartWidth = 480) {
  const original = HTMLElement.prototype.getBoundingClientRect;
  const box = (width: number, height: number) =>
    ({
      width,
      height,
      top: 0,
      left: 0,
      right: width,
      bottom: height,
    } as DOMRect);
  jest
    .spyOn(HTMLElement.prototype, 'getBoundingClientRect')
    .mockImplementation(function measure(this: HTMLElement) {
      if (this.id === 'recharts_measurement_span') {
        const fontSize = parseFloat(this.style.fontSize) || 14;
        return box((this.textContent ?? '').length * fontSize * 0.5, fontSize);
      }
      if (this.classList.contains('recharts-responsive-container')) {
        return box(chartWidth, 240);
      }
      return original.call(this);
    });
}

const levels = [
  { level: 1, name: 'Ad hoc', count: 9 },
  { level: 2, name: 'Standardized', count: 4 },
  { level: 3, name: 'Self-service', count: 2 },
  { level: 4, name: 'Optimized', count: 1 },
  { level: 5, name: 'Product', count: 0 },
];

/** The label under each bar, its lines joined ("2 Standardized"). */
const axisLabels = (container: HTMLElement) =>
  Array.from(
    container.querySelectorAll('.recharts-xAxis-tick-labels text'),
  ).map(text =>
    Array.from(text.querySelectorAll('tspan'))
      .map(line => line.textContent)
      .join(' '),
  );

describe('LevelDistributionChart', () => {
  afterEach(() => jest.restoreAllMocks());

  it("names every level on the axis, also when the labels are wider than their bars' share", async () => {
    layOutLikeABrowser();
    const { container } = render(<LevelDistributionChart levels={levels} />);

    await waitFor(() =>
      expect(
        container.querySelectorAll('.recharts-xAxis-tick-labels text'),
      ).not.toHaveLength(0),
    );
    // A wrapped label is one <text> with a <tspan> per line.
    const labels = axisLabels(container);
    expect(labels).toEqual([
      '1 Ad hoc',
      '2 Standardized',
      '3 Self-service',
      '4 Optimized',
      '5 Product',
    ]);
  });

  it('shortens the names rather than dropping a level in a narrow card', async () => {
    layOutLikeABrowser(300);
    const { container } = render(<LevelDistributionChart levels={levels} />);

    await waitFor(() =>
      expect(
        container.querySelectorAll('.recharts-xAxis-tick-labels text'),
      ).toHaveLength(levels.length),
    );
    const labels = axisLabels(container);
    expect(labels.map(label => label.split(' ')[0])).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
    expect(labels[1]).toMatch(/^2 Stan\w*…$/);
  });
});

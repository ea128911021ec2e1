import { readinessOf } from './conditions';

const condition = (
  type: string,
  status: string,
  reason: string,
  message?: string,
  observedGeneration?: number,
) => ({ type, status, reason, message, observedGeneration });

describe('readinessOf', () => {
  it('waits until Crossplane reports anything', () => {
    expect(readinessOf({ metadata: { generation: 1 } })).toEqual({
      state: 'waiting',
      message:
        'Ready: not reported by Crossplane yet (generation 1); Synced: not reported by Crossplane yet (generation 1)',
    });
  });

  it('is ready when Ready and Synced are True', () => {
    expect(
      readinessOf({
        status: {
          conditions: [
            condition('Synced', 'True', 'ReconcileSuccess'),
            condition('Ready', 'True', 'Available'),
          ],
        },
      }),
    ).toEqual({ state: 'ready', message: 'Ready and Synced' });
  });

  it('waits while Crossplane is at work, telling what it said', () => {
    expect(
      readinessOf({
        status: {
          conditions: [
            condition('Synced', 'True', 'ReconcileSuccess'),
            condition('Ready', 'False', 'Creating', 'Unready resources: db'),
          ],
        },
      }),
    ).toEqual({
      state: 'waiting',
      message:
        'Ready is False (Creating): Unready resources: db; Synced is True (ReconcileSuccess)',
    });
    expect(
      readinessOf({
        status: {
          conditions: [condition('Synced', 'False', 'ReconcilePaused')],
        },
      }).state,
    ).toBe('waiting');
  });

  it('fails on ReconcileError or Unavailable, with their messages', () => {
    expect(
      readinessOf({
        status: {
          conditions: [
            condition('Synced', 'False', 'ReconcileError', 'cannot compose'),
            condition('Ready', 'False', 'Unavailable', 'gone'),
          ],
        },
      }),
    ).toEqual({
      state: 'failed',
      message:
        'Ready is False (Unavailable): gone; Synced is False (ReconcileError): cannot compose',
    });
  });

  it('ignores conditions about an older generation of the spec', () => {
    const stale = {
      metadata: { generation: 2 },
      status: {
        conditions: [
          condition('Synced', 'True', 'ReconcileSuccess', undefined, 1),
          condition('Ready', 'True', 'Available', undefined, 1),
        ],
      },
    };
    expect(readinessOf(stale)).toEqual({
      state: 'waiting',
      message:
        'Ready: not reported by Crossplane yet (generation 2); Synced: not reported by Crossplane yet (generation 2)',
    });
    const failedBefore = {
      metadata: { generation: 2 },
      status: {
        conditions: [
          condition('Synced', 'False', 'ReconcileError', 'old', 1),
          condition('Ready', 'True', 'Available', undefined, 2),
        ],
      },
    };
    expect(readinessOf(failedBefore).state).toBe('waiting');
  });
});

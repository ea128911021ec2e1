import { Clock } from '../clock';

/** A clock that only moves when the test says so. */
export class TestClock implements Clock {
  constructor(private time = Date.UTC(2026, 10, 25, 12)) {}

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }
}

import type { Clock } from '../clock';

/** A clock that stands still until the test moves it. */
export class ManualClock implements Clock {
  constructor(public current: number = Date.UTC(2025, 0, 15, 3, 0, 0)) {}

  now(): number {
    return this.current;
  }

  set(epochMs: number): void {
    this.current = epochMs;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

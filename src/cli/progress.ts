// The CLI's progress line for a job. The bar never moves left within an attempt (the broker
// already guarantees that; this holds even against an older broker); when a new attempt starts it
// restarts from 0 and says so ("attempt 2/3 (restarted: …)").
import { isTerminal, shortState } from './format';
import type { Job__Output } from '../common';
import { escapeControl } from '../common/text';

const WIDTH = 20;

export class ProgressLine {
  private attempt = 0;
  private fraction = 0;
  private restarted = false;

  /** The status line for this snapshot of the job. */
  render(j: Job__Output, elapsedMs: number): string {
    if (j.attempts !== this.attempt) {
      this.restarted = this.attempt > 0 && j.attempts > this.attempt;
      this.attempt = j.attempts;
      this.fraction = 0;
    }
    if (!isTerminal(j.state)) this.fraction = Math.max(this.fraction, Math.min(1, j.progress || 0));
    const filled = Math.round(this.fraction * WIDTH);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${(this.fraction * 100).toFixed(0).padStart(3)}%`;
    const stage = j.stage ? ` ${j.stage}` : '';
    const why = j.error ? `: ${j.error.slice(0, 80)}` : '';
    const attempt = j.attempts > 1 ? ` attempt ${j.attempts}/${j.maxAttempts}${this.restarted ? ` (restarted from 0${why})` : ''}` : '';
    return escapeControl(`job ${j.id} ${shortState(j.state)}${stage} ${bar}${attempt} (${(elapsedMs / 1000).toFixed(1)} s)`);
  }

  /** The fraction the bar shows now (for tests). */
  get shown(): number { return this.fraction; }
}

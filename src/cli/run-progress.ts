import { SingleBar } from 'cli-progress';

/** How far a run is, in market minutes: replayed of those to replay, or elapsed of the run's duration. */
export interface ProgressPoint {
  readonly done: number;
  readonly total: number;
}

export interface RunProgressOptions {
  /** A terminal (the bar is drawn only where `isTTY` is true). */
  readonly stream: NodeJS.WritableStream;
  /** Both count market minutes: `replay` of the data (or of `--duration`), `run` of its duration. */
  readonly kind: 'replay' | 'run';
}

/**
 * The terminal progress bar of long replays and bounded runs (cli-progress): percentage, rate,
 * ETA and the status line's key figures. Used only when the output is a terminal; piped output
 * keeps the plain status lines.
 */
export class RunProgress {
  private readonly bar: SingleBar;
  private started = false;
  private readonly stream: NodeJS.WritableStream;

  constructor(o: RunProgressOptions) {
    this.stream = o.stream;
    const unit = 'market min';
    this.bar = new SingleBar({
      stream: o.stream,
      format: `${o.kind} |{bar}| {percentage}% | {value}/{total} ${unit} | {rate} | ETA {eta_formatted} | {status}`,
      barCompleteChar: '█',
      barIncompleteChar: '░',
      barsize: 24,
      hideCursor: true,
      linewrap: false,
      etaBuffer: 50,
      fps: 5,
      // Redrawn after each log line even when its figures did not change.
      forceRedraw: true,
    });
  }

  /** Moves the bar: `rate` is a ready-made label (e.g. "120× real time"), `status` the key figures. */
  update(p: ProgressPoint, payload: { rate: string; status: string }): void {
    const value = Math.min(Math.max(0, Math.round(p.done)), Math.round(p.total));
    if (!this.started) {
      this.bar.start(Math.max(1, Math.round(p.total)), value, payload);
      this.started = true;
      return;
    }
    this.bar.update(value, payload);
  }

  /** Ends the bar full (the run reached its end), then stops it. */
  complete(): void {
    if (this.started) this.bar.update(this.bar.getTotal());
    this.stop();
  }

  /**
   * Where log lines go while the bar is on the same terminal: each line first clears the bar's
   * line, then the bar is drawn again below it, so neither overwrites the other (nor the summary
   * printed after the bar stops).
   */
  logSink(target: NodeJS.WritableStream): { write(line: string): boolean } {
    return {
      write: (line: string): boolean => {
        if (this.started && target === this.stream) target.write('\r\x1b[2K');
        const ok = target.write(line);
        if (this.started && target === this.stream) {
          // The bar's row is now below this line: save it as the cursor position cli-progress
          // restores on stop, else the run's summary is printed from the row where the bar
          // started, over the log lines written since.
          target.write('\x1b7');
          this.bar.render();
        }
        return ok;
      },
    };
  }

  stop(): void {
    if (this.started) this.bar.stop();
    this.started = false;
  }
}

/** The rate shown beside the bar: market speed (market seconds per wall second), and events per second when known. */
export function progressRate(doneMinutes: number, wallSeconds: number, events?: number): string {
  if (wallSeconds <= 0) return '…';
  const speed = `${Math.round((doneMinutes * 60) / wallSeconds).toLocaleString('en-US')}× real time`;
  return events === undefined ? speed : `${speed}, ${Math.round(events / wallSeconds).toLocaleString('en-US')} events/s`;
}

/**
 * The bar's point: a replay's minutes done of those it will replay, bounded by `--duration`
 * (a bounded replay ends early: its bar must reach 100% there, not at the data's end).
 */
export function boundedProgress(p: ProgressPoint | null, elapsedMinutes: number, durationMinutes: number | null): ProgressPoint {
  if (p === null) return { done: elapsedMinutes, total: durationMinutes ?? 0 };
  if (durationMinutes === null || durationMinutes >= p.total) return p;
  return { done: Math.min(p.done, durationMinutes), total: durationMinutes };
}

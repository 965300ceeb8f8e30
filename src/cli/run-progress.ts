import { SingleBar } from 'cli-progress';

/** How far a run is: replay events done of total, or market time elapsed of the run's duration. */
export interface ProgressPoint {
  readonly done: number;
  readonly total: number;
}

export interface RunProgressOptions {
  /** A terminal (the bar is drawn only where `isTTY` is true). */
  readonly stream: NodeJS.WritableStream;
  /** `replay` counts events; `run` counts market minutes of the run's duration. */
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

  constructor(o: RunProgressOptions) {
    const unit = o.kind === 'replay' ? 'events' : 'market min';
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

  stop(): void {
    if (this.started) this.bar.stop();
    this.started = false;
  }
}

/** The rate shown beside the bar: events per wall second for replays, market speed for runs. */
export function progressRate(kind: 'replay' | 'run', done: number, wallSeconds: number): string {
  if (wallSeconds <= 0) return '…';
  if (kind === 'replay') return `${Math.round(done / wallSeconds).toLocaleString('en-US')} events/s`;
  // done is in market minutes: market seconds per wall second.
  return `${Math.round((done * 60) / wallSeconds).toLocaleString('en-US')}× real time`;
}

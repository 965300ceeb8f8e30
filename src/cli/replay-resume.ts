import type { ReplaySource } from '../../adapters/replay/replay-source.js';
import { ConfigError } from '../core/errors.js';

/** A candle replay placed after what its database already holds. */
export interface PlacedReplay {
  readonly source: ReplaySource;
  /** First candle of the replay as asked; `--duration` counts from here, resumed or not. */
  readonly rangeStartTs: number;
  /** Latest market time already on the database when the replay resumed after it; null: from the start. */
  readonly resumedAfterTs: number | null;
}

export interface PlaceReplayOptions {
  /** The replay as asked (first candle after the warm-up, or `replay.from`). */
  readonly asked: ReplaySource;
  /** The same candles from the first candle at or after `startTs`, warm-up taken from those before it. */
  readonly from: (startTs: number) => ReplaySource;
  /** Latest market time stamped on the database for this venue (0 when unused). */
  readonly floorTs: number;
  /** `run.durationMs`: the replay's range ends at its first candle + this. */
  readonly durationMs?: number | undefined;
  /** The database path, named in a refusal. */
  readonly db: string;
}

const iso = (ts: number): string => new Date(ts).toISOString();

/**
 * Market time never goes back on a database. A replay into a database already stamped at or
 * after its first candle either resumes after that stamp (the floor lies inside the replay's
 * range: the same replay restarted after a crash or a `--duration` cut) or is refused (the floor
 * is at or after its last candle: an earlier or already replayed range). Candles after the floor
 * keep their full warm-up from the candles before them, and intrabar paths are seeded per candle,
 * so a resumed replay sees the market an uninterrupted one would.
 * @throws ConfigError `E_CONFIG_INVALID` naming `--db` when nothing of the range lies after the floor.
 */
export function placeReplay(o: PlaceReplayOptions): PlacedReplay {
  const { asked, floorTs } = o;
  const rangeStartTs = asked.startTs;
  if (floorTs < rangeStartTs) return { source: asked, rangeStartTs, resumedAfterTs: null };
  // Exclusive end of the range in market time: the data's last candle, or first candle + --duration.
  const endTs = Math.min(asked.stats.lastReplayedTs + 1, o.durationMs !== undefined ? rangeStartTs + o.durationMs : Infinity);
  const refuse = (): never => {
    throw new ConfigError(
      '--db',
      `${o.db} already holds market time up to ${iso(floorTs)}, at or after the end of this replay (${iso(endTs - 1)}); ` +
        'market time cannot go back on a database: replay into a new --db',
    );
  };
  // A candle's events run from its stamp to the next candle's: the first whole candle after the floor.
  if (floorTs >= asked.stats.lastReplayedTs) refuse();
  const source = o.from(floorTs + 1);
  if (source.startTs >= endTs) refuse();
  return { source, rangeStartTs, resumedAfterTs: floorTs };
}

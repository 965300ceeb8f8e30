/** Replay of recorded 1-minute OHLCV candles as a `MarketDataSource`; see README.md. */
export { parseCandles, loadCandleFile, symbolFromFileName } from './candle-file.js';
export {
  replayConfigSchema,
  instrumentSettingsSchema,
  parseReplayConfig,
  type ReplayConfig,
  type InstrumentSettings,
} from './replay-config.js';
export { candlePath, highFirst, type PathPoint, type CandlePathOptions } from './candle-path.js';
export { syntheticBook, type SyntheticBookInput, type SyntheticBookSides, type SyntheticBookParams } from './synthetic-book.js';
export { alignCandleSeries, type AlignedCandles, type CandleGap, type CandleSeries } from './candle-alignment.js';
export { replayInstrument, fallbackInstrumentSettings, nearestPowerOfTen, REPLAY_VENUE } from './replay-instrument.js';
export { ReplaySource, type ReplaySourceOptions, type ReplayStats } from './replay-source.js';

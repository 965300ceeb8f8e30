/** Replay of recorded 1-minute OHLCV candles as a `MarketDataSource`; see README.md. */
export { parseCandles, loadCandleFile, symbolFromFileName } from './candle-file.js';
export {
  replayConfigSchema,
  instrumentSettingsSchema,
  parseReplayConfig,
  type ReplayConfig,
  type InstrumentSettings,
} from './replay-config.js';
export { candlePath, highFirst, snappedOhlc, type PathPoint, type CandlePathOptions } from './candle-path.js';
export { bridgePath, pointsPerCandle, normalCdf, BRIDGE_VOLATILITY_SHARE, type BridgeDraws, type BridgePathOptions } from './bridge-path.js';
export { IntrabarPaths, adverseHighFirst, type IntrabarMode, type ExposureProbe, type SymbolExposure } from './intrabar-paths.js';
export { trailingReturnCorrelation } from './trailing-correlation.js';
export { VENUE_FEES, FEE_VENUES, type FeeVenue, type VenueFeeSchedule } from './venue-fees.js';
export { syntheticBook, type SyntheticBookInput, type SyntheticBookSides, type SyntheticBookParams } from './synthetic-book.js';
export { alignCandleSeries, type AlignedCandles, type CandleGap, type CandleSeries } from './candle-alignment.js';
export { replayInstrument, fallbackInstrumentSettings, nearestPowerOfTen, REPLAY_VENUE } from './replay-instrument.js';
export { ReplaySource, type ReplaySourceOptions, type ReplayStats } from './replay-source.js';

import { BarRepository } from './bar-repository.js';
import { BotRepository } from './bot-repository.js';
import { BreakerRepository } from './breaker-repository.js';
import { ControlRepository } from './control-repository.js';
import { DailyVolumeRepository } from './daily-volume-repository.js';
import { openDatabase, type Db } from './database.js';
import { EventJournal } from './event-journal.js';
import { ExitPlanRepository } from './exit-plan-repository.js';
import { FillRepository } from './fill-repository.js';
import { InstrumentRepository } from './instrument-repository.js';
import { VenueStateRepository } from './venue-state-repository.js';
import { MarkoutRepository } from './markout-repository.js';
import { OrderRepository } from './order-repository.js';
import { PhaseRepository } from './phase-repository.js';
import { PositionRepository } from './position-repository.js';
import { RiskAdjustmentRepository } from './risk-adjustment-repository.js';
import { RiskSnapshotRepository } from './risk-snapshot-repository.js';
import { RoundTripRepository } from './round-trip-repository.js';
import { SequenceRepository } from './sequence-repository.js';
import { SizingStepRepository } from './sizing-step-repository.js';
import { SnapshotRepository } from './snapshot-repository.js';
import { WalCheckpoints } from './wal-checkpoints.js';
import { WriteBatch } from './write-batch.js';
import { guardWrites } from './write-guard.js';
import { WriterLock, type HolderAlive, type LockAcquired } from './writer-lock.js';

/** The one SQLite file and its repositories. Injected wherever state is read or written. */
export class Store {
  readonly orders: OrderRepository;
  readonly fills: FillRepository;
  readonly positions: PositionRepository;
  readonly roundTrips: RoundTripRepository;
  readonly dailyVolume: DailyVolumeRepository;
  readonly bots: BotRepository;
  readonly events: EventJournal;
  readonly sequences: SequenceRepository;
  readonly snapshots: SnapshotRepository;
  readonly controls: ControlRepository;
  readonly riskAdjustments: RiskAdjustmentRepository;
  readonly breakers: BreakerRepository;
  readonly phases: PhaseRepository;
  readonly exitPlans: ExitPlanRepository;
  readonly bars: BarRepository;
  readonly riskSnapshots: RiskSnapshotRepository;
  readonly instruments: InstrumentRepository;
  readonly markouts: MarkoutRepository;
  readonly venueState: VenueStateRepository;
  /** Live runs' WAL checkpoints, taken between events instead of inside commits; see {@link WalCheckpoints}. */
  readonly checkpoints: WalCheckpoints;
  private readonly batch: WriteBatch;

  constructor(readonly db: Db) {
    this.batch = new WriteBatch(db);
    // After the batch's own statements: everything prepared from here on tells the batch before it writes.
    guardWrites(db, () => this.batch.beforeWrite());
    this.checkpoints = new WalCheckpoints(db);
    const steps = new SizingStepRepository(db);
    this.orders = new OrderRepository(db, steps);
    this.fills = new FillRepository(db);
    this.positions = new PositionRepository(db);
    this.roundTrips = new RoundTripRepository(db, () => this.batch.snapshot());
    this.dailyVolume = new DailyVolumeRepository(db);
    const deferring = (): boolean => this.batch.deferring();
    this.bots = new BotRepository(db, deferring);
    this.events = new EventJournal(db);
    this.sequences = new SequenceRepository(db, () => this.batch.snapshot(), deferring);
    this.batch.onRollback(() => {
      steps.forget();
      this.sequences.forget();
      this.roundTrips.forget();
    });
    this.snapshots = new SnapshotRepository(db, deferring);
    this.controls = new ControlRepository(db);
    this.riskAdjustments = new RiskAdjustmentRepository(db);
    this.breakers = new BreakerRepository(db);
    this.phases = new PhaseRepository(db);
    this.exitPlans = new ExitPlanRepository(db);
    this.bars = new BarRepository(db, deferring);
    // Rows kept in memory while a batch is open are written before each of its commits.
    this.batch.beforeCommit(() => {
      this.sequences.flush();
      this.bars.flush();
      this.snapshots.flush();
      this.bots.flush();
      this.riskSnapshots.flush();
      this.bars.settle();
      this.snapshots.settle();
      this.bots.settle();
      this.riskSnapshots.settle();
    });
    // A flush inside a transaction that rolls back loses its rows: they are written again.
    this.batch.onRollback(() => {
      this.bars.restore();
      this.snapshots.restore();
      this.bots.restore();
      this.riskSnapshots.restore();
    });
    this.riskSnapshots = new RiskSnapshotRepository(db, deferring, () => this.batch.inRun());
    this.instruments = new InstrumentRepository(db);
    this.markouts = new MarkoutRepository(db);
    this.venueState = new VenueStateRepository(db);
  }

  private writer: WriterLock | null = null;

  /**
   * Claims this database for the one process that trades on it (released by `close`).
   * @throws E_STORE_LOCKED naming the holder when another live process has it.
   */
  acquireWriter(wallNow: number, alive?: HolderAlive): LockAcquired {
    const lock = new WriterLock({ db: this.db, path: this.db.name, wallNow, ...(alive ? { alive } : {}) });
    const r = lock.acquire();
    this.writer = lock;
    return r;
  }

  static open(path: string): Store {
    return new Store(openDatabase(path));
  }

  /**
   * Runs `fn` atomically: all its writes land or none do. Inside an open batch it is a savepoint
   * of the batch: atomic, but durable only when the batch commits.
   */
  transaction<T>(fn: () => T): T {
    return this.batch.run(fn);
  }

  /**
   * Makes every write so far durable now, even inside a batch: the OrderManager calls it between
   * an order's write-ahead row and the request that sends it. Inside a `transaction` it does
   * nothing (the caller's transaction commits after it anyway).
   */
  commit(): void {
    this.batch.commit();
  }

  /**
   * Groups the many small transactions of a simulated or replayed run into few commits, with WAL
   * checkpoints at quiet moments instead of inside a commit; see {@link WriteBatch}.
   */
  get batching(): WriteBatch {
    return this.batch;
  }

  close(): void {
    this.batch.stop();
    this.checkpoints.stop();
    this.writer?.release();
    this.writer = null;
    this.db.close();
  }
}

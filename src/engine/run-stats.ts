/** Running maxima and counters of a run that are not in SQLite. */
export class RunStats {
  eventsProcessed = 0;
  maxAbsNetDeltaUsd = 0;
  maxGrossNotionalUsd = 0;
  firstTs: number | null = null;
  lastTs: number | null = null;

  observeExposure(net: number, gross: number): void {
    if (Math.abs(net) > this.maxAbsNetDeltaUsd) this.maxAbsNetDeltaUsd = Math.abs(net);
    if (gross > this.maxGrossNotionalUsd) this.maxGrossNotionalUsd = gross;
  }

  observeEvent(ts: number): void {
    this.eventsProcessed++;
    if (this.firstTs === null) this.firstTs = ts;
    this.lastTs = ts;
  }
}

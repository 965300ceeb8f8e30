/** Running maxima and counters of a run that are not in SQLite. */
export class RunStats {
  eventsProcessed = 0;
  maxAbsNetDeltaUsd = 0;
  maxGrossNotionalUsd = 0;
  /**
   * First and last event times, kept as plain numbers (a field that may also hold null stores each
   * new time as a fresh heap number: an allocation per event); `eventsProcessed` says whether any.
   */
  private first = 0;
  private last = 0;

  get firstTs(): number | null {
    return this.eventsProcessed === 0 ? null : this.first;
  }

  get lastTs(): number | null {
    return this.eventsProcessed === 0 ? null : this.last;
  }

  observeExposure(net: number, gross: number): void {
    if (Math.abs(net) > this.maxAbsNetDeltaUsd) this.maxAbsNetDeltaUsd = Math.abs(net);
    if (gross > this.maxGrossNotionalUsd) this.maxGrossNotionalUsd = gross;
  }

  observeEvent(ts: number): void {
    if (this.eventsProcessed++ === 0) this.first = ts;
    this.last = ts;
  }
}

/**
 * Calls `tick` every `intervalMs` of real time, one call at a time. `close()`
 * is safe twice and waits for the tick in flight.
 */
export class Poller {
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<unknown> | undefined;

  constructor(
    private readonly tick: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      if (this.#inFlight) return;
      this.#inFlight = this.tick()
        .catch(this.onError)
        .finally(() => {
          this.#inFlight = undefined;
        });
    }, this.intervalMs);
    this.#timer.unref();
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#inFlight;
  }
}

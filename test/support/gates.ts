/**
 * Named gates that test pools hold their work at until the test opens them, so that a test asserts a
 * state ("still working", "past the deadline") because the pool is held there, not because a timer
 * has not fired yet: the states stay the same however slow a loaded machine is.
 */
export class Gates {
  private readonly gates = new Map<string, { opened: Promise<void>; open: () => void; reached: Promise<void>; reach: () => void }>();

  private gate(name: string) {
    let gate = this.gates.get(name);
    if (!gate) {
      let open!: () => void;
      let reach!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      const reached = new Promise<void>((resolve) => (reach = resolve));
      gate = { opened, open, reached, reach };
      this.gates.set(name, gate);
    }
    return gate;
  }

  /** Waits until the test opens `name` (at once if it is open), or until `signal` aborts. */
  wait(name: string, signal?: AbortSignal): Promise<void> {
    const gate = this.gate(name);
    gate.reach();
    if (!signal) return gate.opened;
    return new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
      void gate.opened.then(resolve);
    });
  }

  /** Resolves once something waits at `name` (or has waited there). */
  reached(name: string): Promise<void> {
    return this.gate(name).reached;
  }

  /** Lets everything at `name` through, now and later. */
  open(name: string): void {
    this.gate(name).open();
  }

  /** Opens every gate (on close, so nothing held outlives the test). */
  openAll(): void {
    for (const gate of this.gates.values()) gate.open();
  }
}

/**
 * `GatewayBus` in process memory: the default for one gateway process. Gateways built in one process
 * (tests, `mcp-fleet dev`) reach each other when they share a `MemoryBusHub`.
 */
import type { GatewayBus } from '../ports';

/** The instances listening in one process. */
export class MemoryBusHub {
  readonly listeners = new Map<string, (message: string) => void>();
}

export class MemoryGatewayBus implements GatewayBus {
  private readonly mine = new Set<string>();

  /** @param hub shared with the other gateways of this process that must reach this one. @default a hub of its own */
  constructor(private readonly hub: MemoryBusHub = new MemoryBusHub()) {}

  async listen(instance: string, onMessage: (message: string) => void): Promise<void> {
    this.hub.listeners.set(instance, onMessage);
    this.mine.add(instance);
  }

  async send(instance: string, message: string): Promise<boolean> {
    const listener = this.hub.listeners.get(instance);
    if (!listener) return false;
    // Delivered after the sender's turn, as over a network: no re-entrancy into the sender.
    queueMicrotask(() => listener(message));
    return true;
  }

  async close(): Promise<void> {
    for (const instance of this.mine) this.hub.listeners.delete(instance);
    this.mine.clear();
  }
}

/**
 * `GatewayBus` on Redis/Valkey pub/sub: each instance subscribes to its own channel on a connection
 * of its own (a subscribed connection takes no other commands); sending is one `PUBLISH`, whose
 * answer (how many subscribers got the message) says at once whether the instance is still there.
 * Pub/sub keeps nothing: a message for an instance that is gone is lost, and the sender is told.
 */
import type { Redis } from 'ioredis';
import { GatewayError } from '../errors';
import type { GatewayBus } from '../ports';
import { STORE_UNAVAILABLE_CODE } from '../session/redis-store';

export interface RedisGatewayBusOptions {
  /** Publishes; duplicated once for the subscription. */
  readonly client: Redis;
  /** Fleet name: part of every channel. */
  readonly fleet: string;
  /** Region: part of every channel. */
  readonly region: string;
  /** Extra channel prefix, e.g. for tests sharing one Redis. @default '' */
  readonly keyPrefix?: string;
}

export class RedisGatewayBus implements GatewayBus {
  private readonly prefix: string;
  private subscriber: Redis | undefined;

  constructor(private readonly options: RedisGatewayBusOptions) {
    this.prefix = `${options.keyPrefix ?? ''}mcp-fleet:${options.fleet}:${options.region}:bus:`;
  }

  async listen(instance: string, onMessage: (message: string) => void): Promise<void> {
    const channel = this.prefix + instance;
    const subscriber = this.subscriber ?? (this.subscriber = this.options.client.duplicate());
    subscriber.on('message', (from: string, message: string) => {
      if (from === channel) onMessage(message);
    });
    await subscriber.subscribe(channel);
  }

  async send(instance: string, message: string): Promise<boolean> {
    try {
      return (await this.options.client.publish(this.prefix + instance, message)) > 0;
    } catch (error) {
      throw new GatewayError(503, STORE_UNAVAILABLE_CODE, `Session store unavailable: could not reach gateway instance ${instance} (${(error as Error).message})`, {}, { cause: error });
    }
  }

  async close(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }
}

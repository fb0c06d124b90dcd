/**
 * Mailboxes that any gateway instance can write to: an exchange that spans requests (a client's
 * answers to the questions on its open stream, a caller's retry of a call whose pool stream another
 * instance holds) opens one here and hands out its address inside an id or a `requestState`. A
 * message for this instance is handed over in memory; one for another goes over the `GatewayBus`,
 * which says at once when that instance is gone.
 */
import { randomBytes } from 'node:crypto';
import { POOL_ERROR } from '../backend/response';
import { GatewayError } from '../errors';
import type { GatewayBus } from '../ports';

/** Where a mailbox is: the instance that holds it and the mailbox's own unguessable token. */
export interface MailboxAddress {
  readonly instance: string;
  readonly token: string;
}

export interface Mailbox {
  readonly address: MailboxAddress;
  close(): void;
}

export class Rendezvous {
  /** This instance's address on the bus (random per process: a restarted instance is another one). */
  readonly instance = randomBytes(9).toString('base64url');
  private readonly boxes = new Map<string, (body: Record<string, unknown>) => void>();
  private listening: Promise<void> | undefined;

  constructor(private readonly bus: GatewayBus) {}

  /** Resolves once this instance listens on the bus: await it before handing out a mailbox's address. */
  ready(): Promise<void> {
    return this.listen();
  }

  /** A mailbox whose letters go to `receive` until it is closed (letters from other instances arrive once `ready`). */
  open(receive: (body: Record<string, unknown>) => void): Mailbox {
    const token = randomBytes(18).toString('base64url');
    this.boxes.set(token, receive);
    return { address: { instance: this.instance, token }, close: () => void this.boxes.delete(token) };
  }

  /** Sends `body` to a mailbox; false when its instance is gone or it no longer exists there (then nothing waits for it). */
  async post(address: MailboxAddress, body: Record<string, unknown>): Promise<boolean> {
    if (address.instance === this.instance) return this.deliver(address.token, body);
    return this.bus.send(address.instance, JSON.stringify({ to: address.token, body }));
  }

  close(): Promise<void> {
    this.boxes.clear();
    return this.bus.close();
  }

  private deliver(token: string, body: Record<string, unknown>): boolean {
    const receive = this.boxes.get(token);
    if (!receive) return false;
    queueMicrotask(() => receive(body));
    return true;
  }

  private listen(): Promise<void> {
    this.listening ??= this.bus
      .listen(this.instance, (text) => {
        try {
          const letter = JSON.parse(text) as { to?: unknown; body?: unknown };
          if (typeof letter.to !== 'string' || typeof letter.body !== 'object' || letter.body === null) return;
          const body = letter.body as Record<string, unknown>;
          // A mailbox that is gone here (expired, finished) tells a sender waiting for an answer.
          if (!this.deliver(letter.to, body) && isAddress(body.replyTo)) void this.post(body.replyTo, { k: 'gone' }).catch(() => false);
        } catch {
          // Not a letter of ours: the channel is the gateway's alone, so nothing to answer.
        }
      })
      .catch((cause: unknown) => {
        this.listening = undefined;
        throw new GatewayError(503, POOL_ERROR.unavailable, `Gateway instances cannot reach each other: listening on the store's pub/sub failed (${(cause as Error).message})`, {}, { cause });
      });
    return this.listening;
  }
}

export function isAddress(value: unknown): value is MailboxAddress {
  return typeof value === 'object' && value !== null && typeof (value as MailboxAddress).instance === 'string' && typeof (value as MailboxAddress).token === 'string';
}

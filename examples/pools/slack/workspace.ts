/**
 * The slack example pool's state: channels shared by every session of one pool process, and the
 * per-session message draft that makes this pool stateful.
 */

export interface SlackMessage {
  /** Slack-style timestamp id: `seconds.sequence`. */
  readonly ts: string;
  readonly author: string;
  readonly text: string;
}

/** Slack caps a message at 40,000 characters. */
export const MAX_MESSAGE_CHARS = 40_000;
/** Messages kept per channel; the oldest go first. */
const HISTORY_LIMIT = 1000;

const SEED: Readonly<Record<string, { topic: string; messages: readonly [string, string][] }>> = {
  general: {
    topic: 'Company-wide announcements',
    messages: [
      ['ada', 'Welcome to the workspace!'],
      ['grace', 'Standup moved to 10:00.'],
    ],
  },
  deploys: { topic: 'Deployment notices', messages: [['ci-bot', 'mcp-fleet 0.1.0 deployed to eu-west-1']] },
  random: { topic: 'Anything goes', messages: [] },
};

export class SlackWorkspace {
  private readonly channels = new Map<string, { topic: string; messages: SlackMessage[] }>();
  private sequence = 0;

  constructor(private readonly now: () => number = Date.now) {
    for (const [name, seed] of Object.entries(SEED)) {
      this.channels.set(name, { topic: seed.topic, messages: [] });
      for (const [author, text] of seed.messages) this.post(name, author, text);
    }
  }

  listChannels(): Array<{ name: string; topic: string; messages: number }> {
    return [...this.channels].map(([name, c]) => ({ name, topic: c.topic, messages: c.messages.length }));
  }

  /** @throws Error naming the known channels when `channel` is not one of them. */
  post(channel: string, author: string, text: string): SlackMessage {
    const c = this.channel(channel);
    const message = { ts: `${Math.floor(this.now() / 1000)}.${String(++this.sequence).padStart(6, '0')}`, author, text };
    c.messages.push(message);
    if (c.messages.length > HISTORY_LIMIT) c.messages.splice(0, c.messages.length - HISTORY_LIMIT);
    return message;
  }

  /** The newest `limit` messages, oldest first. */
  history(channel: string, limit: number): SlackMessage[] {
    return this.channel(channel).messages.slice(-limit);
  }

  private channel(name: string) {
    const c = this.channels.get(name.replace(/^#/, ''));
    if (!c) throw new Error(`unknown channel "${name}"; channels: ${[...this.channels.keys()].map((n) => `#${n}`).join(', ')}`);
    return c;
  }
}

/** A message being composed in one MCP session; other sessions never see it. */
export class MessageDraft {
  private lines: string[] = [];

  append(text: string): { lines: number; characters: number } {
    const next = [...this.lines, text];
    const characters = next.join('\n').length;
    if (characters > MAX_MESSAGE_CHARS) throw new Error(`the draft would have ${characters} characters; a message holds at most ${MAX_MESSAGE_CHARS}`);
    this.lines = next;
    return { lines: this.lines.length, characters };
  }

  get text(): string {
    return this.lines.join('\n');
  }

  get lineCount(): number {
    return this.lines.length;
  }

  clear(): void {
    this.lines = [];
  }
}

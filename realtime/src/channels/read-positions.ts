/**
 * Sending a message marks the channel read up to it for its author. Those writes are coalesced: one per
 * (person, channel) every FLUSH_MS however many messages they sent meanwhile, off the sending path.
 */
const FLUSH_MS = 250;

import type { ChannelService } from '@cope/db';
import type { Logger } from 'pino';

export class ReadPositionAdvancer {
  private readonly pending = new Map<string, { userId: string; channelId: string; seq: number }>();
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly service: ChannelService,
    private readonly logger: Logger,
  ) {}

  advance(userId: string, channelId: string, seq: number): void {
    const key = `${userId}:${channelId}`;
    const current = this.pending.get(key);
    if (current === undefined || current.seq < seq) this.pending.set(key, { userId, channelId, seq });
    if (!this.scheduled) {
      this.scheduled = true;
      this.timer = setTimeout(() => this.startFlush(), FLUSH_MS);
    }
  }

  private startFlush(): void {
    this.timer = undefined;
    this.scheduled = false;
    this.flushing = this.flushing.then(() => this.flush());
  }

  private async flush(): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending.clear();
    for (const p of batch) {
      try {
        await this.service.advanceReadPosition(p.userId, p.channelId, p.seq);
      } catch (error) {
        this.logger.warn({ err: error }, 'channels: storing a read position failed');
      }
    }
  }

  /** Resolves once everything advanced so far is stored (for shutdown and tests). */
  async settled(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.startFlush();
    }
    await this.flushing;
  }
}

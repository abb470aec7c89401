/**
 * The channels beside a conversation, with their unread badges kept live: `channels:watch` brings each
 * channel's activity, `read:updated` the person's read positions from any of their tabs and devices.
 */
import type { Channel, ChannelSummary } from '@cope/domain';
import type { ChannelConnection } from './connection';

/** Which channels a page lists: a space's, or the network's and one's direct conversations. */
export type ChannelScope = { spaceId: string } | { network: true };

const inScope = (scope: ChannelScope, channel: Channel): boolean =>
  'spaceId' in scope ? channel.spaceId === scope.spaceId : channel.kind !== 'space';

export class ChannelListState {
  channels = $state<ChannelSummary[]>([]);
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly connection: ChannelConnection,
    private readonly scope: ChannelScope,
    private readonly me: string,
    initial: ChannelSummary[],
  ) {
    this.channels = initial;
    this.stops.push(
      connection.on('channel:activity', (a) => {
        this.update(a.channelId, (c) => ({
          ...c,
          lastSeq: Math.max(c.lastSeq, a.seq),
          lastMessageAt: a.at,
          unread:
            a.authorId !== this.me && a.parentId === null && a.seq > c.readSeq ? c.unread + 1 : c.unread,
        }));
      }),
      connection.on('read:updated', (r) => {
        this.update(r.channelId, (c) => ({
          ...c,
          readSeq: Math.max(c.readSeq, r.readSeq),
          unread: r.unread,
        }));
      }),
      connection.on('channel:updated', (channel) => {
        if (inScope(this.scope, channel) && !this.channels.some((c) => c.id === channel.id)) {
          void this.refresh();
        }
      }),
      connection.on('channel:access-lost', ({ channelId }) => {
        this.channels = this.channels.filter((c) => c.id !== channelId);
      }),
      connection.onState((state) => {
        if (state === 'online') void this.refresh();
      }),
    );
  }

  /** The list from the server again (after a reconnection, or when a channel appeared), then watched. */
  async refresh(): Promise<void> {
    const ack = await this.connection.request('channels:list', this.scope);
    if (ack.ok) this.channels = ack.channels;
    await this.connection.request('channels:watch', { channelIds: this.channels.map((c) => c.id) });
  }

  /** A channel created or opened on this page: listed and watched at once. */
  add(channel: ChannelSummary): void {
    if (!this.channels.some((c) => c.id === channel.id)) this.channels = [...this.channels, channel];
    void this.connection.request('channels:watch', { channelIds: this.channels.map((c) => c.id) });
  }

  /** The conversation on screen read up to `seq`: its badge clears without waiting for the server. */
  readUpTo(channelId: string, seq: number): void {
    this.update(channelId, (c) =>
      seq >= c.lastSeq ? { ...c, readSeq: Math.max(c.readSeq, seq), unread: 0 } : c,
    );
  }

  private update(channelId: string, change: (c: ChannelSummary) => ChannelSummary) {
    this.channels = this.channels.map((c) => (c.id === channelId ? change(c) : c));
  }

  destroy(): void {
    for (const stop of this.stops) stop();
  }
}

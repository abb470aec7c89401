/**
 * Channels over socket.io, who may do what: the session and Origin checks of the handshake, reading and
 * writing only the channels one belongs to, losing access stopping delivery at once, validation and sizes.
 */
import { leaveSpace } from '@cope/db';
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
} from './channels-fixture.js';

let t: ChannelServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function refused(socket: ReturnType<ChannelServer['socket']>): Promise<Error & { data?: unknown }> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected')));
    socket.once('connect_error', resolve);
  });
}

describe('the handshake', () => {
  it('refuses another Origin and a missing session, accepts a signed-in person from ORIGIN', async () => {
    t = await startChannelServer();
    const ana = await t.person();
    const wrongOrigin = await refused(t.socket(ana, { origin: 'https://evil.example' }));
    expect(wrongOrigin.message).toMatch(/forbidden|websocket error|xhr poll error/i);
    const anonymous = await refused(t.socket(null));
    expect(anonymous.data).toEqual({ code: 'unauthenticated' });
    const socket = await connected(t.socket(ana));
    const list = await expectOk(socket, 'channels:list', { network: true });
    expect(list.channels.map((c) => c.name).sort()).toEqual(['announcements', 'network']);
  });
});

describe('membership', () => {
  it('lets space members read and write, refuses others without revealing the channel', async () => {
    t = await startChannelServer();
    const [ana, ben, viewer, outsider] = [
      await t.person(),
      await t.person(),
      await t.person(),
      await t.person(),
    ];
    const { spaceId, generalId } = await t.space([
      [ana, 'editor'],
      [ben, 'commenter'],
      [viewer, 'viewer'],
    ]);
    const sa = await connected(t.socket(ana));
    const sv = await connected(t.socket(viewer));
    const so = await connected(t.socket(outsider));

    const list = await expectOk(sa, 'channels:list', { spaceId });
    expect(list.channels.map((c) => c.name)).toEqual(['general']);
    expect(list.channels[0]?.canWrite).toBe(true);

    // The outsider can neither list, join, read history, write nor watch.
    expect(await request(so, 'channels:list', { spaceId })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await request(so, 'channel:join', { channelId: generalId })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await request(so, 'history:page', { channelId: generalId })).toMatchObject({ ok: false });
    expect(
      await request(so, 'message:send', { channelId: generalId, clientId: clientId(), body: 'let me in' }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await expectOk(so, 'channels:watch', { channelIds: [generalId] })).toMatchObject({
      watched: [],
      denied: [generalId],
    });

    // A viewer reads but does not write.
    const joined = await expectOk(sv, 'channel:join', { channelId: generalId });
    expect(joined.channel.canWrite).toBe(false);
    expect(
      await request(sv, 'message:send', { channelId: generalId, clientId: clientId(), body: 'hello' }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const seen = collect(sv, 'message:new');
    const outsiderSaw = collect(so, 'message:new');
    await expectOk(sa, 'channel:join', { channelId: generalId });
    await expectOk(sa, 'message:send', { channelId: generalId, clientId: clientId(), body: 'hello all' });
    await waitFor(() => seen.length === 1, 'the viewer to receive the message');
    expect(seen[0]?.body).toBe('hello all');
    expect(outsiderSaw).toEqual([]);
  });

  it('keeps private channels to their members and network channels to the capability table', async () => {
    t = await startChannelServer();
    const [ana, ben, affiliate] = [await t.person(), await t.person(), await t.person('affiliate')];
    const { spaceId } = await t.space([
      [ana, 'editor'],
      [ben, 'editor'],
    ]);
    const created = await t.service.createChannel(ana.actor, {
      spaceId,
      name: 'funding',
      topic: '',
      private: true,
      memberIds: [],
    });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    const sb = await connected(t.socket(ben));
    const list = await expectOk(sb, 'channels:list', { spaceId });
    expect(list.channels.map((c) => c.name)).toEqual(['general']);
    expect(await request(sb, 'channel:join', { channelId: created.value.id })).toMatchObject({ ok: false });

    const members = await expectOk(sb, 'channels:list', { network: true });
    const announcements = members.channels.find((c) => c.name === 'announcements');
    expect(announcements?.canWrite).toBe(false);
    expect(
      await request(sb, 'message:send', {
        channelId: announcements?.id ?? '',
        clientId: clientId(),
        body: 'x',
      }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const staff = await t.person('staff');
    const ss = await connected(t.socket(staff));
    await expectOk(ss, 'message:send', {
      channelId: announcements?.id ?? '',
      clientId: clientId(),
      body: 'news',
    });

    const sf = await connected(t.socket(affiliate));
    expect((await expectOk(sf, 'channels:list', { network: true })).channels).toEqual([]);
  });

  it('opens one direct conversation per set of people, readable only by them', async () => {
    t = await startChannelServer();
    const [ana, ben, cleo] = [await t.person(), await t.person(), await t.person()];
    const sa = await connected(t.socket(ana));
    const sb = await connected(t.socket(ben));
    const sc = await connected(t.socket(cleo));
    const told = collect(sb, 'channel:updated');
    const opened = await expectOk(sa, 'direct:open', { userIds: [ben.userId] });
    const again = await expectOk(sb, 'direct:open', { userIds: [ana.userId] });
    expect(again.channel.id).toBe(opened.channel.id);
    await waitFor(() => told.length === 1, 'ben to learn about the conversation');
    await expectOk(sa, 'message:send', {
      channelId: opened.channel.id,
      clientId: clientId(),
      body: 'hi ben',
    });
    expect(await request(sc, 'channel:join', { channelId: opened.channel.id })).toMatchObject({ ok: false });
    const page = await expectOk(sb, 'history:page', { channelId: opened.channel.id });
    expect(page.messages.map((m) => m.body)).toEqual(['hi ben']);
  });
});

describe('losing access', () => {
  it('stops delivery at once and tells the socket, while others keep receiving', async () => {
    t = await startChannelServer();
    const [ana, ben] = [await t.person(), await t.person()];
    const { spaceId, generalId } = await t.space([
      [ana, 'editor'],
      [ben, 'editor'],
    ]);
    const sa = await connected(t.socket(ana));
    const sb = await connected(t.socket(ben));
    await expectOk(sa, 'channel:join', { channelId: generalId });
    await expectOk(sb, 'channel:join', { channelId: generalId });
    await expectOk(sb, 'channels:watch', { channelIds: [generalId] });
    const benMessages = collect(sb, 'message:new');
    const benActivity = collect(sb, 'channel:activity');
    const lost = collect(sb, 'channel:access-lost');
    const anaMessages = collect(sa, 'message:new');

    const left = await leaveSpace(t.db.connection, ben.actor, spaceId);
    expect(left.ok).toBe(true);
    // Sent right after the change is published: it must not reach ben.
    await expectOk(sa, 'message:send', {
      channelId: generalId,
      clientId: clientId(),
      body: 'after ben left',
    });
    await waitFor(
      () => anaMessages.length === 1 && lost.length === 1,
      'the message and the access-lost event',
    );
    expect(lost).toEqual([{ channelId: generalId }]);
    expect(benMessages).toEqual([]);
    expect(benActivity).toEqual([]);
    expect(
      await request(sb, 'message:send', { channelId: generalId, clientId: clientId(), body: 'still here?' }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('ends the sockets of a signed-out session (the auth feature), which leave every room', async () => {
    t = await startChannelServer();
    const ana = await t.person();
    const { generalId } = await t.space([[ana, 'editor']]);
    const sa = await connected(t.socket(ana));
    await expectOk(sa, 'channel:join', { channelId: generalId });
    const { invalidateUserSessions } = await import('@cope/db');
    const disconnected = new Promise((resolve) => sa.once('disconnect', resolve));
    await invalidateUserSessions(t.db.connection, ana.userId);
    await disconnected;
    await waitFor(() => !t?.server.io.sockets.adapter.rooms.has(`channel:${generalId}`), 'the room to empty');
  });
});

describe('bad input', () => {
  it('answers invalid payloads with a clear error, changes nothing and stays up', async () => {
    t = await startChannelServer();
    const ana = await t.person();
    const { generalId } = await t.space([[ana, 'editor']]);
    const sa = await connected(t.socket(ana));
    const cases: [string, unknown][] = [
      ['message:send', null],
      ['message:send', 'text'],
      ['message:send', { channelId: generalId, clientId: clientId(), body: '' }],
      ['message:send', { channelId: 'x', clientId: clientId(), body: 'hi' }],
      ['message:send', { channelId: generalId, clientId: 'short', body: 'hi' }],
      ['reaction:add', { messageId: generalId, emoji: '<script>' }],
      ['read:mark', { channelId: generalId, seq: -1 }],
      ['history:page', { channelId: generalId, limit: 100_000 }],
      ['channel:join', { channelId: { $gt: '' } }],
    ];
    for (const [event, payload] of cases) {
      const ack = (await sa.timeout(5000).emitWithAck(event, payload)) as {
        ok: boolean;
        error?: { code: string };
      };
      expect(ack, `${event} ${JSON.stringify(payload)}`).toMatchObject({
        ok: false,
        error: { code: 'invalid' },
      });
    }
    const tooLong = await request(sa, 'message:send', {
      channelId: generalId,
      clientId: clientId(),
      body: 'x'.repeat(10_001),
    });
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect((tooLong as { error: { message: string } }).error.message).toMatch(/body: at most 10000/);
    // An event without acknowledgement gets its error as `channel:error`.
    const errors = collect(sa, 'channel:error');
    sa.emit('typing', { channelId: 'nope' });
    await waitFor(() => errors.length === 1, 'channel:error');
    expect(errors[0]).toMatchObject({ code: 'invalid', event: 'typing' });

    const page = await expectOk(sa, 'history:page', { channelId: generalId });
    expect(page.messages).toEqual([]);
    const max = await expectOk(sa, 'message:send', {
      channelId: generalId,
      clientId: clientId(),
      body: '😀'.repeat(5_000),
    });
    expect(max.message.body.length).toBe(10_000);
  });

  it('drops a socket whose payload exceeds maxHttpBufferSize, and serves the others', async () => {
    t = await startChannelServer();
    const ana = await t.person();
    const { generalId } = await t.space([[ana, 'editor']]);
    const big = await connected(t.socket(ana));
    const other = await connected(t.socket(ana));
    const gone = new Promise((resolve) => big.once('disconnect', resolve));
    big.emit('message:send', { channelId: generalId, clientId: clientId(), body: 'x'.repeat(70_000) });
    await gone;
    await expectOk(other, 'message:send', { channelId: generalId, clientId: clientId(), body: 'still up' });
  });
});

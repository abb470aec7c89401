/**
 * The browser's channel client (web/src/lib/channels/client.ts) against the real server and real
 * socket.io-client sockets: the outbox sends one message at a time in the order written (also after a
 * reconnect), a lost acknowledgement does not make a second message, rate limits are waited out, final
 * refusals stay until retried, and the outbox survives the client through its storage hook.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addMember } from '@cope/db';
import type { Message } from '@cope/domain';
import { io as connectSocketIo, type Socket } from 'socket.io-client';
import { ChannelClient, type OutboxEntry, type OutboxStorage } from '../../web/src/lib/channels/client.js';
import { waitFor } from './helpers.js';
import {
  collect,
  connected,
  expectOk,
  startChannelServer,
  type ChannelServer,
  type Person,
} from './channels-fixture.js';

let t: ChannelServer | undefined;
const clients: ChannelClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await t?.close();
  t = undefined;
});

/** A client on its own socket (no automatic reconnection: the tests reconnect by hand). */
function clientOf(
  server: ChannelServer,
  who: Person,
  storage?: OutboxStorage,
): { client: ChannelClient; socket: Socket } {
  const socket = server.socket(who);
  const client = new ChannelClient(socket, { storage });
  clients.push(client);
  return { client, socket };
}

/** The channel's stored messages, as another member reads them (ascending, the order everyone sees). */
async function history(socket: Socket, channelId: string): Promise<Message[]> {
  const page = await expectOk(socket, 'history:page', { channelId, limit: 100 });
  return page.messages;
}

/** Every `message:send` a socket emits, by client id and body. */
function outgoingSends(socket: Socket): { clientId: string; body: string }[] {
  const sends: { clientId: string; body: string }[] = [];
  socket.onAnyOutgoing((event: string, payload: { clientId: string; body: string }) => {
    if (event === 'message:send') sends.push({ clientId: payload.clientId, body: payload.body });
  });
  return sends;
}

/** A storage hook in memory that, like localStorage, keeps a copy (JSON) and not the client's objects. */
function memoryStorage(): OutboxStorage & { saved: unknown } {
  const storage = {
    saved: [] as unknown,
    load: () => JSON.parse(JSON.stringify(storage.saved)) as unknown,
    save: (entries: readonly OutboxEntry[]) => {
      storage.saved = JSON.parse(JSON.stringify(entries)) as unknown;
    },
  };
  return storage;
}

const bodies = (messages: { body: string }[]) => messages.map((m) => m.body);

describe('ChannelClient', () => {
  it('sends messages written offline once each on reconnect, one at a time, in the order written', async () => {
    t = await startChannelServer();
    const [ana, ben] = [await t.person(), await t.person()];
    const { generalId } = await t.space([
      [ana, 'editor'],
      [ben, 'editor'],
    ]);
    const { client, socket } = clientOf(t, ana);
    await connected(socket);
    expect((await client.request('channel:join', { channelId: generalId })).ok).toBe(true);
    const watcher = await connected(t.socket(ben));
    await expectOk(watcher, 'channel:join', { channelId: generalId });
    const seen = collect(watcher, 'message:new');

    expect(await client.send({ channelId: generalId, body: 'online' })).toMatchObject({ ok: true });

    // What goes out and what comes back, in the order it happens.
    const log: string[] = [];
    socket.onAnyOutgoing((event: string, payload: { body?: string }) => {
      if (event === 'message:send') log.push(`send ${payload.body}`);
    });
    client.onStored((m) => log.push(`stored ${m.body}`));

    socket.disconnect();
    const written = ['offline 1', 'offline 2', 'offline 3', 'offline 4', 'offline 5'];
    const results = written.map((body) => client.send({ channelId: generalId, body }));
    expect(bodies(client.pending())).toEqual(written);
    expect(client.pending().every((e) => e.state === 'sending')).toBe(true);
    expect(log).toEqual([]);

    socket.connect();
    const settled = await Promise.all(results);
    expect(settled.every((r) => r.ok)).toBe(true);
    expect(client.pending()).toEqual([]);
    // One at a time: each message goes out only after the one before it is stored.
    expect(log).toEqual(written.flatMap((body) => [`send ${body}`, `stored ${body}`]));

    // The order everyone sees: the history a member reads, and the live deliveries.
    const stored = await history(watcher, generalId);
    expect(bodies(stored)).toEqual(['online', ...written]);
    const seqs = stored.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    await waitFor(() => seen.length === 6, 'six deliveries');
    expect(bodies(seen)).toEqual(['online', ...written]);
  });

  it('sends again after a lost acknowledgement, and the server keeps the message once', async () => {
    t = await startChannelServer();
    const [ana, ben] = [await t.person(), await t.person()];
    const { generalId } = await t.space([
      [ana, 'editor'],
      [ben, 'editor'],
    ]);
    const { client, socket } = clientOf(t, ana);
    await connected(socket);
    expect((await client.request('channel:join', { channelId: generalId })).ok).toBe(true);
    const sends = outgoingSends(socket);

    // The server broadcasts a message before it acknowledges it: cutting the connection as the broadcast
    // arrives means the message is stored and its acknowledgement never reaches the client.
    socket.on('message:new', (m: Message) => {
      if (m.body === 'lost answer') socket.disconnect();
    });
    const sent = client.send({ channelId: generalId, body: 'lost answer' });
    await waitFor(() => !socket.connected, 'the cut connection');
    expect(client.pending()).toMatchObject([{ body: 'lost answer', state: 'sending' }]);
    const reader = await connected(t.socket(ben));
    expect(bodies(await history(reader, generalId))).toEqual(['lost answer']);

    socket.connect();
    const result = await sent;
    expect(result.ok).toBe(true);
    expect(client.pending()).toEqual([]);
    // Sent twice with the same client id; stored once.
    expect(sends).toHaveLength(2);
    expect(sends[1]?.clientId).toBe(sends[0]?.clientId);
    const stored = await history(reader, generalId);
    expect(bodies(stored)).toEqual(['lost answer']);
    expect(result.ok && result.message.id).toBe(stored[0]?.id);
  });

  it('waits out rate limits and keeps the order', async () => {
    // A token a second: far slower than a send, so the third message must wait.
    t = await startChannelServer({ sendLimit: { burst: 2, perSecond: 1 } });
    const [ana, ben] = [await t.person(), await t.person()];
    const { generalId } = await t.space([
      [ana, 'editor'],
      [ben, 'editor'],
    ]);
    const { client, socket } = clientOf(t, ana);
    await connected(socket);
    const refusals: string[] = [];
    client.onOutboxChange((entries) => {
      for (const e of entries) if (e.error?.code === 'rate_limited') refusals.push(e.body);
    });

    const written = ['one', 'two', 'three', 'four'];
    const results = await Promise.all(written.map((body) => client.send({ channelId: generalId, body })));
    expect(results.every((r) => r.ok)).toBe(true);
    // The burst was two: the rest had to wait, and were shown waiting, not failed.
    expect(refusals.length).toBeGreaterThan(0);
    expect(client.pending()).toEqual([]);
    const reader = await connected(t.socket(ben));
    expect(bodies(await history(reader, generalId))).toEqual(written);
  });

  it('keeps a final refusal as failed; retry sends it again', async () => {
    t = await startChannelServer();
    const [ana, ben] = [await t.person(), await t.person()];
    const { spaceId, owner, generalId } = await t.space([[ben, 'editor']]);
    const { client, socket } = clientOf(t, ana);
    await connected(socket);
    const sends = outgoingSends(socket);

    // Ana is not in the space yet: its channel does not exist for her.
    const refused = await client.send({ channelId: generalId, body: 'let me in' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(client.pending()).toMatchObject([
      { body: 'let me in', state: 'failed', error: { code: 'not_found' } },
    ]);
    // Failed messages wait for the person: a reconnect does not send them.
    socket.disconnect();
    socket.connect();
    await connected(socket);
    expect(sends).toHaveLength(1);

    const added = await addMember(t.db.connection, owner.actor, spaceId, {
      email: `person${ana.name.replace('Person ', '')}@example.org`,
      role: 'editor',
    });
    expect(added.ok).toBe(true);
    const clientId = client.pending()[0]?.clientId ?? '';
    const again = client.retry(clientId);
    expect(client.pending()).toMatchObject([{ clientId, state: 'sending' }]);
    const result = await again;
    expect(result?.ok).toBe(true);
    expect(sends.map((s) => s.clientId)).toEqual([clientId, clientId]);
    expect(client.pending()).toEqual([]);
    const reader = await connected(t.socket(ben));
    expect(bodies(await history(reader, generalId))).toEqual(['let me in']);

    // A failed message can also be dropped: its send settles as refused.
    const nowhere = client.send({ channelId: 'f'.repeat(24), body: 'nowhere' });
    expect(await nowhere).toMatchObject({ ok: false, error: { code: 'not_found' } });
    client.discard(client.pending()[0]?.clientId ?? '');
    expect(client.pending()).toEqual([]);
  });

  it('shows its outbox to the storage hook; a client restored from it sends what was left', async () => {
    t = await startChannelServer();
    const [ana, ben] = [await t.person(), await t.person()];
    const { generalId } = await t.space([
      [ana, 'editor'],
      [ben, 'editor'],
    ]);
    const storage = memoryStorage();

    // A first client (a page): one message refused, then two written after the connection is gone.
    const first = clientOf(t, ana, storage);
    await connected(first.socket);
    await first.client.send({ channelId: 'f'.repeat(24), body: 'refused' });
    first.socket.disconnect();
    void first.client.send({ channelId: generalId, body: 'left 1' });
    void first.client.send({ channelId: generalId, body: 'left 2' });
    expect(storage.saved).toMatchObject([
      { body: 'refused', state: 'failed', error: { code: 'not_found' } },
      { body: 'left 1', state: 'sending', channelId: generalId, parentId: null },
      { body: 'left 2', state: 'sending', channelId: generalId, parentId: null },
    ]);
    first.client.close();
    first.socket.close();

    // The page again: a new client restores the outbox (dropping what does not parse) and sends it.
    (storage.saved as unknown[]).push({ clientId: 'x', body: 42 });
    const socket = connectSocketIo(t.origin, {
      transports: ['websocket'],
      extraHeaders: { origin: t.origin, cookie: ana.cookie },
      reconnection: false,
      autoConnect: false,
    });
    const sends = outgoingSends(socket);
    const second = new ChannelClient(socket, { storage });
    clients.push(second);
    expect(bodies(second.pending())).toEqual(['refused', 'left 1', 'left 2']);
    socket.connect();
    await waitFor(() => second.pending().length === 1, 'the restored messages sent');
    expect(bodies(sends)).toEqual(['left 1', 'left 2']);
    expect(second.pending()).toMatchObject([{ body: 'refused', state: 'failed' }]);
    expect(storage.saved).toMatchObject([{ body: 'refused', state: 'failed' }]);
    expect((storage.saved as unknown[]).length).toBe(1);
    const reader = await connected(t.socket(ben));
    expect(bodies(await history(reader, generalId))).toEqual(['left 1', 'left 2']);
    socket.close();
  });
});

/**
 * The browser client (web/src/lib/channels/client.ts) against the real server: typed requests, and the
 * outbox that keeps messages written offline and sends them, once, when the socket reconnects.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { io as connectSocketIo } from 'socket.io-client';
import { ChannelClient } from '../../web/src/lib/channels/client.js';
import { waitFor } from './helpers.js';
import { collect, connected, startChannelServer, type ChannelServer } from './channels-fixture.js';

let t: ChannelServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('ChannelClient', () => {
  it('keeps messages written offline and sends each once on reconnect, in order', async () => {
    t = await startChannelServer();
    const [ana, ben] = [await t.person(), await t.person()];
    const { generalId } = await t.space([
      [ana, 'editor'],
      [ben, 'editor'],
    ]);
    const socket = connectSocketIo(t.origin, {
      transports: ['websocket'],
      extraHeaders: { origin: t.origin, cookie: ana.cookie },
      reconnection: false,
    });
    await connected(socket);
    const client = new ChannelClient(socket);
    const joined = await client.request('channel:join', { channelId: generalId });
    expect(joined.ok).toBe(true);

    const watcher = await connected(t.socket(ben));
    await watcher.timeout(5000).emitWithAck('channel:join', { channelId: generalId });
    const seen = collect(watcher, 'message:new');

    const online = await client.send({ channelId: generalId, body: 'online' });
    expect(online.ok).toBe(true);

    socket.disconnect();
    const first = client.send({ channelId: generalId, body: 'offline 1' });
    const second = client.send({ channelId: generalId, body: 'offline 2' });
    expect(client.pending().map((e) => e.body)).toEqual(['offline 1', 'offline 2']);

    socket.connect();
    const [a, b] = await Promise.all([first, second]);
    expect(a.ok && b.ok).toBe(true);
    expect(client.pending()).toEqual([]);
    await waitFor(() => seen.length === 3, 'three deliveries');
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.map((m) => m.body)).toEqual(['online', 'offline 1', 'offline 2']);

    // A message the server refuses for good stays in the outbox as failed.
    const refused = await client.send({ channelId: 'f'.repeat(24), body: 'nowhere' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(client.pending()).toMatchObject([{ body: 'nowhere', state: 'failed' }]);
    socket.close();
  });
});

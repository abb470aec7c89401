/**
 * Writes coalesced per tick, on a real TCP connection: a tick's writes leave together (the stream is corked
 * until the tick's synchronous work is done), in order, and a lone write is not held back.
 */
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { coalesceWritesPerTick } from '../src/net/coalescing-ws-server';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function connectedPair(): Promise<{ sender: net.Socket; received: Buffer[] }> {
  const received: Buffer[] = [];
  const server = net.createServer((peer) => peer.on('data', (chunk: Buffer) => received.push(chunk)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const sender = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
  await once(sender, 'connect');
  cleanups.push(() => {
    sender.destroy();
    server.close();
  });
  return { sender, received };
}

const until = async (predicate: () => boolean) => {
  const deadline = Date.now() + 5000;
  while (!predicate() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
};

describe('coalesceWritesPerTick', () => {
  it("holds a tick's writes until the tick ends, then sends them together and in order", async () => {
    const { sender, received } = await connectedPair();
    coalesceWritesPerTick(sender);
    const parts = Array.from({ length: 200 }, (_, i) => `part-${i};`);
    for (const part of parts) sender.write(part);
    // Still corked within the tick: nothing has been handed to the kernel yet.
    expect(sender.writableCorked).toBe(1);
    expect(sender.writableLength).toBe(parts.join('').length);
    await new Promise((resolve) => process.nextTick(resolve));
    expect(sender.writableCorked).toBe(0);
    await until(() => Buffer.concat(received).length === parts.join('').length);
    expect(Buffer.concat(received).toString()).toBe(parts.join(''));
  });

  it('sends a lone write at the end of its tick, and corks again for the next tick', async () => {
    const { sender, received } = await connectedPair();
    coalesceWritesPerTick(sender);
    sender.write('one');
    await until(() => received.length > 0);
    expect(Buffer.concat(received).toString()).toBe('one');
    sender.write('two');
    expect(sender.writableCorked).toBe(1);
    await until(() => Buffer.concat(received).length === 6);
    expect(Buffer.concat(received).toString()).toBe('onetwo');
    expect(sender.writableCorked).toBe(0);
  });
});

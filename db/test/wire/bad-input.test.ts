/**
 * Bad input over real sockets: random bytes, wrong lengths, truncated and oversized frames each close
 * their own connection with a log line, while a client of the official driver keeps working throughout.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient, type Collection } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/embedded/index';
import { RawClient, collectingLogger, header, opMsg, opMsgReplyBody } from './helpers';

let dataDir: string;
let server: EmbeddedServer;
let client: MongoClient;
let things: Collection<{ _id: number; round: string }>;
let written = 0;
const log = collectingLogger();

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'cope-wire-bad-'));
  server = await startEmbeddedServer({ dataDir, logger: log.logger });
  client = await MongoClient.connect(server.url, { maxPoolSize: 2 });
  things = client.db('wire').collection('things');
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The well-behaved client writes and reads back one document. */
async function wellBehavedClientWorks(round: string): Promise<void> {
  const _id = ++written;
  await things.insertOne({ _id, round });
  expect(await things.findOne({ _id })).toEqual({ _id, round });
  expect(await things.countDocuments()).toBe(written);
}

/** Sends `bytes` on a fresh connection (then ends it if asked) and waits for the server to close it. */
async function sendAndExpectClose(bytes: Buffer, endAfter: boolean): Promise<void> {
  const raw = await RawClient.connect(server.port);
  if (endAfter) raw.sendAndEnd(bytes);
  else raw.send(bytes);
  await raw.closed;
}

/** A small deterministic generator, so that a failure can be replayed. */
function seededBytes(seed: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

describe('bad input', () => {
  it('survives random bytes on many connections', async () => {
    await wellBehavedClientWorks('before');
    for (let seed = 1; seed <= 30; seed++) {
      await sendAndExpectClose(seededBytes(seed, 16 + ((seed * 97) % 2000)), true);
      if (seed % 10 === 0) await wellBehavedClientWorks(`random ${seed}`);
    }
  });

  it('closes a connection whose declared length is below the header size', async () => {
    const before = log.lines().length;
    await sendAndExpectClose(Buffer.concat([header(8, 1, 0, 2013), Buffer.alloc(32)]), false);
    expect(
      log
        .lines()
        .slice(before)
        .some((line) => line.msg.includes('below the 16-byte header')),
    ).toBe(true);
    await wellBehavedClientWorks('short length');
  });

  it('closes a connection that declares an oversized message without waiting for its body', async () => {
    const before = log.lines().length;
    await sendAndExpectClose(header(48_000_001, 1, 0, 2013), false);
    await sendAndExpectClose(header(0x7fffffff, 2, 0, 2013), false);
    expect(
      log
        .lines()
        .slice(before)
        .filter((line) => line.msg.includes('exceeds maxMessageSizeBytes')),
    ).toHaveLength(2);
    await wellBehavedClientWorks('oversized');
  });

  it('logs a truncated frame when the peer goes away mid-message', async () => {
    const before = log.lines().length;
    const message = opMsg(5, { insert: 'things', documents: [{ _id: -1 }], $db: 'wire' });
    await sendAndExpectClose(message.subarray(0, message.length - 7), true);
    expect(
      log
        .lines()
        .slice(before)
        .some((line) => line.msg.includes('truncated frame')),
    ).toBe(true);
    // The truncated insert never ran.
    expect(await things.findOne({ _id: -1 })).toBeNull();
    await wellBehavedClientWorks('truncated');
  });

  it('closes a connection whose declared length cuts its sections short', async () => {
    const message = Buffer.from(opMsg(6, { ping: 1, $db: 'admin' }));
    message.writeInt32LE(24, 0); // header + flags + part of the body
    await sendAndExpectClose(message, false);
    await wellBehavedClientWorks('wrong length');
  });

  it('closes a connection sending an unknown opCode, OP_COMPRESSED or garbage BSON', async () => {
    const body = Buffer.alloc(20, 1);
    await sendAndExpectClose(Buffer.concat([header(36, 1, 0, 2002), body]), false);
    await sendAndExpectClose(Buffer.concat([header(36, 2, 0, 2012), body]), false);
    const garbage = Buffer.concat([
      header(16 + 4 + 1 + 20, 3, 0, 2013),
      Buffer.alloc(5),
      seededBytes(99, 20),
    ]);
    garbage.writeInt32LE(20, 21); // a plausible BSON size with nonsense inside
    await sendAndExpectClose(garbage, false);
    await wellBehavedClientWorks('opcodes');
  });

  it('keeps answering on a connection whose command fails, and other raw clients are unaffected', async () => {
    const good = await RawClient.connect(server.port);
    try {
      good.send(opMsg(7, { find: 42, $db: 'wire' }));
      expect(opMsgReplyBody(await good.nextReply())).toMatchObject({ ok: 0, code: 73 });
      await sendAndExpectClose(seededBytes(7, 64), true);
      good.send(opMsg(8, { ping: 1, $db: 'admin' }));
      expect(opMsgReplyBody(await good.nextReply())).toEqual({ ok: 1 });
    } finally {
      good.destroy();
    }
    await wellBehavedClientWorks('after');
  });
});

/** The embedded server over a real socket, below the driver: OP_QUERY handshake and OP_MSG features. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/embedded/index';
import { RawClient, collectingLogger, cursorOf, opMsg, opMsgReplyBody, opQuery } from './helpers';
import { deserialize } from 'bson';

let dataDir: string;
let server: EmbeddedServer;
const log = collectingLogger();

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'cope-wire-socket-'));
  server = await startEmbeddedServer({ dataDir, logger: log.logger });
});

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('legacy OP_QUERY handshake', () => {
  it('answers isMaster on admin.$cmd with an OP_REPLY describing a standalone server', async () => {
    const client = await RawClient.connect(server.port);
    try {
      client.send(
        opQuery(31, 'admin.$cmd', { isMaster: 1, helloOk: true, client: { driver: { name: 'test' } } }),
      );
      const reply = await client.nextReply();
      expect(reply.readInt32LE(8)).toBe(31); // responseTo
      expect(reply.readInt32LE(12)).toBe(1); // OP_REPLY
      expect(reply.readInt32LE(32)).toBe(1); // numberReturned
      const doc = deserialize(reply.subarray(36));
      expect(doc).toMatchObject({
        ok: 1,
        ismaster: true,
        helloOk: true,
        maxBsonObjectSize: 16777216,
        maxMessageSizeBytes: 48000000,
        maxWriteBatchSize: 100000,
        logicalSessionTimeoutMinutes: 30,
        minWireVersion: 0,
        maxWireVersion: 21,
        readOnly: false,
      });
      expect(doc.setName).toBeUndefined();
      expect(doc.compression).toBeUndefined();
      expect(doc.localTime).toBeInstanceOf(Date);
    } finally {
      client.destroy();
    }
  });

  it('unwraps $query and refuses other commands over OP_QUERY', async () => {
    const client = await RawClient.connect(server.port);
    try {
      client.send(opQuery(32, 'admin.$cmd', { $query: { hello: 1 }, $readPreference: { mode: 'primary' } }));
      expect(deserialize((await client.nextReply()).subarray(36))).toMatchObject({
        ok: 1,
        isWritablePrimary: true,
      });
      client.send(opQuery(33, 'test.$cmd', { find: 'things' }));
      expect(deserialize((await client.nextReply()).subarray(36))).toMatchObject({ ok: 0, code: 352 });
    } finally {
      client.destroy();
    }
  });
});

describe('OP_MSG', () => {
  it('merges kind-1 document sequences into the command', async () => {
    const client = await RawClient.connect(server.port);
    try {
      const documents = [
        { _id: 1, a: 'x' },
        { _id: 2, a: 'y' },
        { _id: 3, a: 'z' },
      ];
      client.send(
        opMsg(41, { insert: 'seq', $db: 'wire' }, { sequences: [{ identifier: 'documents', documents }] }),
      );
      const reply = await client.nextReply();
      expect(reply.readInt32LE(8)).toBe(41);
      expect(opMsgReplyBody(reply)).toEqual({ n: 3, ok: 1 });
      client.send(opMsg(42, { find: 'seq', filter: {}, sort: { _id: 1 }, $db: 'wire' }));
      const found = opMsgReplyBody(await client.nextReply());
      expect(cursorOf(found).firstBatch).toEqual(documents);
      expect(cursorOf(found).ns).toBe('wire.seq');
    } finally {
      client.destroy();
    }
  });

  it('runs a moreToCome message without replying to it', async () => {
    const client = await RawClient.connect(server.port);
    try {
      client.send(opMsg(51, { insert: 'quiet', documents: [{ _id: 'q' }], $db: 'wire' }, { flags: 2 }));
      client.send(opMsg(52, { find: 'quiet', filter: {}, $db: 'wire' }));
      // The first reply on the socket answers request 52: nothing was sent for 51, yet its insert ran.
      const reply = await client.nextReply();
      expect(reply.readInt32LE(8)).toBe(52);
      expect(cursorOf(opMsgReplyBody(reply)).firstBatch).toEqual([{ _id: 'q' }]);
    } finally {
      client.destroy();
    }
  });

  it('accepts a message with the right checksum and closes the connection on a wrong one', async () => {
    const client = await RawClient.connect(server.port);
    client.send(opMsg(61, { ping: 1, $db: 'admin' }, { checksum: 'right' }));
    const reply = await client.nextReply();
    expect(reply.readInt32LE(8)).toBe(61);
    expect(opMsgReplyBody(reply)).toEqual({ ok: 1 });
    client.send(opMsg(62, { ping: 1, $db: 'admin' }, { checksum: 'wrong' }));
    await expect(client.nextReply()).rejects.toThrow(/closed/);
    await client.closed;
    expect(log.lines().some((line) => line.reason === 'OP_MSG checksum mismatch')).toBe(true);
  });

  it('answers an unknown command with CommandNotFound and keeps the connection', async () => {
    const client = await RawClient.connect(server.port);
    try {
      client.send(opMsg(71, { frobnicate: 1, $db: 'admin' }));
      expect(opMsgReplyBody(await client.nextReply())).toEqual({
        ok: 0,
        errmsg: "no such command: 'frobnicate'",
        code: 59,
        codeName: 'CommandNotFound',
      });
      client.send(opMsg(72, { ping: 1, $db: 'admin' }));
      expect(opMsgReplyBody(await client.nextReply())).toEqual({ ok: 1 });
    } finally {
      client.destroy();
    }
  });

  it('refuses transactions and change streams with a clear error', async () => {
    const client = await RawClient.connect(server.port);
    try {
      client.send(
        opMsg(81, {
          insert: 't',
          documents: [{}],
          txnNumber: 1,
          autocommit: false,
          startTransaction: true,
          $db: 'wire',
        }),
      );
      expect(opMsgReplyBody(await client.nextReply())).toMatchObject({
        ok: 0,
        code: 20,
        codeName: 'IllegalOperation',
        errmsg: 'Transactions are not supported by the embedded server',
      });
      client.send(opMsg(82, { aggregate: 't', pipeline: [{ $changeStream: {} }], cursor: {}, $db: 'wire' }));
      expect(opMsgReplyBody(await client.nextReply())).toMatchObject({
        ok: 0,
        code: 40573,
        errmsg: 'Change streams are not supported by the embedded server',
      });
    } finally {
      client.destroy();
    }
  });
});

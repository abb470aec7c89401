/** Builders of raw wire messages for the tests, written independently of the server's own encoder. */
import net, { type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { deserialize, serialize, type Document, type Long } from 'bson';
import { pino, type Logger } from 'pino';
import { expect } from 'vitest';
import { crc32c } from '../../src/embedded/wire/crc32c';
import { FrameReader } from '../../src/embedded/wire/frame-reader';

export function header(length: number, requestID: number, responseTo: number, opCode: number): Buffer {
  const buffer = Buffer.alloc(16);
  buffer.writeInt32LE(length, 0);
  buffer.writeInt32LE(requestID, 4);
  buffer.writeInt32LE(responseTo, 8);
  buffer.writeInt32LE(opCode, 12);
  return buffer;
}

export interface Sequence {
  identifier: string;
  documents: Document[];
}

/** An OP_MSG with a body, optional kind-1 sequences, flags, and (when asked) a right or wrong checksum. */
export function opMsg(
  requestID: number,
  body: Document,
  options: { flags?: number; sequences?: Sequence[]; checksum?: 'right' | 'wrong' } = {},
): Buffer {
  let flags = options.flags ?? 0;
  if (options.checksum !== undefined) flags |= 1;
  const sections: Buffer[] = [Buffer.from([0]), Buffer.from(serialize(body))];
  for (const sequence of options.sequences ?? []) {
    const docs = sequence.documents.map((doc) => Buffer.from(serialize(doc)));
    const id = Buffer.from(`${sequence.identifier}\0`, 'utf8');
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + id.length + docs.reduce((sum, doc) => sum + doc.length, 0));
    sections.push(Buffer.from([1]), size, id, ...docs);
  }
  const flagBuffer = Buffer.alloc(4);
  flagBuffer.writeUInt32LE(flags >>> 0);
  const payload = Buffer.concat([flagBuffer, ...sections]);
  const checksumLength = options.checksum === undefined ? 0 : 4;
  const message = Buffer.concat([header(16 + payload.length + checksumLength, requestID, 0, 2013), payload]);
  if (options.checksum === undefined) return message;
  const sum = Buffer.alloc(4);
  const crc = crc32c(message);
  sum.writeUInt32LE(options.checksum === 'right' ? crc : (crc ^ 0xdeadbeef) >>> 0);
  return Buffer.concat([message, sum]);
}

/** A legacy OP_QUERY on `fullCollectionName`. */
export function opQuery(requestID: number, fullCollectionName: string, query: Document): Buffer {
  const name = Buffer.from(`${fullCollectionName}\0`, 'utf8');
  const flags = Buffer.alloc(4);
  const numbers = Buffer.alloc(8);
  numbers.writeInt32LE(0, 0); // numberToSkip
  numbers.writeInt32LE(-1, 4); // numberToReturn
  const payload = Buffer.concat([flags, name, numbers, Buffer.from(serialize(query))]);
  return Buffer.concat([header(16 + payload.length, requestID, 0, 2004), payload]);
}

/** A bare TCP client that reads whole replies, for tests below the driver. */
export class RawClient {
  private readonly reader = new FrameReader();
  private readonly replies: Buffer[] = [];
  private waiting: ((reply: Buffer) => void) | undefined;
  /** Resolves when the server (or the client) has closed the socket. */
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {
      // A reset by the server is an expected outcome in these tests; `closed` reports it.
    });
    socket.on('data', (chunk: Buffer) => {
      for (const reply of this.reader.push(chunk)) {
        const waiting = this.waiting;
        if (waiting !== undefined) {
          this.waiting = undefined;
          waiting(reply);
        } else this.replies.push(reply);
      }
    });
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve(new RawClient(socket));
      });
      socket.once('error', reject);
    });
  }

  send(data: Buffer): void {
    this.socket.write(data);
  }

  /** Sends the bytes and half-closes: the server sees the end of the stream. */
  sendAndEnd(data: Buffer): void {
    this.socket.end(data);
  }

  /** The next reply; rejects if the socket closes first. */
  nextReply(): Promise<Buffer> {
    const queued = this.replies.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      void this.closed.then(() => reject(new Error('socket closed before a reply arrived')));
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Body of an OP_MSG reply, with promoted values for easy assertions (but Longs kept, e.g. cursor ids). */
export function opMsgReplyBody(reply: Buffer): Document {
  expect(reply.readInt32LE(12)).toBe(2013);
  expect(reply[20]).toBe(0);
  return deserialize(reply.subarray(21), { promoteLongs: false });
}

/** A pino logger whose lines are collected, to assert what the server logged. */
export function collectingLogger(): {
  logger: Logger;
  lines: () => { level: number; msg: string; reason?: string }[];
} {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = pino({ level: 'debug' }, stream);
  return {
    logger,
    lines: () => lines.map((line) => JSON.parse(line) as { level: number; msg: string; reason?: string }),
  };
}

export interface CursorReply {
  id: Long;
  ns: string;
  firstBatch?: Document[];
  nextBatch?: Document[];
}

/** The `cursor` field of a find/aggregate/getMore reply body. */
export function cursorOf(body: Document): CursorReply {
  expect(body.ok).toBe(1);
  return body.cursor as CursorReply;
}

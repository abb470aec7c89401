import { Binary, Double, Int32, Long, ObjectId, deserialize, serialize } from 'bson';
import { arrivedBytesOf } from '../../src/embedded/engine/arrived-bytes';
import { describe, expect, it } from 'vitest';
import { crc32c } from '../../src/embedded/wire/crc32c';
import {
  ProtocolError,
  encodeOpMsg,
  encodeOpReply,
  parseOpMsg,
  parseOpQuery,
} from '../../src/embedded/wire/messages';
import { header, opMsg, opQuery } from './helpers';

describe('crc32c', () => {
  it('matches the CRC-32C check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });
});

describe('parseOpMsg', () => {
  it('keeps exact numeric BSON types in the body', () => {
    const request = parseOpMsg(
      opMsg(1, { insert: 'c', n: new Int32(1), d: new Double(2), l: Long.fromNumber(3), $db: 'x' }),
    );
    expect(request.body.n).toBeInstanceOf(Int32);
    expect(request.body.d).toBeInstanceOf(Double);
    expect(request.body.l).toBeInstanceOf(Long);
    expect(request.moreToCome).toBe(false);
  });

  it('keeps the bytes each inserted document arrived in, whether in the body or in a sequence', () => {
    const first = {
      _id: new ObjectId(),
      n: new Int32(1),
      d: new Double(2.5),
      nested: { l: Long.fromNumber(3) },
    };
    const second = { _id: new ObjectId(), text: 'deux' };
    const inBody = parseOpMsg(opMsg(3, { insert: 'c', documents: [first, 7, second], $db: 'x' }));
    const [a, seven, b] = inBody.body.documents as [
      Record<string, unknown>,
      unknown,
      Record<string, unknown>,
    ];
    // Parsed as any command document is (exact types), with the bytes beside it.
    expect(a.n).toBeInstanceOf(Int32);
    expect((a.nested as { l: unknown }).l).toBeInstanceOf(Long);
    expect(arrivedBytesOf(a)).toEqual(Buffer.from(serialize(first)));
    expect(arrivedBytesOf(b)).toEqual(Buffer.from(serialize(second)));
    // What is not a document stays a value, for the command to refuse.
    expect(seven).toBeInstanceOf(Int32);
    const inSequence = parseOpMsg(
      opMsg(4, { insert: 'c', $db: 'x' }, { sequences: [{ identifier: 'documents', documents: [second] }] }),
    );
    const [c] = inSequence.body.documents as [Record<string, unknown>];
    expect(arrivedBytesOf(c)).toEqual(Buffer.from(serialize(second)));
    // Other commands read their documents as before, without bytes.
    const find = parseOpMsg(opMsg(5, { find: 'c', filter: { a: 1 }, $db: 'x' }));
    expect(arrivedBytesOf(find.body.filter as Record<string, unknown>)).toBeUndefined();
  });

  it('merges kind-1 document sequences into the body as array fields', () => {
    const request = parseOpMsg(
      opMsg(
        2,
        { insert: 'c', $db: 'x' },
        { sequences: [{ identifier: 'documents', documents: [{ a: 1 }, { a: 2 }, { a: 3 }] }] },
      ),
    );
    expect(request.body.documents).toHaveLength(3);
    expect((request.body.documents as { a: Int32 }[])[2]!.a.valueOf()).toBe(3);
  });

  it('reads the moreToCome flag', () => {
    expect(parseOpMsg(opMsg(3, { ping: 1, $db: 'x' }, { flags: 2 })).moreToCome).toBe(true);
  });

  it('accepts the exhaustAllowed bit and refuses unknown required bits', () => {
    expect(parseOpMsg(opMsg(4, { ping: 1, $db: 'x' }, { flags: 1 << 16 })).body.ping).toBeDefined();
    expect(() => parseOpMsg(opMsg(4, { ping: 1, $db: 'x' }, { flags: 1 << 5 }))).toThrow(
      /unknown required flag/,
    );
  });

  it('verifies the checksum when present', () => {
    expect(parseOpMsg(opMsg(5, { ping: 1, $db: 'x' }, { checksum: 'right' })).body.$db).toBe('x');
    expect(() => parseOpMsg(opMsg(5, { ping: 1, $db: 'x' }, { checksum: 'wrong' }))).toThrow(
      /checksum mismatch/,
    );
  });

  it('refuses a sequence that duplicates a body field, a missing body, an unknown section kind and bad BSON', () => {
    expect(() =>
      parseOpMsg(
        opMsg(
          6,
          { insert: 'c', documents: [], $db: 'x' },
          { sequences: [{ identifier: 'documents', documents: [{}] }] },
        ),
      ),
    ).toThrow(ProtocolError);
    const noBody = Buffer.concat([header(20, 1, 0, 2013), Buffer.alloc(4)]);
    expect(() => parseOpMsg(noBody)).toThrow(ProtocolError);
    const badKind = Buffer.from(opMsg(7, { ping: 1 }));
    badKind[20] = 9;
    expect(() => parseOpMsg(badKind)).toThrow(/unknown section kind 9/);
    const badSize = Buffer.from(opMsg(8, { ping: 1 }));
    badSize.writeInt32LE(1000, 21);
    expect(() => parseOpMsg(badSize)).toThrow(/invalid BSON document size/);
    const badBson = Buffer.from(opMsg(9, { ping: 1 }));
    badBson[25] = 0x7f; // an unknown BSON element type
    expect(() => parseOpMsg(badBson)).toThrow(ProtocolError);
  });
});

describe('parseOpQuery', () => {
  it('reads the namespace and the query document', () => {
    const request = parseOpQuery(opQuery(11, 'admin.$cmd', { isMaster: 1, helloOk: true }));
    expect(request.fullCollectionName).toBe('admin.$cmd');
    expect(request.numberToReturn).toBe(-1);
    expect(request.query.helloOk).toBe(true);
    expect(request.header.requestID).toBe(11);
  });

  it('refuses a truncated query', () => {
    const message = opQuery(12, 'admin.$cmd', { isMaster: 1 });
    const cut = Buffer.from(message.subarray(0, message.length - 3));
    cut.writeInt32LE(cut.length, 0);
    expect(() => parseOpQuery(cut)).toThrow(ProtocolError);
  });
});

describe('reply encoders', () => {
  it('encodes an OP_MSG reply that parses back', () => {
    const reply = encodeOpMsg(100, 42, { ok: 1, n: 2 });
    expect(reply.readInt32LE(0)).toBe(reply.length);
    expect(reply.readInt32LE(8)).toBe(42);
    expect(parseOpMsg(reply).body).toMatchObject({ ok: new Double(1), n: new Int32(2) });
  });

  it('encodes a reply larger than bson’s 17 MiB shared serialization buffer', () => {
    const blob = new Binary(Buffer.alloc(20 * 1024 * 1024, 3));
    const reply = encodeOpMsg(102, 44, { ok: 1, value: { _id: 1, blob } });
    expect(reply.readInt32LE(0)).toBe(reply.length);
    expect(reply.length).toBeGreaterThan(20 * 1024 * 1024);
    const body = deserialize(reply.subarray(21)) as { value: { blob: Binary } };
    expect(body.value.blob.length()).toBe(20 * 1024 * 1024);
  });

  it('encodes an OP_REPLY with one document', () => {
    const reply = encodeOpReply(101, 43, { ok: 1 });
    expect(reply.readInt32LE(12)).toBe(1);
    expect(reply.readInt32LE(32)).toBe(1); // numberReturned
    expect(deserialize(reply.subarray(36))).toEqual({ ok: 1 });
  });
});

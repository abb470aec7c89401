import { describe, expect, it } from 'vitest';
import { FrameError, FrameReader } from '../../src/embedded/wire/frame-reader';
import { MAX_MESSAGE_SIZE_BYTES } from '../../src/embedded/wire/constants';
import { header } from './helpers';

function frame(bodyLength: number, requestID: number): Buffer {
  return Buffer.concat([header(16 + bodyLength, requestID, 0, 2013), Buffer.alloc(bodyLength, requestID)]);
}

describe('FrameReader', () => {
  it('returns whole messages from one chunk holding several', () => {
    const reader = new FrameReader();
    const messages = reader.push(Buffer.concat([frame(3, 1), frame(10, 2), frame(0, 3)]));
    expect(messages.map((m) => m.readInt32LE(4))).toEqual([1, 2, 3]);
    expect(messages.map((m) => m.length)).toEqual([19, 26, 16]);
    expect(reader.pendingBytes).toBe(0);
  });

  it('reassembles a message delivered one byte at a time, including its length prefix', () => {
    const reader = new FrameReader();
    const message = frame(40, 7);
    const received: Buffer[] = [];
    for (let i = 0; i < message.length; i++) received.push(...reader.push(message.subarray(i, i + 1)));
    expect(received).toHaveLength(1);
    expect(received[0]!.equals(message)).toBe(true);
  });

  it('keeps the bytes of an incomplete message pending', () => {
    const reader = new FrameReader();
    const message = frame(100, 9);
    expect(reader.push(message.subarray(0, 50))).toEqual([]);
    expect(reader.pendingBytes).toBe(50);
    const rest = reader.push(Buffer.concat([message.subarray(50), frame(1, 10).subarray(0, 5)]));
    expect(rest).toHaveLength(1);
    expect(rest[0]!.equals(message)).toBe(true);
    expect(reader.pendingBytes).toBe(5);
  });

  it('refuses a declared length below the header size', () => {
    const reader = new FrameReader();
    expect(() => reader.push(header(15, 1, 0, 2013))).toThrow(FrameError);
    expect(() => new FrameReader().push(header(-1, 1, 0, 2013))).toThrow(/below the 16-byte header/);
  });

  it('refuses a declared length above maxMessageSizeBytes before receiving the body', () => {
    const reader = new FrameReader();
    expect(() => reader.push(header(MAX_MESSAGE_SIZE_BYTES + 1, 1, 0, 2013))).toThrow(
      /exceeds maxMessageSizeBytes/,
    );
    // Exactly the maximum is allowed: it waits for the rest.
    expect(new FrameReader().push(header(MAX_MESSAGE_SIZE_BYTES, 1, 0, 2013))).toEqual([]);
  });
});

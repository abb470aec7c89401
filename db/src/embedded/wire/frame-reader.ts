/**
 * Splits a TCP byte stream into wire-protocol messages. Every message starts with its int32 little-endian
 * length (header included). A declared length below the header size or above maxMessageSizeBytes is a
 * protocol error: the connection that sent it is closed, because nothing after it can be trusted.
 *
 * Chunks are kept in a list and only concatenated once a whole message is there, so a multi-megabyte
 * message arriving in many small chunks is copied once, not once per chunk.
 */
import { HEADER_LENGTH, MAX_MESSAGE_SIZE_BYTES } from './constants';

export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxMessageSize: number = MAX_MESSAGE_SIZE_BYTES) {}

  /** Bytes received that do not yet form a whole message. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Adds a chunk and returns every message now complete. Throws FrameError on a bad declared length. */
  push(chunk: Buffer): Buffer[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const messages: Buffer[] = [];
    for (;;) {
      if (this.buffered < 4) break;
      const length = this.peekLength();
      if (length < HEADER_LENGTH)
        throw new FrameError(`message length ${length} is below the ${HEADER_LENGTH}-byte header`);
      if (length > this.maxMessageSize) {
        throw new FrameError(`message length ${length} exceeds maxMessageSizeBytes ${this.maxMessageSize}`);
      }
      if (this.buffered < length) break;
      messages.push(this.take(length));
    }
    return messages;
  }

  private peekLength(): number {
    const first = this.chunks[0]!;
    if (first.length >= 4) return first.readInt32LE(0);
    const head = Buffer.alloc(4);
    let copied = 0;
    for (const chunk of this.chunks) {
      copied += chunk.copy(head, copied, 0, Math.min(chunk.length, 4 - copied));
      if (copied === 4) break;
    }
    return head.readInt32LE(0);
  }

  private take(length: number): Buffer {
    const first = this.chunks[0]!;
    let message: Buffer;
    if (first.length >= length) {
      message = first.subarray(0, length);
      if (first.length === length) this.chunks.shift();
      else this.chunks[0] = first.subarray(length);
    } else {
      message = Buffer.allocUnsafe(length);
      let copied = 0;
      while (copied < length) {
        const chunk = this.chunks[0]!;
        const wanted = length - copied;
        if (chunk.length <= wanted) {
          chunk.copy(message, copied);
          copied += chunk.length;
          this.chunks.shift();
        } else {
          chunk.copy(message, copied, 0, wanted);
          this.chunks[0] = chunk.subarray(wanted);
          copied += wanted;
        }
      }
    }
    this.buffered -= length;
    return message;
  }
}

/**
 * Binary fields read with `lean()` come back as BSON `Binary` objects, not Buffers; stored bytes are read
 * through here whatever form they arrive in.
 */
export function bytesOf(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  const binary = value as { buffer?: Uint8Array; position?: number } | null;
  if (binary?.buffer instanceof Uint8Array && typeof binary.position === 'number') {
    return binary.buffer.subarray(0, binary.position);
  }
  throw new TypeError('stored bytes have an unexpected type');
}

/** A Buffer over the same memory (what mongoose stores for a Buffer field), without copying. */
export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

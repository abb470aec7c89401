/**
 * The sync server's stored-acknowledgement: a message type of its own on the y-websocket socket, next to
 * y-protocols' sync (0), awareness (1), auth (2) and query-awareness (3).
 *
 * Frame: `varuint 100` then `varuint settled`, where `settled` counts the document frames (sync step 2 and
 * sync update messages) this connection has sent, in order, that are now stored, or that had nothing to
 * store (an empty update), or that were refused (a read-only person's change: the server also sent
 * `permission denied`). A client that counts the document frames it sends on the connection knows that all
 * of its changes are stored once `settled` reaches its count. The counts restart with each connection.
 *
 * Kept free of lib0 so that both the server and the browser bundle can use it as is.
 */
export const MESSAGE_STORED = 100;

/** Encodes a stored-acknowledgement frame. */
export function encodeStoredAck(settled: number): Uint8Array {
  const bytes = [MESSAGE_STORED];
  writeVarUint(bytes, settled);
  return Uint8Array.from(bytes);
}

/**
 * Reads the count from a frame (after its first varuint, the message type). Returns null when the frame is
 * not a well-formed stored-acknowledgement.
 */
export function decodeStoredAck(frame: Uint8Array): number | null {
  const type = readVarUint(frame, 0);
  if (type === null || type.value !== MESSAGE_STORED) return null;
  const settled = readVarUint(frame, type.next);
  if (settled === null || settled.next !== frame.length) return null;
  return settled.value;
}

/** True when a frame a client sends carries document content (sync step 2 or sync update). */
export function isDocumentFrame(frame: Uint8Array): boolean {
  // Sync message (0) whose inner type is step 2 (1) or update (2); both are single-byte varuints.
  return frame.length >= 2 && frame[0] === 0 && (frame[1] === 1 || frame[1] === 2);
}

function writeVarUint(out: number[], value: number): void {
  let v = value;
  while (v > 0x7f) {
    out.push(0x80 | (v & 0x7f));
    v = Math.floor(v / 128);
  }
  out.push(v);
}

function readVarUint(bytes: Uint8Array, start: number): { value: number; next: number } | null {
  let value = 0;
  let multiplier = 1;
  for (let i = start; i < bytes.length && i < start + 8; i++) {
    const byte = bytes[i] ?? 0;
    value += (byte & 0x7f) * multiplier;
    if (byte < 0x80) return { value, next: i + 1 };
    multiplier *= 128;
  }
  return null;
}

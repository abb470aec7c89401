/** Limits of the channels feature, shared by the browser client and the server so both refuse the same input. */
export const CHANNEL_LIMITS = {
  /** The longest message, in characters (UTF-16 code units, as the browser's textarea counts them). */
  messageMaxChars: 10_000,
  /** A channel's name: lower case words joined by dashes, like `general` or `funding-calls`. */
  channelNameMaxChars: 80,
  channelTopicMaxChars: 500,
  /** People in a direct conversation, the person who starts it included. */
  directMaxMembers: 8,
  /** Members named when a private channel is created or changed in one request. */
  privateMembersMax: 200,
  /** Messages per history page. */
  historyPageMax: 100,
  historyPageDefault: 50,
  searchResultsMax: 50,
  searchQueryMaxChars: 200,
  /** Mentions resolved per message; more are kept as plain text. */
  mentionsMax: 50,
  /** Distinct emoji on one message. */
  reactionsMax: 50,
  /** Client-generated message ids: a UUID or any other unguessable token of this size. */
  clientIdMaxChars: 64,
  /**
   * Sending: a burst of `sendBurst` messages, then `sendPerSecond` a second, per person across their
   * sockets. Typing and read markers have a bucket of their own so chatting never starves them.
   */
  sendBurst: 30,
  sendPerSecond: 5,
  signalBurst: 60,
  signalPerSecond: 20,
  /** How long a typing indicator lasts without a new `typing` event. */
  typingTtlMs: 5_000,
} as const;

/**
 * The largest socket.io payload the channels need: a 10,000-character message is at most 40,000 bytes of
 * UTF-8 (4 bytes per astral character, counted as 2 code units: 20,000 bytes; JSON escapes of control
 * characters reach 6 bytes per code unit, 60,000), plus the envelope. 64 KiB covers it and refuses more.
 */
export const CHANNEL_MAX_PAYLOAD_BYTES = 64 * 1024;

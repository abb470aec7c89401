/** The time, injectable so tests can move it instead of waiting. Milliseconds since the epoch, like Date.now. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

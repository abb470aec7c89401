import { createHash } from 'node:crypto';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { describe, expect, it } from 'vitest';
import { SESSION_CONFIG, generateSessionToken, sessionIdFromToken } from '../../src/accounts/sessions';

describe('session tokens', () => {
  it('are 160 random bits in lower-case base32 without padding', () => {
    const token = generateSessionToken();
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    expect(decodeBase32IgnorePadding(token.toUpperCase()).length).toBe(20);
    expect(SESSION_CONFIG.tokenBytes * 8).toBeGreaterThanOrEqual(160);
  });

  it('do not repeat', () => {
    const tokens = new Set(Array.from({ length: 10_000 }, generateSessionToken));
    expect(tokens.size).toBe(10_000);
  });

  it('are stored as their SHA-256 in lower-case hex', () => {
    const token = generateSessionToken();
    const expected = createHash('sha256').update(token, 'utf8').digest('hex');
    expect(sessionIdFromToken(token)).toBe(expected);
    expect(sessionIdFromToken(token)).not.toContain(token);
  });

  it('keep the renewal and lifetime figures consistent', () => {
    expect(SESSION_CONFIG.renewWhenRemainingBelowMs).toBeLessThan(SESSION_CONFIG.idleTimeoutMs);
    expect(SESSION_CONFIG.absoluteLifetimeMs).toBeGreaterThan(SESSION_CONFIG.idleTimeoutMs);
  });
});

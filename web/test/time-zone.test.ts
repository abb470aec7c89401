import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime } from '../src/lib/i18n';
import {
  endOfDayIn,
  startOfDayIn,
  TIME_ZONE_MAX_LENGTH,
  timeZoneOrDefault,
  timeZoneSchema,
} from '../src/lib/i18n/time-zone';

describe('timeZoneSchema', () => {
  it.each(['Europe/Paris', 'Europe/Sofia', 'UTC', 'America/Argentina/Buenos_Aires', 'Etc/GMT+3'])(
    'accepts %s',
    (zone) => {
      expect(timeZoneSchema.safeParse(zone).success).toBe(true);
    },
  );

  it.each([
    ['garbage', 'not a zone'],
    ['an unknown name', 'Europe/Atlantis'],
    ['a path', '../x'],
    ['a nested path', 'Europe/../../etc/passwd'],
    ['an empty value', ''],
    ['markup', '<script>'],
    ['overlong', `Europe/${'A'.repeat(TIME_ZONE_MAX_LENGTH)}`],
    ['not a string', 42],
  ])('refuses %s', (_what, value) => {
    expect(timeZoneSchema.safeParse(value).success).toBe(false);
  });

  it('falls back to UTC for a missing or refused cookie', () => {
    expect(timeZoneOrDefault(undefined)).toBe('UTC');
    expect(timeZoneOrDefault('../x')).toBe('UTC');
    expect(timeZoneOrDefault('Europe/Sofia')).toBe('Europe/Sofia');
  });
});

describe('dates in a given zone', () => {
  // 09:30 UTC in winter: 10:30 in Paris (UTC+1), 11:30 in Sofia (UTC+2).
  const instant = new Date('2026-01-15T09:30:00.000Z');

  it('formatDateTime shows the time of the zone it is given', () => {
    expect(formatDateTime('en', instant, 'UTC')).toBe('15 Jan 2026, 09:30');
    expect(formatDateTime('en', instant, 'Europe/Paris')).toBe('15 Jan 2026, 10:30');
    expect(formatDateTime('fr', instant, 'Europe/Sofia')).toBe('15 janv. 2026, 11:30');
  });

  it('keeps one cached formatter per zone (the second zone is not served the first one)', () => {
    expect(formatDateTime('en', instant, 'UTC')).not.toBe(formatDateTime('en', instant, 'Europe/Sofia'));
  });

  it('formatDate moves the day across midnight with the zone', () => {
    const lateEvening = new Date('2026-03-01T22:30:00.000Z');
    expect(formatDate('en', lateEvening, 'UTC')).toBe('1 March 2026');
    expect(formatDate('en', lateEvening, 'Europe/Sofia')).toBe('2 March 2026');
  });
});

describe('days in a time zone', () => {
  it.each([
    ['2026-11-24', 'UTC', '2026-11-24T00:00:00.000Z', '2026-11-24T23:59:59.999Z'],
    ['2026-11-24', 'Europe/Sofia', '2026-11-23T22:00:00.000Z', '2026-11-24T21:59:59.999Z'],
    ['2026-07-01', 'Europe/Paris', '2026-06-30T22:00:00.000Z', '2026-07-01T21:59:59.999Z'],
    // Summer time starts on 29 March 2026 at 02:00 in Paris: that day has 23 hours.
    ['2026-03-29', 'Europe/Paris', '2026-03-28T23:00:00.000Z', '2026-03-29T21:59:59.999Z'],
    ['2026-10-25', 'Europe/Lisbon', '2026-10-24T23:00:00.000Z', '2026-10-25T23:59:59.999Z'],
  ])('%s in %s runs from %s to %s', (day, zone, start, end) => {
    expect(new Date(startOfDayIn(day, zone)).toISOString()).toBe(start);
    expect(new Date(endOfDayIn(day, zone)).toISOString()).toBe(end);
  });
});

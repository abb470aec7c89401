import { describe, expect, it } from 'vitest';
import { auditFilterOf, parseAuditQuery } from '../src/lib/components/admin/audit-query';

const lookup = { findPersonIdByEmail: () => Promise.resolve(null) };
const query = (qs: string) => {
  const parsed = parseAuditQuery(new URLSearchParams(qs));
  if (!parsed.ok) throw new Error(`refused: ${parsed.invalid.join(', ')}`);
  return parsed.value;
};

describe('the audit filter', () => {
  it('takes whole days in UTC by default (the API)', async () => {
    const filter = await auditFilterOf(query('from=2026-11-24&to=2026-11-24'), lookup, 50);
    expect(filter).toMatchObject({ from: '2026-11-24T00:00:00.000Z', to: '2026-11-24T23:59:59.999Z' });
  });

  it("takes the reader's days in their time zone (the staff page)", async () => {
    const filter = await auditFilterOf(query('from=2026-11-24&to=2026-11-25'), lookup, 50, 'Europe/Sofia');
    expect(filter).toMatchObject({ from: '2026-11-23T22:00:00.000Z', to: '2026-11-25T21:59:59.999Z' });
  });

  it('names a day that does not exist instead of ignoring it', () => {
    expect(parseAuditQuery(new URLSearchParams('from=2026-02-30'))).toEqual({ ok: false, invalid: ['from'] });
  });
});

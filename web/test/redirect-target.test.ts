import { describe, expect, it } from 'vitest';
import { safeNext } from '../src/lib/server/redirect-target';

describe('safeNext (where sign-in sends people afterwards)', () => {
  it('keeps a path on this site, with its query and fragment', () => {
    expect(safeNext('/admin/outbox?page=2#top')).toBe('/admin/outbox?page=2#top');
  });

  it('falls back to the home page for anything that could leave the site', () => {
    for (const next of [
      null,
      '',
      'admin',
      '//evil.example/x',
      '/\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      '/\tevil',
      '/ok\r\nSet-Cookie: x=1',
    ]) {
      expect(safeNext(next), String(next)).toBe('/');
    }
  });
});

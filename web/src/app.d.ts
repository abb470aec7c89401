// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Session, SessionUser } from '@cope/db';
import type { Locale } from '$lib/i18n/locales';

declare global {
  namespace App {
    interface Error {
      message: string;
      /** A stable, machine-readable code (for example `not_found`), shown to people as a reference. */
      code?: string;
    }
    interface Locals {
      /** The language of this response, chosen in hooks.server.ts from the cookie or Accept-Language. */
      locale: Locale;
      /** The reader's IANA time zone from the `tz` cookie, validated; UTC until the browser has set it. */
      timeZone: string;
      /** The signed-in person, or null for an anonymous visitor (set in hooks.server.ts). */
      user: SessionUser | null;
      session: Session | null;
    }
    interface PageData {
      locale: Locale;
      timeZone: string;
    }
    // interface PageState {}
    // interface Platform {}
  }
}

export {};

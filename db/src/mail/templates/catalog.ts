/** Every language's catalog. `Record<Locale, Catalog>` makes a missing language a compile error too. */
import type { Locale } from '@cope/domain';
import type { Catalog } from './content';
import { en } from './en';
import { fr } from './fr';

export const catalogs: Readonly<Record<Locale, Catalog>> = { en, fr };

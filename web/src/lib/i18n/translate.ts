import type { Catalog, MessageKey, ParamsArg } from './messages/catalog';
import { en } from './messages/en';
import { fr } from './messages/fr';
import { formatNumber } from './format';
import type { Locale } from './locales';

const catalogs: Readonly<Record<Locale, Catalog>> = { en, fr };

/** Looks a message up by key and fills its `{name}` placeholders; numbers are formatted for the locale. */
export type Translate = <K extends MessageKey>(key: K, ...params: ParamsArg<K>) => string;

export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  return (key, ...[params]) => {
    const text = catalog[key];
    if (!params) return text;
    const values: Readonly<Record<string, string | number>> = params;
    return text.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
      const value = values[name];
      if (value === undefined) return placeholder;
      return typeof value === 'number' ? formatNumber(locale, value) : value;
    });
  };
}

export type { MessageKey } from './messages/catalog';

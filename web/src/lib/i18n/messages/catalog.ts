import type { en } from './en';

/** Every message key; English (en.ts) is the source of truth for the set of keys. */
export type MessageKey = keyof typeof en;

/** The shape every translation must have: exactly the English keys, each a string. */
export type Catalog = { readonly [K in MessageKey]: string };

/** One area's French messages: exactly the keys of its English file, each a string. */
export type AreaCatalog<T> = { readonly [K in keyof T]: string };

/** The `{name}` placeholders of a message text, as a union of names (never if there are none). */
type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;

/** The values a message needs, derived from its English text. */
export type MessageParams<K extends MessageKey> = Record<Placeholders<(typeof en)[K]>, string | number>;

/** Arguments after the key: none for a message without placeholders, else an object with each one. */
export type ParamsArg<K extends MessageKey> = [Placeholders<(typeof en)[K]>] extends [never]
  ? []
  : [params: MessageParams<K>];

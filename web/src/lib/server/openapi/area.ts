/**
 * One part of the OpenAPI document: the zod schemas it names and the paths it adds. Each larger part of the
 * product keeps its endpoints' description in a file of its own beside this one, and `../openapi.ts` merges
 * them, so adding an endpoint never means editing everybody's file.
 */
import type { z } from 'zod';

export interface OpenApiArea {
  /** Component schemas by name; names must be unique across all areas. */
  readonly schemas: Readonly<Record<string, z.ZodType>>;
  /** Path items keyed by path under `/api/v1` (e.g. `/spaces/{id}`). */
  readonly paths: Readonly<Record<string, unknown>>;
}

/** A reference to a component schema by name. */
export const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A JSON body or response made of the named component schema. */
export const jsonOf = (name: string) => ({ 'application/json': { schema: schemaRef(name) } });

/** An error response: every error has the `Error` shape. */
export const errorResponse = (description: string) => ({ description, content: jsonOf('Error') });

/** The session-cookie requirement of every endpoint that needs a signed-in person. */
export const sessionSecurity = [{ session: [] }];

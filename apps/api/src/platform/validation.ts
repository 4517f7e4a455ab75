import { AjvCompiler } from '@fastify/ajv-compiler';
import type { FastifyServerOptions } from 'fastify';

type BuildValidator = NonNullable<
  NonNullable<
    NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
  >['buildValidator']
>;

/**
 * Request validation by part. Query strings, path parameters and headers arrive as text, so they
 * are coerced to their schema's types ("20" → 20, "true" → true, a single value → an array). A
 * JSON body carries its own types and is validated exactly as sent: with coercion, `null` for a
 * nullable string would become "" (ajv tries the string branch of `T | null` first) and `"5"`
 * would pass as a number.
 */
export function partAwareValidator(): BuildValidator {
  const build = AjvCompiler();
  return (externalSchemas, options) => {
    // The options are Fastify's `ajv` server option (app.ts): plain Ajv options.
    const ajv = (options ?? {}) as { customOptions?: Record<string, unknown> };
    const coercing = build(externalSchemas, options);
    const exact = build(externalSchemas, {
      ...ajv,
      customOptions: { ...ajv.customOptions, coerceTypes: false },
    } as typeof options);
    return (route) => (route.httpPart === 'body' ? exact : coercing)(route);
  };
}

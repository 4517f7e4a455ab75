import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The API package's version, read once (works from src/ and dist/). */
export const VERSION: string = (
  JSON.parse(
    readFileSync(
      path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../package.json'),
      'utf8',
    ),
  ) as { version: string }
).version;

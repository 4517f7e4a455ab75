import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Secrets live in `$JINENG_DATA_DIR/keys/` (mode 0700, files 0600): outside PostgreSQL's data
 * directory, so a database backup never carries the keys that protect its contents.
 */
export function keysDirOf(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'keys');
}

/**
 * Reads a secret file, or creates it with `create()` on first use. `wx` makes creation atomic:
 * if two processes race, one writes and both read the same value.
 */
export async function readOrCreateSecret(
  keysDir: string,
  name: string,
  create: () => string = () => randomBytes(24).toString('base64url'),
): Promise<string> {
  // The data directory itself stays traversable: the embedded PostgreSQL runs as another OS user
  // when started as root, and a recursive mkdir would give every new parent the keys' 0700.
  await mkdir(path.dirname(keysDir), { recursive: true, mode: 0o755 });
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  await chmod(keysDir, 0o700);
  const file = path.join(keysDir, name);
  if (!existsSync(file)) {
    try {
      await writeFile(file, `${create()}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return (await readFile(file, 'utf8')).trim();
}

/**
 * In-process caches of the public verification paths. Each app instance owns its caches (tests
 * run several apps in one process, each on its own database); `invalidateCertificateCache`
 * reaches all of them, so the certificates module can call it after a revocation commits without
 * holding a reference to the app. Another process (a second API server) learns of a revocation
 * when its entry expires: at most one TTL later.
 */

/** A bounded map that forgets its least recently used entry and entries older than `ttlMs`. */
export class LruCache<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Re-insert: a Map iterates in insertion order, so the first key is the least recent.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V, ttlMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Something that drops what it knows about a certificate number. */
export interface CertificateCacheListener {
  invalidate(number: string): void;
}

const listeners = new Set<CertificateCacheListener>();

/** Registers an app's caches; returns the function that unregisters them (on app close). */
export function onCertificateChange(listener: CertificateCacheListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Forgets the cached public answer for a certificate number and the signed revocation status
 * list, in every app of this process. Call it after a transaction that issues or revokes a
 * certificate has committed.
 */
export function invalidateCertificateCache(number: string): void {
  for (const listener of listeners) listener.invalidate(number);
}

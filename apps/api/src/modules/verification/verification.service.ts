import { shanghaiDate, type Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { DomainError } from '../../platform/errors.js';
import { maskName } from '../../platform/crypto/index.js';
import type { AuthContext } from '../auth/auth.service.js';
import { LruCache, onCertificateChange } from './verification.cache.js';
import {
  certificateCredential,
  REVOCATION_LIST_ID,
  signCredential,
  statusListCredential,
} from './verification.credential.js';
import type { CredentialKeys } from './verification.keys.js';
import {
  findCertificate,
  findCertificateByNumber,
  type CertificateRow,
} from '../certificates/certificates.repository.js';
import * as repo from './verification.repository.js';
import { buildBitstring, encodeStatusList, holderNameMatches } from './verification.rules.js';

/** How long a looked-up certificate is served from memory (and by HTTP caches). */
export const FOUND_TTL_MS = 60_000;
/** Unknown numbers are remembered briefly: a just-issued certificate shows up within this. */
export const NOT_FOUND_TTL_MS = 10_000;
/** Numbers held in memory at most (about 1 KB each). */
export const CACHE_ENTRIES = 10_000;
/** The signed status list is rebuilt when older than this, or at once after a revocation. */
export const STATUS_LIST_TTL_MS = 60_000;

export type VerifyResult = 'valid' | 'revoked' | 'not_found';

export interface PublicCertificate {
  number: string;
  occupationCode: string;
  occupationName: string;
  level: string;
  specialAbilityName?: string;
  issuer: string;
  issuedOn: string;
  holderNameMasked: string;
  revokedOn?: string;
  revocationReason?: string;
}

export interface VerifyAnswer {
  result: VerifyResult;
  certificate?: PublicCertificate;
}

export interface VerificationDeps {
  db: Db;
  clock: Clock;
  /** This server's public origin, e.g. https://jineng.example.gov.cn (no trailing slash). */
  publicUrl: string;
  keys: CredentialKeys;
}

function publicView(cert: CertificateRow): PublicCertificate {
  return {
    number: cert.number,
    occupationCode: cert.occupationCode,
    occupationName: cert.occupationName,
    level: cert.skillLevelName,
    ...(cert.specialAbilityName ? { specialAbilityName: cert.specialAbilityName } : {}),
    issuer: cert.issuerName,
    issuedOn: cert.issuedOn,
    holderNameMasked: maskName(cert.holderName),
    ...(cert.status === 'revoked' && cert.revokedAt
      ? {
          revokedOn: shanghaiDate(new Date(cert.revokedAt)),
          revocationReason: cert.revocationReason ?? '',
        }
      : {}),
  };
}

/**
 * The verification use cases with their in-process caches: the public check by number and name,
 * the signed credential of a certificate, and the signed revocation status list.
 */
export class Verification {
  private readonly byNumber: LruCache<string, CertificateRow | null>;
  private statusList: { jwt: string; builtAt: number } | null = null;
  private building: { generation: number; jwt: Promise<string> } | null = null;
  private generation = 0;
  private readonly unregister: () => void;

  constructor(private readonly deps: VerificationDeps) {
    this.byNumber = new LruCache(CACHE_ENTRIES, () => deps.clock.now().getTime());
    this.unregister = onCertificateChange({ invalidate: (number) => this.invalidate(number) });
  }

  /** Drops a number's cached answer and the signed status list. */
  invalidate(number: string): void {
    this.byNumber.delete(number);
    this.statusList = null;
    this.generation += 1;
  }

  close(): void {
    this.unregister();
    this.byNumber.clear();
  }

  private async lookUp(number: string): Promise<CertificateRow | null> {
    const cached = this.byNumber.get(number);
    if (cached !== undefined) return cached;
    const found = (await findCertificateByNumber(this.deps.db, number)) ?? null;
    this.byNumber.set(number, found, found ? FOUND_TTL_MS : NOT_FOUND_TTL_MS);
    return found;
  }

  /**
   * The public check (在线查询): a certificate with this number whose holder has exactly this
   * name. A wrong name answers not_found, like an unknown number, so a number alone never
   * reveals whose it is.
   */
  async verify(number: string, name: string): Promise<VerifyAnswer> {
    const cert = await this.lookUp(number);
    if (!cert || !holderNameMatches(name, cert.holderName)) return { result: 'not_found' };
    return { result: cert.status, certificate: publicView(cert) };
  }

  /** The certificate's verifiable credential as a compact JWS; 404 outside the caller's scope. */
  async credential(auth: AuthContext, id: string): Promise<string> {
    const cert = await findCertificate(this.deps.db, auth.scope, id);
    if (!cert) throw new DomainError('NOT_FOUND', 'No such certificate in your scope');
    return signCredential(
      certificateCredential(cert, this.deps.publicUrl),
      this.deps.keys,
      this.deps.clock.now(),
    );
  }

  /** The signed revocation status list, rebuilt when stale or after a revocation. */
  async revocationList(listId: string): Promise<string> {
    if (listId !== REVOCATION_LIST_ID) {
      throw new DomainError('NOT_FOUND', 'No such status list');
    }
    const now = this.deps.clock.now().getTime();
    if (this.statusList && now - this.statusList.builtAt < STATUS_LIST_TTL_MS) {
      return this.statusList.jwt;
    }
    // Callers arriving during a build share it, unless a revocation has come in since it began.
    if (this.building?.generation !== this.generation) {
      const building = {
        generation: this.generation,
        jwt: this.buildStatusList().finally(() => {
          if (this.building === building) this.building = null;
        }),
      };
      this.building = building;
    }
    return this.building.jwt;
  }

  private async buildStatusList(): Promise<string> {
    const generation = this.generation;
    const builtAt = this.deps.clock.now();
    const { revoked, highestIndex } = await repo.revocationState(this.deps.db);
    const encodedList = encodeStatusList(buildBitstring(revoked, highestIndex));
    const credential = statusListCredential(this.deps.publicUrl, encodedList, builtAt);
    const jwt = await signCredential(credential, this.deps.keys, builtAt);
    // A revocation that landed while building must not be hidden behind this older list.
    if (generation === this.generation) this.statusList = { jwt, builtAt: builtAt.getTime() };
    return jwt;
  }
}

/**
 * Personal data protection (R-PLT-5): field encryption with rotatable keys, blind indexes for
 * exact lookup and de-duplication, and masking for display.
 *
 * Typical use in a repository/service:
 *
 *     const keys = await loadPiiKeys({ env: process.env, keysDir: keysDirOf(config.dataDir) });
 *     const pii = new PiiCipher(keys);
 *     const row = {
 *       id_number_enc: pii.encrypt('person.id_number', idNumber),
 *       id_number_bidx: pii.blindIndex('id_number', idNumber), // UNIQUE
 *     };
 *     maskIdNumber(idNumber); // for responses and logs
 */
export {
  AES_256_GCM,
  PII_ALGORITHMS,
  type AeadAlgorithm,
  type AeadRegistry,
} from './algorithms.js';
export { BLIND_INDEX_KINDS, computeBlindIndex, type BlindIndexKind } from './blind-index.js';
export { ENVELOPE_VERSION } from './envelope.js';
export { maskIdNumber, maskName, maskPhone } from './mask.js';
export { isMobilePhone, normalizeIdNumber, normalizePhone } from './normalize.js';
export {
  PiiCipher,
  PiiDecryptError,
  type PiiCipherOptions,
  type PiiDecryptReason,
} from './pii-cipher.js';
export {
  INDEX_KEY_FILE,
  PII_KEY_FILE,
  PII_KEY_LENGTH,
  PiiKeys,
  keyIdOf,
  loadPiiKeys,
  type LoadPiiKeysOptions,
  type PiiKeyMaterial,
  type PiiKeySource,
  type PiiKeysInit,
} from './pii-keys.js';

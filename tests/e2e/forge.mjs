// Forging files as a hostile but trusted unit would: take a unit's signing seed out of
// its browser, change a transfer's payload and sign it again with that key, so the file
// passes the signature check and only the authorship rules can refuse it.
//
// Files travel encrypted (HPKE, RFC 9180, docs/bundle-format.md §3.1), so this is also
// an independent implementation of that construction with Node's own crypto: it opens a
// file with the recipient's key and seals the edited payload again. (A real forger holds
// the clear events it wrote; the test takes them from the recipient's key instead.)
import { createHash, createHmac, createPrivateKey, createPublicKey, createCipheriv, createDecipheriv, diffieHellman, pbkdf2Sync, randomBytes, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { OPERATOR } from './harness.mjs';

/**
 * The unit's Ed25519 seed (base64), read from the page's own database, where it lies
 * sealed under the operator's passphrase (PBKDF2-HMAC-SHA256, then ChaCha20-Poly1305
 * with no associated data): opened here with Node's own crypto, as a forger who knew
 * the passphrase would.
 */
export async function seedOf(page, passphrase = OPERATOR) {
  const sealed = JSON.parse(await storedKey(page));
  const key = pbkdf2Sync(passphrase, Buffer.from(sealed.salt, 'base64'), sealed.iterations, 32, 'sha256');
  const c = Buffer.from(sealed.ciphertext, 'base64');
  const d = createDecipheriv('chacha20-poly1305', key, Buffer.from(sealed.nonce, 'base64'), { authTagLength: 16 });
  d.setAuthTag(c.subarray(c.length - 16));
  return Buffer.concat([d.update(c.subarray(0, c.length - 16)), d.final()]).toString('base64');
}

/** The stored key record, exactly as the page's database holds it. */
export async function storedKey(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('xinfang');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const get = open.result.transaction('meta').objectStore('meta').get('identity');
      get.onerror = () => reject(get.error);
      get.onsuccess = () => resolve(get.result);
    };
  }));
}

/** RFC 8785 for the payloads the app writes (objects, arrays, strings, integers). */
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

// --- HPKE base mode: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305 ---
const u16 = (n) => Buffer.from([n >> 8, n & 255]);
const KEM_ID = Buffer.concat([Buffer.from('KEM'), u16(0x20)]);
const SUITE_ID = Buffer.concat([Buffer.from('HPKE'), u16(0x20), u16(1), u16(3)]);
const extract = (salt, ikm) => createHmac('sha256', salt.length ? salt : Buffer.alloc(32)).update(ikm).digest();
function expand(prk, info, len) {
  let t = Buffer.alloc(0);
  let out = Buffer.alloc(0);
  for (let i = 1; out.length < len; i++) {
    t = createHmac('sha256', prk).update(Buffer.concat([t, info, Buffer.from([i])])).digest();
    out = Buffer.concat([out, t]);
  }
  return out.subarray(0, len);
}
const labeledExtract = (suite, salt, label, ikm) => extract(salt, Buffer.concat([Buffer.from('HPKE-v1'), suite, Buffer.from(label), ikm]));
const labeledExpand = (suite, prk, label, info, len) => expand(prk, Buffer.concat([u16(len), Buffer.from('HPKE-v1'), suite, Buffer.from(label), info]), len);

const x25519Private = (sk) => createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), sk]), format: 'der', type: 'pkcs8' });
const x25519Public = (pk) => createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), pk]), format: 'der', type: 'spki' });
const publicOf = (sk) => createPublicKey(x25519Private(sk)).export({ format: 'der', type: 'spki' }).subarray(-32);
const dh = (sk, pk) => diffieHellman({ privateKey: x25519Private(sk), publicKey: x25519Public(pk) });

/** A unit's X25519 secret from its seed: SHA-256 of the label and seed, then DeriveKeyPair. */
export function decryptionKey(seedBase64) {
  const ikm = createHash('sha256').update('xinfang encryption key v1').update(Buffer.from(seedBase64, 'base64')).digest();
  const prk = labeledExtract(KEM_ID, Buffer.alloc(0), 'dkp_prk', ikm);
  return labeledExpand(KEM_ID, prk, 'sk', Buffer.alloc(0), 32);
}

function sharedSecret(dhValue, enc, pkR) {
  const prk = labeledExtract(KEM_ID, Buffer.alloc(0), 'eae_prk', dhValue);
  return labeledExpand(KEM_ID, prk, 'shared_secret', Buffer.concat([enc, pkR]), 32);
}

function keySchedule(shared, info) {
  const pskIdHash = labeledExtract(SUITE_ID, Buffer.alloc(0), 'psk_id_hash', Buffer.alloc(0));
  const infoHash = labeledExtract(SUITE_ID, Buffer.alloc(0), 'info_hash', info);
  const context = Buffer.concat([Buffer.from([0]), pskIdHash, infoHash]);
  const secret = labeledExtract(SUITE_ID, shared, 'secret', Buffer.alloc(0));
  return { key: labeledExpand(SUITE_ID, secret, 'key', context, 32), nonce: labeledExpand(SUITE_ID, secret, 'base_nonce', context, 12) };
}

const nonceOf = (base, seq) => {
  const n = Buffer.from(base);
  for (let i = 0; i < 8; i++) n[11 - i] ^= Number((BigInt(seq) >> BigInt(8 * i)) & 255n);
  return n;
};
const u64 = (n) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(n)); return b; };
const pieceAd = (header, i, n) => Buffer.concat([Buffer.from(canonical(header)), u64(i), u64(n)]);
const infoOf = (type, signer, recipient) => Buffer.concat([Buffer.from('xinfang-bundle 3\0'), Buffer.from(type), Buffer.from([0]), signer, recipient]);

/** Decrypts a verified bundle's sealed payload with the recipient's seed: the clear payload. */
export function openSealed(bundle, recipientSeed) {
  const skR = decryptionKey(recipientSeed);
  const pkR = publicOf(skR);
  const { header, sealed } = bundle.payload;
  const enc = Buffer.from(sealed.enc, 'base64');
  const signer = Buffer.from(bundle.signatures[0].publicKey, 'base64');
  const { key, nonce } = keySchedule(sharedSecret(dh(skR, enc), enc, pkR), infoOf(bundle.payloadType, signer, pkR));
  const n = sealed.ciphertext.length;
  const plain = sealed.ciphertext.map((piece, i) => {
    const c = Buffer.from(piece, 'base64');
    const d = createDecipheriv('chacha20-poly1305', key, nonceOf(nonce, i), { authTagLength: 16 });
    d.setAAD(pieceAd(header, i, n), { plaintextLength: c.length - 16 });
    d.setAuthTag(c.subarray(c.length - 16));
    return Buffer.concat([d.update(c.subarray(0, c.length - 16)), d.final()]);
  });
  return JSON.parse(Buffer.concat(plain).toString('utf8'));
}

/** Seals a clear payload to the recipient key `pkR` for a bundle signed by `signer`. */
function sealTo(payloadType, inner, pkR, signer, fields) {
  const header = Object.fromEntries(fields.filter((k) => k in inner).map((k) => [k, inner[k]]));
  const skE = randomBytes(32);
  const enc = publicOf(skE);
  const { key, nonce } = keySchedule(sharedSecret(dh(skE, pkR), enc, pkR), infoOf(payloadType, signer, pkR));
  const plain = Buffer.from(canonical(inner));
  const pieces = [];
  for (let at = 0; at < plain.length || pieces.length === 0; at += 1 << 20) pieces.push(plain.subarray(at, at + (1 << 20)));
  const ciphertext = pieces.map((p, i) => {
    const c = createCipheriv('chacha20-poly1305', key, nonceOf(nonce, i), { authTagLength: 16 });
    c.setAAD(pieceAd(header, i, pieces.length), { plaintextLength: p.length });
    return Buffer.concat([c.update(p), c.final(), c.getAuthTag()]).toString('base64');
  });
  return { header, sealed: { suite: 'hpke-base-x25519-sha256-chacha20poly1305', recipient: pkR.toString('base64'), enc: enc.toString('base64'), ciphertext } };
}

const pae = (type, body) => Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `), body]);

/**
 * Signs, as its author would, every event of `inner` written by the sender (its unit
 * code): the PAE of the event's RFC 8785 form without `signature`, with `key`.
 */
function signOwnEvents(inner, key, publicKey) {
  for (const c of inner.cases ?? []) {
    for (const e of c.events) {
      if (e.unitCode !== inner.from.code) continue;
      delete e.signature;
      const sig = sign(null, pae('application/vnd.xinfang.event+json', Buffer.from(canonical(e))), key);
      e.signature = { publicKey: publicKey.toString('base64'), sig: sig.toString('base64') };
    }
  }
}

/**
 * Writes `to` as the transfer `from` with its clear payload changed by `edit`, encrypted
 * again to the same recipient and signed again with `seed`, which signs the sender's
 * own events too (other units' events keep the signatures they carry, changed or not);
 * `recipientSeed` opens it.
 */
export function resign(from, to, seed, recipientSeed, edit) {
  const bundle = JSON.parse(readFileSync(from, 'utf8'));
  const inner = openSealed(bundle, recipientSeed);
  edit(inner);
  // PKCS#8 wrapping of a raw Ed25519 seed.
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(seed, 'base64')]);
  const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  const signer = createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(-32);
  signOwnEvents(inner, key, signer);
  const pkR = Buffer.from(bundle.payload.sealed.recipient, 'base64');
  bundle.payload = sealTo(bundle.payloadType, inner, pkR, signer, ['from', 'to', 'purpose', 'createdAt']);
  bundle.signatures[0].sig = sign(null, pae(bundle.payloadType, Buffer.from(canonical(bundle.payload))), key).toString('base64');
  writeFileSync(to, JSON.stringify(bundle, null, 2));
  return to;
}

/** Writes `to` as `from` with one character of its first ciphertext piece changed. */
export function flipCiphertext(from, to) {
  const bundle = JSON.parse(readFileSync(from, 'utf8'));
  const piece = bundle.payload.sealed.ciphertext[0];
  bundle.payload.sealed.ciphertext[0] = piece.slice(0, 20) + (piece[20] === 'A' ? 'B' : 'A') + piece.slice(21);
  writeFileSync(to, JSON.stringify(bundle, null, 2));
  return to;
}

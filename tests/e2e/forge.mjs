// Forging files as a hostile but trusted unit would: take a unit's signing seed out of
// its browser, change a transfer's payload and sign it again with that key, so the file
// passes the signature check and only the authorship rules can refuse it.
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

/** The unit's Ed25519 seed (base64), read from the page's own database. */
export async function seedOf(page) {
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

/** Writes `to` as `from` with its payload changed by `edit` and signed again with `seed`. */
export function resign(from, to, seed, edit) {
  const bundle = JSON.parse(readFileSync(from, 'utf8'));
  edit(bundle.payload);
  const body = Buffer.from(canonical(bundle.payload));
  const type = Buffer.from(bundle.payloadType);
  const pae = Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${body.length} `), body,
  ]);
  // PKCS#8 wrapping of a raw Ed25519 seed.
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(seed, 'base64')]);
  const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  bundle.signatures[0].sig = sign(null, pae, key).toString('base64');
  writeFileSync(to, JSON.stringify(bundle, null, 2));
  return to;
}

//! Any bytes given to the bundle reader (with a key that opens the vectors' sealed
//! files), the sealed-payload decryption, the author signatures of a decrypted
//! transfer's events, the backup reader (clear and encrypted
//! volumes) or the first-bytes check are refused or read, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xinfang::exchange::authors::{check_signatures, Share};
use xinfang::exchange::backup::{BackupReader, Records};
use xinfang::exchange::transfer::Transfer;
use xinfang::exchange::recipient::{open_payload, Decryptor};
use xinfang::exchange::{Identity, PayloadType};

/// The vectors' township (test seed B): the recipient of `transfer-valid.json`.
const SEED_B: [u8; 32] = *b"xinfang test seed B: town 000002";

fuzz_target!(|data: &[u8]| {
    let town = Identity::from_seed(SEED_B);
    let me = Decryptor::of(&town);
    let _ = xinfang::exchange::envelope::looks_like_bundle(data);
    let _ = xinfang::exchange::read::read(data, &me);
    // The decryption reads only what a verified signature covers; here it gets hostile
    // payloads directly, as if a trusted sender had signed them.
    if let Ok(value) = xinfang::exchange::strict::parse(data) {
        let payload = value.get("payload").unwrap_or(&value);
        let _ = open_payload(PayloadType::Transfer, payload, &town.public_key(), &me);
        // A decrypted transfer (the vectors' plaintexts seed this): every event's
        // author signature checked, as `read` does once a file has opened.
        if let Ok(t) = serde_json::from_value::<Transfer>(value.clone()) {
            // Half the signatures, as one of two workers would: either half by the input.
            let half = Share::new(data.len() % 2, 2).unwrap_or(Share::ALL);
            let _ = check_signatures(&t.cases, &t.from.code, &town.public_key(), 3, half);
            let _ = check_signatures(&t.items, &t.from.code, &town.public_key(), 3, Share::ALL);
        }
    }
    if let Ok(records) = Records::all(data) {
        // A fast derivation is not needed: a hostile volume is refused by its signature
        // before any key is derived.
        let mut reader = BackupReader::new("fuzz passphrase 0001");
        for r in records.iter().take(4) {
            if reader.read(r).is_err() {
                break;
            }
        }
        let _ = reader.finish();
    }
});

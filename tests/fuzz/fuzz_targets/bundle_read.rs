//! Any bytes given to the bundle reader, the backup reader (clear and encrypted volumes)
//! or the first-bytes check are refused or read, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xinfang::exchange::backup::{BackupReader, Records};

fuzz_target!(|data: &[u8]| {
    let _ = xinfang::exchange::envelope::looks_like_bundle(data);
    let _ = xinfang::exchange::read::read(data);
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

//! The exchange format: every file that leaves one browser for another. Units hand each
//! other unit cards, cases and backups; citizens and offices hand each other petitions,
//! replies and feedback. Each is a signed bundle (`docs/bundle-format.md` is the
//! specification). The wire types here are kept apart from the domain's and converted
//! explicitly, so the domain can change without breaking a file already sent.

pub mod authors;
pub mod backup;
pub mod card;
pub mod citizen;
pub mod envelope;
pub mod error;
pub mod handover;
pub mod items;
pub mod keyring;
pub mod merge;
pub mod read;
pub mod recipient;
pub mod records;
pub mod secret;
pub mod strict;
pub mod transfer;
pub mod wire;

#[cfg(test)]
mod tests;

pub use envelope::{open, seal, Identity, Opened, PayloadType, PublicKey};
pub use error::{BundleError, MAX_BUNDLE_BYTES};

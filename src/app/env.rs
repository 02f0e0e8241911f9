//! Where operations get the time and fresh random ids: the browser in the app, fixed
//! values in tests. Nothing below this layer reads a clock or draws randomness itself.

use crate::domain::{CaseId, EventId, Timestamp};
use crate::platform::random::NoRandomness;
use crate::platform::{clock, random};

/// The time and randomness an operation may use.
pub trait Env {
    /// Now.
    fn now(&self) -> Timestamp;
    /// 32 fresh random bytes (ids, keys, salts and nonces are cut from them).
    fn random32(&self) -> Result<[u8; 32], NoRandomness>;

    /// A fresh event id.
    fn event_id(&self) -> Result<EventId, NoRandomness> {
        let r = self.random32()?;
        let mut b = [0u8; 16];
        b.copy_from_slice(&r[..16]);
        Ok(EventId::from_random(b))
    }

    /// A fresh case id.
    fn case_id(&self) -> Result<CaseId, NoRandomness> {
        let r = self.random32()?;
        let mut b = [0u8; 16];
        b.copy_from_slice(&r[..16]);
        Ok(CaseId::from_random(b))
    }
}

/// The browser's clock and `crypto.getRandomValues`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Browser;

impl Env for Browser {
    fn now(&self) -> Timestamp {
        clock::now()
    }

    fn random32(&self) -> Result<[u8; 32], NoRandomness> {
        random::random_bytes()
    }
}

//! Browser services, the one place that touches the browser beyond IndexedDB: the
//! clock, `crypto.getRandomValues`, timers, files chosen and offered, the page's own
//! address and build, storage persistence, and the worker that verifies imports.
//! Operations and screens ask here; the domain never does (time and randomness reach it
//! as arguments).

pub mod clock;
pub mod files;
pub mod page;
pub mod random;
pub mod storage;
pub mod worker;

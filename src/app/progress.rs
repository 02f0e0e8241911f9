//! How a long operation reports its progress and hears 取消: the screen's progress bar
//! implements this; tests implement it to cancel at a chosen step.

/// A long operation's progress.
pub trait Progress {
    /// The number of steps, once known.
    fn total(&self, total: usize);
    /// `done` steps finished.
    fn set(&self, done: usize);
    /// Whether the user asked to stop (checked between steps; what was written is undone).
    fn cancelled(&self) -> bool;
}

/// Progress nobody watches and nobody cancels.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unwatched;

impl Progress for Unwatched {
    fn total(&self, _: usize) {}
    fn set(&self, _: usize) {}
    fn cancelled(&self) -> bool {
        false
    }
}

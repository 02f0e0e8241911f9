//! Writing to a page's signals from work that ends after the clerk has left the page.

use leptos::prelude::{Set, Update};

/// Sets and updates a signal unless the page that owned it has gone. An operation (an
/// import, a save, a trust) runs to its end even when the clerk navigates away meanwhile;
/// what it would then show on the page is dropped instead of panicking on a disposed
/// signal, which would stop the whole app.
pub trait IfAlive<T> {
    /// Sets the value, if the signal still exists.
    fn set_if_alive(&self, value: T);
    /// Updates the value in place, if the signal still exists.
    fn update_if_alive(&self, f: impl FnOnce(&mut T));
}

impl<S, T> IfAlive<T> for S
where
    S: Set<Value = T> + Update<Value = T>,
{
    fn set_if_alive(&self, value: T) {
        let _ = self.try_set(value);
    }

    fn update_if_alive(&self, f: impl FnOnce(&mut T)) {
        let _ = self.try_update(f);
    }
}

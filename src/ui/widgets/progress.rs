//! The progress of a long operation (demo data, backup, restore, import): a bar, the
//! count, and 取消. The operation checks [`Progress::cancelled`] between steps and undoes
//! what it wrote, so a cancel never leaves half a result.

use leptos::prelude::*;

use crate::ui::late::IfAlive;

/// A long operation's progress; copy it into the task that runs the operation.
#[derive(Clone, Copy)]
pub struct Progress {
    done: RwSignal<usize>,
    total: RwSignal<usize>,
    cancel: RwSignal<bool>,
    running: RwSignal<bool>,
    /// What the numbers count, e.g. "件" or "MB".
    unit: &'static str,
}

impl Progress {
    /// A progress counting `unit`s, not yet running.
    pub fn new(unit: &'static str) -> Progress {
        Progress {
            done: RwSignal::new(0),
            total: RwSignal::new(0),
            cancel: RwSignal::new(false),
            running: RwSignal::new(false),
            unit,
        }
    }

    /// Starts an operation of `total` steps. False when one is already running.
    pub fn start(&self, total: usize) -> bool {
        if self.running.get_untracked() {
            return false;
        }
        self.cancel.set(false);
        self.done.set(0);
        self.total.set(total);
        self.running.set(true);
        true
    }

    /// Sets the total once it is known.
    pub fn total(&self, total: usize) {
        self.total.set_if_alive(total);
    }

    /// Records `done` steps finished.
    pub fn set(&self, done: usize) {
        self.done.set_if_alive(done);
    }

    /// Whether the user asked to stop (a closed page counts as asking).
    pub fn cancelled(&self) -> bool {
        self.cancel.try_get_untracked().unwrap_or(true)
    }

    /// Ends the operation: the bar goes away.
    pub fn stop(&self) {
        self.running.set_if_alive(false);
    }

    /// Whether an operation is running.
    pub fn running(&self) -> bool {
        self.running.get()
    }

    /// The bar with 取消, shown while running.
    pub fn view(self) -> impl IntoView {
        move || {
            self.running.get().then(|| {
                view! {
                    <div class="progress" data-testid="progress">
                        <progress max=move || self.total.get().max(1) value=move || self.done.get()></progress>
                        <span>{move || format!("{} / {} {}", self.done.get(), self.total.get(), self.unit)}</span>
                        <button type="button" class="secondary" prop:disabled=move || self.cancel.get() on:click=move |_| self.cancel.set(true)>"取消"</button>
                    </div>
                }
            })
        }
    }
}

impl crate::app::progress::Progress for Progress {
    fn total(&self, total: usize) {
        Progress::total(self, total);
    }

    fn set(&self, done: usize) {
        Progress::set(self, done);
    }

    fn cancelled(&self) -> bool {
        Progress::cancelled(self)
    }
}

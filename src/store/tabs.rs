//! Two tabs of the app on one database must not undo each other's work. A schema
//! upgrade opened in another tab closes this tab's connection (so the upgrade is not
//! blocked) and marks the store outdated, for the page to ask for a reload; every
//! committed write names its cases on a `BroadcastChannel`, and the other tab's
//! in-memory rows catch up from the database before they are next read.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_events::EventListener;
use indexed_db_futures::database::Database;
use indexed_db_futures::internals::SystemRepr;
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, IdbDatabase, MessageEvent};

use crate::domain::ids::CaseId;

/// What the other tabs wrote since the rows were last read here.
#[derive(Default)]
struct Inbox {
    /// Cases whose list rows changed.
    ids: Vec<String>,
    /// Many rows changed at once (a restore, generated data): reload them all.
    all: bool,
}

/// What the page asked to be told when another tab upgrades the database.
type Hook = Rc<RefCell<Option<Box<dyn Fn()>>>>;

/// The message that asks every other tab to reload all its rows.
const ALL: &str = "all";

/// This tab's link to the others on the same database.
pub(super) struct Tabs {
    channel: Option<BroadcastChannel>,
    inbox: Rc<RefCell<Inbox>>,
    outdated: Rc<Cell<bool>>,
    on_outdated: Hook,
    _listeners: Vec<EventListener>,
}

impl Tabs {
    /// Listens on `db` (named `name`) for upgrades and on its channel for other tabs'
    /// writes. Where the browser has no `BroadcastChannel`, the rows are this tab's own.
    pub(super) fn new(db: &Database, name: &str) -> Tabs {
        let inbox = Rc::new(RefCell::new(Inbox::default()));
        let outdated = Rc::new(Cell::new(false));
        let on_outdated: Hook = Rc::new(RefCell::new(None));
        let mut listeners = Vec::new();
        let sys: IdbDatabase = db.as_sys().clone().into();
        {
            let (outdated, hook, sys2) = (outdated.clone(), on_outdated.clone(), sys.clone());
            listeners.push(EventListener::new(&sys, "versionchange", move |_| {
                // Closing lets the other tab's upgrade go ahead; this tab's stale code
                // must not write into the new schema.
                sys2.close();
                outdated.set(true);
                if let Some(f) = hook.borrow().as_ref() {
                    f();
                }
            }));
        }
        let channel = BroadcastChannel::new(&format!("xinfang-store:{name}")).ok();
        if let Some(c) = &channel {
            let inbox = inbox.clone();
            listeners.push(EventListener::new(c, "message", move |e| {
                let Some(data) = e.dyn_ref::<MessageEvent>().map(MessageEvent::data) else {
                    return;
                };
                let items: Vec<String> = Array::from(&data)
                    .iter()
                    .filter_map(|v| v.as_string())
                    .collect();
                let mut inbox = inbox.borrow_mut();
                match items.split_first() {
                    Some((kind, _)) if kind == ALL => inbox.all = true,
                    Some((_, ids)) => inbox.ids.extend_from_slice(ids),
                    None => {}
                }
            }));
        }
        Tabs {
            channel,
            inbox,
            outdated,
            on_outdated,
            _listeners: listeners,
        }
    }

    fn post(&self, items: impl IntoIterator<Item = String>) {
        if let Some(c) = &self.channel {
            let message: Array = items.into_iter().map(JsValue::from).collect();
            // A tab that cannot be told reloads its rows on its next start anyway.
            let _ = c.post_message(&message);
        }
    }

    /// Tells the other tabs which cases' rows a committed write here changed.
    pub(super) fn rows_changed<'a>(&self, ids: impl Iterator<Item = &'a CaseId>) {
        let mut ids = ids.map(ToString::to_string).peekable();
        if ids.peek().is_some() {
            self.post(std::iter::once("rows".to_owned()).chain(ids));
        }
    }

    /// Tells the other tabs to reload every row.
    pub(super) fn all_changed(&self) {
        self.post([ALL.to_owned()]);
    }

    /// What the other tabs wrote since last asked: the cases named, and whether they
    /// changed so many that every row is to be read again.
    pub(super) fn take_news(&self) -> (Vec<String>, bool) {
        let Inbox { ids, all } = std::mem::take(&mut *self.inbox.borrow_mut());
        (ids, all)
    }

    /// True once another tab upgraded the database.
    pub(super) fn outdated(&self) -> bool {
        self.outdated.get()
    }

    /// Calls `f` when another tab upgrades the database.
    pub(super) fn on_outdated(&self, f: impl Fn() + 'static) {
        *self.on_outdated.borrow_mut() = Some(Box::new(f));
    }
}

impl Drop for Tabs {
    fn drop(&mut self) {
        // A closed store no longer hears or tells the other tabs.
        if let Some(c) = &self.channel {
            c.close();
        }
    }
}

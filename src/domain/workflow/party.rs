//! The units named in a case's workflow, and the unit asking which part is its own.

use serde::{Deserialize, Serialize};

use crate::domain::event::Actor;

/// A unit named in the workflow: by code when it works in the system, by name always.
/// A unit without a code works on paper; `proxy` is the unit that records its part.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// The unit's name.
    pub name: String,
    /// Its code, when it works in the system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The unit recording on its behalf, when it has no code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<String>,
}

/// The unit asking what is its to do: the unit this browser works for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer<'a> {
    /// Its code.
    pub code: &'a str,
    /// Its name.
    pub name: &'a str,
}

impl<'a> Viewer<'a> {
    /// The unit an actor records for.
    pub fn of(actor: &'a Actor) -> Viewer<'a> {
        Viewer {
            code: &actor.unit_code,
            name: &actor.unit_name,
        }
    }
}

impl Party {
    /// The unit an actor records for.
    pub fn of(actor: &Actor) -> Party {
        Party {
            name: actor.unit_name.clone(),
            code: Some(actor.unit_code.clone()),
            proxy: None,
        }
    }

    /// The unit a case is routed to, recorded by `router` while it has no code.
    pub(super) fn routed(to: &str, to_code: &Option<String>, router: &Actor) -> Party {
        Party {
            name: to.to_owned(),
            code: to_code.clone(),
            proxy: to_code.is_none().then(|| router.unit_code.clone()),
        }
    }

    /// Whether `v` is this unit.
    pub fn is(&self, v: Viewer) -> bool {
        match &self.code {
            Some(c) => c == v.code,
            None => self.name == v.name,
        }
    }

    /// Whether `v` records this unit's part: the unit itself, or its proxy.
    pub fn acts(&self, v: Viewer) -> bool {
        self.is(v) || self.proxy.as_deref() == Some(v.code)
    }
}

impl Party {
    /// The unit taking a review request recorded by `by`: the unit it names (working on
    /// paper, `by` recording for it), or `by` itself.
    pub(super) fn reviewing(reviewer: &str, by: &Actor) -> Party {
        match reviewer.trim() {
            "" => Party::of(by),
            name => Party {
                name: name.to_owned(),
                code: None,
                proxy: Some(by.unit_code.clone()),
            },
        }
    }
}

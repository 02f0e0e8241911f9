//! What the citizen's page works with: its own database and key, and the office it
//! submits to (embedded in an office's one-file page, or the config file beside it).

use std::rc::Rc;

use crate::exchange::citizen::page::{read_config, ConfigError, PageConfig, CONFIG_FILE};
use crate::exchange::envelope::Identity;
use crate::platform::page;
use crate::store::citizen::CitizenStore;

/// Reads the office this page submits to: embedded in an office's one-file page, or
/// the config file beside the hosted page.
pub(super) async fn load_config() -> Result<PageConfig, String> {
    let text = match page::embedded_config() {
        Some(text) => text,
        // A single file opened from disk has nothing beside it to read.
        None if page::single_file() => return Err(ConfigError::NotSet.to_string()),
        None => page::fetch_beside(CONFIG_FILE)
            .await
            .ok_or_else(|| ConfigError::NotSet.to_string())?,
    };
    read_config(&text).map_err(|e| e.to_string())
}

/// The page's own database and key.
pub(crate) struct Citizen {
    pub(crate) store: Rc<CitizenStore>,
    pub(crate) identity: Identity,
}

//! The page an office hands its citizens: the single-file build with the office's
//! config (its signed unit card and townships) embedded as a data block never run, and
//! the config itself, written by the office and read (verified) by the page.

use serde::{Deserialize, Serialize};

use crate::exchange::card::{seal_unit_card, UnitCard};
use crate::exchange::envelope::Identity;
use crate::exchange::error::BundleError;
use crate::exchange::read::read_unit_card;

/// The id of the element that carries a citizen page's config inside a single-file page.
pub const EMBEDDED_CONFIG_ID: &str = "xinfang-config";

/// Why a citizen's single-file page could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    /// The template is not the single-file build.
    #[error("不是本程序的单文件版页面，无法生成网上信访页面")]
    NotSingleFile,
    /// The template already belongs to an office.
    #[error("此页面已经是某个受理单位的网上信访页面，不能再次配置")]
    AlreadyConfigured,
}

/// A citizen's single-file page: the single-file build with the office's config (its
/// signed unit card and townships, JSON) embedded as a data block that is never run.
/// `<` is escaped inside the JSON, so no text in it can close the block.
pub fn citizen_page(single_file: &str, config_json: &str) -> Result<String, PageError> {
    if !single_file.contains("<meta name=\"xinfang-build\" content=\"single-file\">") {
        return Err(PageError::NotSingleFile);
    }
    if single_file.contains(&format!("id=\"{EMBEDDED_CONFIG_ID}\"")) {
        return Err(PageError::AlreadyConfigured);
    }
    let at = single_file
        .rfind("</body>")
        .ok_or(PageError::NotSingleFile)?;
    let block = format!(
        "<script type=\"application/json\" id=\"{EMBEDDED_CONFIG_ID}\">{}</script>\n",
        config_json.replace('<', "\\u003c")
    );
    Ok(format!(
        "{}{block}{}",
        &single_file[..at],
        &single_file[at..]
    ))
}

/// Name of the config file a hosted citizen's page reads beside its static files.
pub const CONFIG_FILE: &str = "xinfang-config.json";

/// The citizen page's config as written: the office's signed unit card (a whole bundle,
/// so the page verifies it) and the townships its form offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigFile {
    /// The office's signed unit card.
    pub office: serde_json::Value,
    /// The office's townships.
    #[serde(default)]
    pub townships: Vec<String>,
}

/// The office a citizen's page submits to, verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageConfig {
    /// The office's card, signed by its own key.
    pub office: UnitCard,
    /// The townships the form offers.
    pub townships: Vec<String>,
}

/// Why a citizen's page has no office to submit to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// No config beside the page, or not one of ours.
    #[error("本页面尚未配置受理单位（缺少或无法读取 {CONFIG_FILE}），暂时不能提交。请联系当地信访部门。")]
    NotSet,
    /// The office's card does not verify.
    #[error("配置文件中的受理单位名片无效：{0}")]
    BadCard(BundleError),
    /// The office's card has no encryption key: a petition could not be sent confidentially.
    #[error(
        "本页面的受理单位配置是旧版本，不能加密提交，暂时不能提交。请联系当地信访部门更新本页面。"
    )]
    Outdated,
}

/// The config of this office's citizen page, as JSON.
pub fn write_config(
    card: &UnitCard,
    identity: &Identity,
    townships: &[String],
) -> Result<String, BundleError> {
    let malformed = |e: serde_json::Error| BundleError::Malformed(e.to_string());
    let office = serde_json::from_str(&seal_unit_card(card, identity)?).map_err(malformed)?;
    let config = ConfigFile {
        office,
        townships: townships.to_vec(),
    };
    serde_json::to_string_pretty(&config).map_err(malformed)
}

/// Reads a citizen page's config, verifying the office's card.
pub fn read_config(text: &str) -> Result<PageConfig, ConfigError> {
    let config: ConfigFile = serde_json::from_str(text).map_err(|_| ConfigError::NotSet)?;
    let card = serde_json::to_vec(&config.office).map_err(|_| ConfigError::NotSet)?;
    let office = read_unit_card(&card).map_err(ConfigError::BadCard)?;
    if office.encryption().is_err() {
        return Err(ConfigError::Outdated);
    }
    Ok(PageConfig {
        office,
        townships: config.townships,
    })
}

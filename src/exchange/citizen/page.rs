//! The page an office hands its citizens: the single-file build with the office's
//! config (its signed unit card and townships) embedded as a data block never run.

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

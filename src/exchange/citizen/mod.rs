//! The citizen's files: a petition submitted online (signed by the citizen's own key,
//! addressed to one office), the office's reply, the citizen's feedback (rating or 复查
//! request), and the page an office hands its citizens. The 查询码 is derived from the
//! submission, so it needs no server.

pub mod feedback;
pub mod page;
pub mod reply;
pub mod submission;

#[cfg(test)]
mod tests;

//! 网上信访 at the office: many citizens' files imported at once. A submission becomes a
//! 网上 case with its 查询码 and attachments; a rating or 复查 request is recorded on the
//! case of its 查询码 if signed by the key that submitted it. Each file gets its own
//! outcome; one refused file does not stop the others.

use super::case::record_step_as;
use super::env::Env;
use super::error::AppError;
use crate::domain::calendar::WorkCalendar;
use crate::domain::ids::CaseId;
use crate::domain::unit::UnitProfile;
use crate::domain::workflow::{StepKind, Viewer};
use crate::exchange::citizen::feedback::{
    check_same_submitter, feedback_event_id, feedback_step, read_feedback,
};
use crate::exchange::citizen::submission::{office_petition, read_submission};
use crate::exchange::envelope::{open, PayloadType};
use crate::exchange::recipient::Decryptor;
use crate::store::{Store, StoreError};

/// A file refused, with the reason.
fn refused(e: &dyn std::fmt::Display) -> Outcome {
    Outcome::Refused(e.to_string())
}

/// What became of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Registered as a case: its id, number and the 查询码.
    Registered(CaseId, String, String),
    /// Recorded on a case: its id, number and what was recorded.
    Recorded(CaseId, String, String),
    /// Already imported: nothing changed.
    Skipped(String),
    /// Refused, with the reason: nothing stored.
    Refused(String),
}

/// Imports each `(name, bytes or why they were not read)`, decrypting with our key `me`;
/// the outcomes in order.
pub async fn import_files(
    store: &Store,
    env: &dyn Env,
    calendar: &WorkCalendar,
    profile: &UnitProfile,
    me: &Decryptor,
    files: Vec<(String, Result<Vec<u8>, String>)>,
) -> Vec<(String, Outcome)> {
    let mut out = Vec::new();
    for (name, bytes) in files {
        let outcome = match bytes {
            Err(why) => Outcome::Refused(why),
            Ok(bytes) => import_one(store, env, calendar, profile, me, &bytes)
                .await
                .unwrap_or_else(|o| o),
        };
        out.push((name, outcome));
    }
    out
}

async fn import_one(
    store: &Store,
    env: &dyn Env,
    calendar: &WorkCalendar,
    profile: &UnitProfile,
    me: &Decryptor,
    bytes: &[u8],
) -> Result<Outcome, Outcome> {
    if matches!(open(bytes), Ok(o) if o.kind == PayloadType::Feedback) {
        return import_feedback(store, env, calendar, profile, me, bytes).await;
    }
    let received = read_submission(bytes, &profile.code, me).map_err(|e| refused(&e))?;
    let now = env.now();
    let petition = office_petition(&received, now.china_date()).map_err(|e| refused(&e))?;
    let ids = || Ok::<_, AppError>((env.case_id()?, env.event_id()?, env.event_id()?));
    let ids = ids().map_err(|e| refused(&e))?;
    match store
        .register_submission(calendar, profile, &received, petition, now, ids)
        .await
    {
        Ok(state) => Ok(Outcome::Registered(
            state.id,
            state.case_no,
            received.query_code,
        )),
        Err(StoreError::AlreadyImported(no)) => {
            Err(Outcome::Skipped(format!("已导入过（案件 {no}），已跳过")))
        }
        Err(e) => Err(refused(&e)),
    }
}

/// Records a citizen's rating or 复查 request on the case of its 查询码, if it is signed
/// by the key that submitted the petition and the workflow allows it now.
async fn import_feedback(
    store: &Store,
    env: &dyn Env,
    calendar: &WorkCalendar,
    profile: &UnitProfile,
    me: &Decryptor,
    bytes: &[u8],
) -> Result<Outcome, Outcome> {
    let (feedback, signer) = read_feedback(bytes, &profile.code, me).map_err(|e| refused(&e))?;
    let code = feedback.query_code.clone();
    let unknown = || Outcome::Refused(format!("本机没有查询码为 {code} 的案件"));
    let rows = store
        .rows_where(|r| r.query_code.as_deref() == Some(code.as_str()))
        .await
        .map_err(|e| refused(&e))?;
    let row = rows.into_iter().next().ok_or_else(unknown)?;
    let state = store
        .case(&row.id)
        .await
        .map_err(|e| refused(&e))?
        .ok_or_else(unknown)?;
    let submission = state
        .submission
        .clone()
        .ok_or_else(|| Outcome::Refused("该案件不是网上信访件".into()))?;
    check_same_submitter(&submission.submitter_key, &signer).map_err(|e| refused(&e))?;
    let id = feedback_event_id(&feedback).map_err(|e| refused(&e))?;
    if state.events.iter().any(|e| e.id == id) {
        return Err(Outcome::Skipped(format!(
            "已导入过（案件 {}），已跳过",
            state.case_no
        )));
    }
    let actor = profile.actor();
    let reviewer =
        state
            .flow
            .reviewer_for(StepKind::RequestReview, Viewer::of(&actor), &profile.parent);
    let step = feedback_step(&feedback.feedback, env.now().china_date(), &reviewer);
    let what = step.kind().label();
    record_step_as(store, env, calendar, actor, &state, step, id)
        .await
        .map_err(|e| match e {
            AppError::Rule(rule) => Outcome::Refused(format!("不能记录：{rule}")),
            e => refused(&e),
        })?;
    Ok(Outcome::Recorded(
        state.id,
        state.case_no,
        format!("已记录{what}"),
    ))
}

//! Why: `carddesk request …` works the register from a terminal, and opening the whole desk
//! for that would open what a request does not need — the card cache (keyed from the keyring,
//! and held locked while the app runs) and the merchant profiles. [`RequestRegister`] is the
//! register with only what its changes need: the audit log each change is written to and the
//! operator who makes it. The rules, the audit entries and the errors are the desk's own
//! (`register.rs`), so a request changed from the terminal reads the same as one changed in
//! the window.

use std::path::Path;
use std::sync::Arc;

use desk_requests::RequestFilter;
use desk_requests::model::RequestDraft;

use super::register::Register;
use super::{RequestAction, RequestList, RequestView};
use crate::audit::{AuditLog, Operator};
use crate::error::DeskError;

/// The request register of a data dir (`<data dir>/requests`), on its own. The register is
/// opened on first use; while another Card Desk (the app or another `carddesk`) has it open,
/// every call is refused with an error that says so.
pub struct RequestRegister {
    register: Register,
    /// The log and who writes to it; `None` when opened only to read.
    writer: Option<(Arc<AuditLog>, Operator)>,
}

impl std::fmt::Debug for RequestRegister {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestRegister")
            .field(
                "operator",
                &self.writer.as_ref().map(|(_, o)| o.display_name.as_str()),
            )
            .finish_non_exhaustive()
    }
}

impl RequestRegister {
    /// The register, to be changed by `operator`, each change recorded in `audit`.
    pub fn new(data_dir: &Path, audit: Arc<AuditLog>, operator: Operator) -> RequestRegister {
        RequestRegister {
            register: Register::new(data_dir),
            writer: Some((audit, operator)),
        }
    }

    /// The register, to be read only (no audit log, so no keyring, is opened for it): a
    /// change is refused.
    pub fn reader(data_dir: &Path) -> RequestRegister {
        RequestRegister {
            register: Register::new(data_dir),
            writer: None,
        }
    }

    /// The team's register (team mode, docs/team.md) instead of this data dir's own: what
    /// `carddesk request` uses when the app's Settings → Team is set.
    pub fn in_team(
        self,
        settings: desk_team::TeamSettings,
        password: desk_team::TeamPassword,
    ) -> Self {
        self.register.use_team(Some((settings, password)));
        self
    }

    fn writer(&self) -> Result<(Arc<AuditLog>, Operator), DeskError> {
        self.writer
            .clone()
            .ok_or_else(|| DeskError::internal("the request register was opened to read only"))
    }

    /// As [`super::Desk::request_new`].
    pub async fn request_new(
        &self,
        draft: RequestDraft,
        utc_offset_minutes: Option<i32>,
    ) -> Result<RequestView, DeskError> {
        let (audit, operator) = self.writer()?;
        self.register
            .open_request(Ok(audit), operator, draft, utc_offset_minutes)
            .await
            .map(|(view, _)| view)
    }

    /// As [`super::Desk::requests`].
    pub async fn requests(
        &self,
        filter: RequestFilter,
        utc_offset_minutes: Option<i32>,
    ) -> Result<RequestList, DeskError> {
        self.register.list(filter, utc_offset_minutes).await
    }

    /// As [`super::Desk::request`].
    pub async fn request(
        &self,
        id: &str,
        utc_offset_minutes: Option<i32>,
    ) -> Result<RequestView, DeskError> {
        self.register.get(id, utc_offset_minutes).await
    }

    /// As [`super::Desk::request_act`].
    pub async fn request_act(
        &self,
        id: &str,
        version: u64,
        action: RequestAction,
        utc_offset_minutes: Option<i32>,
    ) -> Result<RequestView, DeskError> {
        let (audit, operator) = self.writer()?;
        self.register
            .act(Ok(audit), operator, id, version, action, utc_offset_minutes)
            .await
            .map(|(view, _)| view)
    }
}

//! Card Desk's core, shared by the desktop shell and the `carddesk` CLI. It knows the gateway
//! client and the product's rules, and nothing of Tauri: the shell's commands are one-line
//! adapters over [`Desk`].

mod about;
pub mod deep_link;
mod desk;
mod environment;
mod error;
mod lookup;
mod notice;
mod status;
mod ui_language;
mod update_check;
mod view;
mod words;

pub mod audit;
pub mod bulk;
pub mod cache;
pub mod claim;
pub mod crypto;
pub mod csv_cell;
pub mod harden;
pub mod instance;
pub mod profiles;
pub mod recent;
pub mod revoke;
pub mod secrets;
pub mod team_claim;

pub use about::{About, ShippedComponent};
pub use desk::{
    AccessDetails, BulkCard, BulkDraft, BulkRow, Desk, DeskConfig, ErasureDetails,
    ErasureSignatory, Exported, JobAction, JobPhase, JobView, ProducedDocument, RequestAction,
    RequestList, RequestRegister, RequestView, RowPage, TEAM_PASSWORD_ACCOUNT, TeamAuditEntry,
    TeamAuditPage, TeamBounds, TeamCheck, TeamPolicyView, TeamSetup, TeamView,
    WEBHOOK_SECRET_ACCOUNT, WriteBackView, document_file_name, saved_team_setup, ship_team_at,
    stored_team_password, verify_team_at,
};
/// The proof documents (PDF/A) a request ends in, and their digests.
pub use desk_documents as documents;
/// The ticket write-back's outbox (its views appear in [`WriteBackView`]).
pub use desk_outbox as outbox;
/// The register's own types (requests, deadlines, the calendar), as the desk answers with them.
pub use desk_requests as requests;
pub use desk_store::{lock, private_fs};
/// Team mode's database side (its errors appear as [`ErrorCode::Team`]).
pub use desk_team as team;
pub use environment::Environment;
pub use error::{DeskError, ErrorCode};
pub use lookup::{ConnectionCheck, Freshness, Lookup, ProfileLookup, Source, Verdict};
pub use notice::{NoticeKind, StartupNotice};
pub use revoke::{
    OpenIntent, Recovery, Revocation, RevokeAllItem, RevokeAllRequest, RevokeAllResult,
    RevokePolicy, RevokeRequest, RevokeStage, Revoker, StageObserver,
};
pub use status::{DeskStatus, PresetView, ProfileView, SecretStoreStatus};
pub use ui_language::UiLanguage;
pub use update_check::{CheckFailure, UpdateCheck, UpdateInstall};
pub use view::{ArtFormat, ArtRef, CardArt, CardView, ExpiryView, art_key, parse_art_key};
pub use words::Words;

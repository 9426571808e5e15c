//! Card Desk's core, shared by the desktop shell and the `carddesk` CLI. It knows the gateway
//! client and the product's rules, and nothing of Tauri: the shell's commands are one-line
//! adapters over [`Desk`].

mod desk;
mod disk_lane;
mod error;
mod group_sync;
mod lookup;
mod notice;
mod profile;
mod status;
mod sync;
mod view;

pub mod audit;
pub mod bulk;
pub mod cache;
pub mod claim;
pub mod crypto;
pub mod csv_cell;
pub mod harden;
pub mod instance;
pub mod private_fs;
pub mod profiles;
pub mod recent;
pub mod revoke;
pub mod secrets;

pub use desk::{
    BulkCard, BulkDraft, BulkRow, Desk, DeskConfig, JobAction, JobPhase, JobView, RowPage,
};
pub use error::{DeskError, ErrorCode};
pub use lookup::{ConnectionCheck, Lookup, ProfileLookup, Source, Verdict};
pub use notice::{NoticeKind, StartupNotice};
pub use profile::Environment;
pub use revoke::{
    OpenIntent, Recovery, Revocation, RevokeAllItem, RevokeAllRequest, RevokePolicy, RevokeRequest,
    RevokeStage, Revoker, StageObserver,
};
pub use status::{DeskStatus, PresetView, ProfileView, SecretStoreStatus};
pub use view::{ArtFormat, ArtRef, CardArt, CardView, ExpiryView, art_key, parse_art_key};

//! Card art, fetched by the Rust side only (docs/design.md §5): the gateway's
//! `assets[].assetData[].url` (docs/assist-api.md §4.2) points at some server on the internet, and
//! the webview must never load it itself. This crate fetches one such file under rules an auditor
//! can check:
//!
//! * **where** — `https://` only (plain `http://` only to a loopback host under the sandbox
//!   profile), no userinfo, redirects followed by hand (at most [`MAX_REDIRECTS`]) and checked
//!   like the first URL, and every address actually connected to checked by [`classify`]
//!   (no private, loopback, link-local, unique-local, CGNAT, multicast, unspecified,
//!   documentation or reserved addresses) — see [`ArtFetcher`];
//! * **how much, how long** — a byte cap enforced while streaming and a total time limit
//!   ([`ArtPolicy`]);
//! * **what** — the type is [`sniff`]ed from the bytes; the gateway's declared `mediaType` is only
//!   a hint (it contradicts itself: `image/pdf` vs `application/pdf`). SVG and HTML are refused,
//!   so nothing fetched can ever be rendered as a document that runs script.
//!
//! Failures are [`ArtError`]s with a stable [`ArtError::code`] and a message that names at most
//! the host, never the URL.

mod address;
mod error;
mod fetch;
mod policy;
mod resolver;
mod sniff;
mod target;

pub use address::{AddressClass, classify};
pub use error::{ArtError, RedirectProblem, UnsupportedReason};
pub use fetch::{Art, ArtFetcher, MAX_FETCHES, MAX_REDIRECTS};
pub use policy::ArtPolicy;
pub use sniff::{ArtKind, sniff};

//! Why: in team mode every desk keeps writing its own chain first (nothing waits on the
//! network, nothing is lost offline) and ships it to the team's trail (docs/team.md). This
//! file is the desk's half of that: [`TrailShipper`] reads the log after what the server
//! already holds — the server, not a local note, says what arrived, so a crash, a killed
//! database or a shipment sent twice can neither lose nor double an entry — and ships each
//! entry exactly as it was hashed; [`verify_team`] re-checks every desk's copy on the server
//! with the same verifier `carddesk audit verify` runs on a file, beside the server's own
//! check, and this desk's copy line by line against its log.

use std::path::{Path, PathBuf};

use desk_team::{ChainBreak, DeskId, ShipReport, Team, TeamError, TrailEntry};
use serde::Serialize;

use super::entry::LineFault;
use super::lines::{Lines, RawLine};
use super::mac::open_keyed;
use super::verify::Verifier;
use super::{AuditError, Trust, Verification};

/// Entries shipped in one transaction.
pub const SHIP_BATCH: usize = 500;
/// Lines read back from the server per page when verifying.
const VERIFY_PAGE: u32 = 5_000;

/// The desk's id in the team, made once per data dir and kept in it.
pub fn team_desk_id(data_dir: &Path) -> Result<DeskId, AuditError> {
    let path = data_dir.join("team-desk-id");
    match std::fs::read_to_string(&path) {
        Ok(text) => text.trim().parse().map_err(|_| AuditError::Io {
            path: path.clone(),
            detail:
                "is not a desk id (delete it to make a new one: this desk then ships as a new desk)"
                    .into(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let id = uuid::Uuid::new_v4();
            let write = || -> std::io::Result<()> {
                use std::io::Write;
                let mut options = std::fs::OpenOptions::new();
                desk_store::private_fs::owner_only(options.write(true).create_new(true));
                let mut file = options.open(&path)?;
                file.write_all(id.to_string().as_bytes())?;
                file.sync_all()
            };
            write().map_err(|e| AuditError::io(&path, &e))?;
            Ok(id)
        }
        Err(e) => Err(AuditError::io(&path, &e)),
    }
}

/// Why a shipment stopped.
#[derive(Debug, thiserror::Error)]
pub enum ShipError {
    #[error(transparent)]
    Team(#[from] TeamError),
    #[error(transparent)]
    Log(#[from] AuditError),
    #[error(
        "the team trail holds entry {server} of this desk, but its log ends at entry {local}: another desk ships under this desk's id, or this log was replaced (run `carddesk audit verify --team`)"
    )]
    AheadOfLog { server: u64, local: u64 },
    #[error(
        "the local audit log cannot be shipped past entry {after}: line {line} is not an intact entry (run `carddesk audit verify`)"
    )]
    Damaged { after: u64, line: u64 },
}

/// Where the trail stands after a shipment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Shipment {
    pub added: u64,
    pub repeats: u64,
    /// The highest entry number in the local log.
    pub local_last: u64,
    /// The highest entry number the team trail holds for this desk.
    pub shipped_through: u64,
}

impl Shipment {
    /// "Team trail behind by N entries".
    pub fn behind(&self) -> u64 {
        self.local_last.saturating_sub(self.shipped_through)
    }
}

/// Where reading can resume: the line of entry `seq` begins at byte `at` of the log's files
/// together, after `count` lines.
#[derive(Clone, Copy, Debug)]
struct Resume {
    seq: u64,
    at: u64,
    count: u64,
}

/// Ships one desk's log to the team trail, in order, from where the server stands.
#[derive(Debug)]
pub struct TrailShipper {
    desk: DeskId,
    log: PathBuf,
    resume: Option<Resume>,
}

/// Unshipped entries, and the log's last number.
struct Unshipped {
    entries: Vec<TrailEntry>,
    local_last: u64,
    resume: Option<Resume>,
}

impl TrailShipper {
    pub fn new(desk: DeskId, log: &Path) -> TrailShipper {
        TrailShipper {
            desk,
            log: log.to_owned(),
            resume: None,
        }
    }

    pub fn desk(&self) -> DeskId {
        self.desk
    }

    /// Ships everything the server lacks, [`SHIP_BATCH`] entries per transaction. Safe to
    /// repeat and to interrupt anywhere: each batch commits whole or not at all, and the
    /// next call starts from what the server holds. Each batch begins with the last entry
    /// the server already has, sent again: its repeat proves the trail's tip is this desk's
    /// own line, and a row slipped in under this desk's id stops shipping with the alarm.
    pub async fn ship(&mut self, team: &mut Team) -> Result<Shipment, ShipError> {
        let mut shipment = Shipment {
            shipped_through: team.shipped_up_to(self.desk).await?,
            ..Shipment::default()
        };
        loop {
            let after = shipment.shipped_through.saturating_sub(1);
            let (log, resume) = (self.log.clone(), self.resume);
            let read =
                tokio::task::spawn_blocking(move || unshipped(&log, resume, after, SHIP_BATCH + 1))
                    .await
                    .map_err(|e| AuditError::Io {
                        path: self.log.clone(),
                        detail: format!("reading the log stopped: {e}"),
                    })??;
            shipment.local_last = read.local_last;
            if read.local_last < shipment.shipped_through {
                return Err(ShipError::AheadOfLog {
                    server: shipment.shipped_through,
                    local: read.local_last,
                });
            }
            if read.resume.is_some() {
                self.resume = read.resume;
            }
            let Some(last) = read.entries.last().map(|e| e.seq) else {
                return Ok(shipment);
            };
            let ShipReport { added, repeats } = team.ship(self.desk, &read.entries).await?;
            shipment.added += added;
            shipment.repeats += repeats;
            if last <= shipment.shipped_through {
                return Ok(shipment);
            }
            shipment.shipped_through = last;
        }
    }
}

/// A line of the team trail as an entry, when it reads and its hash matches (its MAC is its
/// desk's to check).
pub fn read_trail_line(line: &str) -> Option<super::AuditEntry> {
    open_keyed(line.as_bytes(), None).0.ok()
}

/// The entry number a line starts with (`{"seq":N,`), read without parsing the line.
fn seq_of(line: &[u8]) -> Option<u64> {
    let rest = line.strip_prefix(b"{\"seq\":")?;
    let end = rest.iter().position(|b| !b.is_ascii_digit())?;
    std::str::from_utf8(&rest[..end]).ok()?.parse().ok()
}

/// Up to `max` entries after number `after`, and the log's last number. Starts at `resume`
/// when it is the line after `after` (a running desk), else reads from the start.
fn unshipped(
    log: &Path,
    resume: Option<Resume>,
    after: u64,
    max: usize,
) -> Result<Unshipped, ShipError> {
    let (mut lines, mut total) = match resume {
        Some(r) if r.seq == after + 1 => (Lines::open_at(log, r.at, r.count + 1)?, r.count),
        _ => (Lines::open(log)?, 0),
    };
    let io = |e: std::io::Error| ShipError::Log(AuditError::io(log, &e));
    let mut out = Unshipped {
        entries: Vec::new(),
        local_last: after,
        resume: None,
    };
    while let Some(line) = lines.next_line().map_err(io)? {
        total += 1;
        let Some(seq) = seq_of(line.bytes) else {
            // A cut-short fragment that a `log_repaired` entry acknowledges: not an entry.
            continue;
        };
        out.local_last = out.local_last.max(seq);
        if seq <= after || out.entries.len() >= max {
            continue;
        }
        // Its hash is checked here; its MAC (when the log is keyed) by the desk's own verify.
        let entry = match open_keyed(line.bytes, None).0 {
            Ok(e) if line.terminated => e,
            Ok(_) | Err(LineFault::Unreadable) | Err(LineFault::HashMismatch(_)) => {
                return Err(ShipError::Damaged {
                    after: out.entries.last().map_or(after, |e| e.seq),
                    line: line.number,
                });
            }
        };
        let at = time::OffsetDateTime::parse(
            &entry.time,
            &time::format_description::well_known::Rfc3339,
        )
        .map_err(|_| ShipError::Damaged {
            after,
            line: line.number,
        })?;
        out.entries.push(TrailEntry {
            seq,
            at,
            line: String::from_utf8_lossy(line.bytes).into_owned(),
            hash: entry.hash.clone(),
            prev: entry.prev.clone(),
            action: entry.action.as_str().to_owned(),
            operator: entry.operator.display_name.clone(),
            outcome: entry.outcome.map(|o| o.as_str().to_owned()),
            customer: entry.customer.clone(),
            request: entry.request.clone(),
        });
        out.resume = Some(Resume {
            seq,
            at: line.at,
            count: total - 1,
        });
    }
    Ok(out)
}

/// One desk's chain as the team trail holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamDeskCheck {
    pub desk: String,
    pub name: String,
    pub entries: u64,
    pub last_seq: u64,
    /// The server's own check (`carddesk.first_break`).
    pub server_break: Option<ServerBreak>,
    /// The desk's verifier run over the server's copy (hashes, links; no MACs: each desk's
    /// key is in its own keyring).
    pub replay: Verification,
    /// This desk only: the first entry whose server copy differs from the local log's line.
    pub differs_from_local: Option<u64>,
}

/// [`ChainBreak`] for output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerBreak {
    pub seq: u64,
    pub problem: String,
}

impl From<ChainBreak> for ServerBreak {
    fn from(b: ChainBreak) -> ServerBreak {
        ServerBreak {
            seq: b.seq,
            problem: b.problem,
        }
    }
}

impl TeamDeskCheck {
    pub fn intact(&self) -> bool {
        self.server_break.is_none() && self.replay.ok && self.differs_from_local.is_none()
    }
}

/// Checks every desk's chain in the team trail; `own` (this desk's id and log) is also
/// compared line by line with the log it was shipped from.
pub async fn verify_team(
    team: &Team,
    own: Option<(DeskId, &Path)>,
) -> Result<Vec<TeamDeskCheck>, ShipError> {
    let trust = Trust::unavailable(
        "the team trail is checked by its hashes (each desk's MAC key stays in its own keyring)",
    );
    let mut checks = Vec::new();
    for desk in team.desks().await? {
        let server_break = team.first_break(desk.id).await?.map(ServerBreak::from);
        let mut verifier = Verifier::new(&trust, None);
        let mut local = match own {
            Some((id, log)) if id == desk.id => Some(Lines::open(log)?),
            _ => None,
        };
        let mut differs_from_local = None;
        let (mut after, mut number, mut at) = (0u64, 0u64, 0u64);
        loop {
            let page = team.lines(desk.id, after, VERIFY_PAGE).await?;
            if page.is_empty() {
                break;
            }
            for line in &page {
                number += 1;
                verifier.feed(&RawLine {
                    number,
                    offset: at,
                    at,
                    bytes: line.line.as_bytes(),
                    terminated: true,
                });
                at += line.line.len() as u64 + 1;
                if differs_from_local.is_none()
                    && let Some(lines) = local.as_mut()
                    && !same_as_local(lines, line.seq, &line.line, log_of(own))?
                {
                    differs_from_local = Some(line.seq);
                }
                after = line.seq;
            }
        }
        checks.push(TeamDeskCheck {
            desk: desk.id.to_string(),
            name: desk.name,
            entries: desk.entries,
            last_seq: desk.last_seq,
            server_break,
            replay: verifier.finish(&trust),
            differs_from_local,
        });
    }
    Ok(checks)
}

fn log_of(own: Option<(DeskId, &Path)>) -> &Path {
    own.map_or(Path::new(""), |(_, p)| p)
}

/// Whether the local log's entry `seq` is exactly `shipped` (reading on from where the last
/// comparison stopped; the server's lines come in order).
fn same_as_local(
    lines: &mut Lines<std::fs::File>,
    seq: u64,
    shipped: &str,
    log: &Path,
) -> Result<bool, ShipError> {
    while let Some(line) = lines.next_line().map_err(|e| AuditError::io(log, &e))? {
        match seq_of(line.bytes) {
            Some(s) if s == seq => return Ok(line.bytes == shipped.as_bytes()),
            Some(s) if s > seq => return Ok(false),
            _ => {}
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::seq_of;

    #[test]
    fn the_number_is_read_from_the_line_head_only() {
        assert_eq!(seq_of(br#"{"seq":42,"time":"x"}"#), Some(42));
        assert_eq!(seq_of(br#"{"time":"x","seq":42}"#), None);
        assert_eq!(seq_of(b"{\"seq\":"), None);
        assert_eq!(seq_of(b"garbage"), None);
    }
}

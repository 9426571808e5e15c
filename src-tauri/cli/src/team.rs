//! `carddesk team ship` and `carddesk audit verify --team`: team mode from a terminal, on the
//! setup the app's Settings → Team saved in the data dir (docs/team.md). The login's password
//! comes from standard input, `CARDDESK_TEAM_PASSWORD` or the keyring, and is never printed.
//! Neither needs the app closed: they read the audit log and talk to the database only.

use std::io::BufRead;

use desk::team::TeamPassword;
use serde_json::json;

use crate::args::{AuditVerifyArgs, TeamArgs, TeamLoginArg};
use crate::exit::Status;
use crate::keyring::audit_keyring;
use crate::output;
use crate::revoke::data_dir;

/// Where the password comes from, in that order: stdin when asked, the variable, the keyring.
async fn password(login: &TeamLoginArg) -> Result<TeamPassword, String> {
    if login.team_password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|_| "password: could not read a line from standard input".to_owned())?;
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            return Err("password: the line on standard input is empty".into());
        }
        return Ok(TeamPassword::new(line));
    }
    if let Ok(p) = std::env::var("CARDDESK_TEAM_PASSWORD")
        && !p.is_empty()
    {
        return Ok(TeamPassword::new(p));
    }
    let store = tokio::task::spawn_blocking(audit_keyring)
        .await
        .map_err(|e| e.to_string())?
        .map_err(|why| {
            format!(
                "password: the keyring cannot be used ({why}); pass --team-password-stdin or set CARDDESK_TEAM_PASSWORD"
            )
        })?;
    desk::stored_team_password(store)
        .await
        .map_err(|e| e.message)?
        .ok_or_else(|| {
            "password: none stored for the team database (set it in Settings → Team, or pass --team-password-stdin)".into()
        })
}

/// The data dir and the team password both commands start from.
async fn start(
    data: &crate::args::DataDirArg,
    login: &TeamLoginArg,
    json: bool,
) -> Result<(std::path::PathBuf, TeamPassword), Status> {
    let dir = data_dir(data).map_err(|m| output::invalid(&m, json))?;
    let password = password(login)
        .await
        .map_err(|m| output::invalid(&m, json))?;
    Ok((dir, password))
}

pub async fn ship(args: TeamArgs) -> Status {
    let (dir, password) = match start(&args.data, &args.login, args.json).await {
        Ok(s) => s,
        Err(status) => return status,
    };
    match desk::ship_team_at(&dir, &password).await {
        Ok(s) => {
            if args.json {
                output::print_json(&json!({ "shipment": s, "behind": s.behind() }));
            } else {
                say!(
                    "team trail: {} new entries shipped ({} already there); it holds this desk's entries up to {} of {}",
                    s.added,
                    s.repeats,
                    s.shipped_through,
                    s.local_last
                );
            }
            Status::Ok
        }
        Err(e) => output::desk_error(&e, args.json),
    }
}

pub async fn verify(args: AuditVerifyArgs) -> Status {
    let (dir, password) = match start(&args.data, &args.login, args.json).await {
        Ok(s) => s,
        Err(status) => return status,
    };
    let checks = match desk::verify_team_at(&dir, &password).await {
        Ok(c) => c,
        Err(e) => return output::desk_error(&e, args.json),
    };
    let intact = checks.iter().all(|c| c.intact());
    if args.json {
        output::print_json(&json!({ "team": checks, "intact": intact }));
    } else {
        if checks.is_empty() {
            say!("team trail: no desk has shipped to it yet");
        }
        for c in &checks {
            if c.intact() {
                say!(
                    "team trail, desk {} ({}): intact, {} entries, last hash {}",
                    c.name,
                    c.desk,
                    c.entries,
                    c.replay.last_hash
                );
            } else {
                say_err!("team trail, desk {} ({}): BROKEN", c.name, c.desk);
                if let Some(b) = &c.server_break {
                    say_err!("  the server's check: entry {}: {}", b.seq, b.problem);
                }
                if let Some(b) = &c.replay.first_broken {
                    say_err!("  this verifier: entry {}: {}", b.expected_seq, b.message);
                }
                if let Some(seq) = c.differs_from_local {
                    say_err!("  entry {seq} on the server is not this desk's line {seq}");
                }
            }
        }
    }
    if intact { Status::Ok } else { Status::Broken }
}

//! `carddesk audit verify | export | recover`: the audit log from a terminal. `verify` and
//! `export` only read (a cut-short last line is reported, never repaired); `recover` settles
//! intents left open by re-reading card lists and never sends a removal.

use std::path::Path;

use desk::audit::{
    self, AcceptedLog, AuditLog, ExportFormat, LogKeyring, Mark, Operator, Trust, Verification,
    audit_path,
};
use serde_json::json;

use crate::args::{AuditArchiveArgs, AuditExportArgs, AuditRecoverArgs, AuditVerifyArgs};
use crate::exit::Status;
use crate::keyring::audit_keyring;
use crate::output;
use crate::revoke::{data_dir, one_off, recover as settle};

pub fn verify(args: AuditVerifyArgs) -> Status {
    let dir = match data_dir(&args.data) {
        Ok(d) => d,
        Err(m) => return output::invalid(&m, args.json),
    };
    let expect = args.expect.as_deref().map(str::trim);
    if let Some(h) = expect.filter(|h| h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit())) {
        return output::invalid(
            &format!(
                "expect: must be an entry hash, 64 hex digits (got {} characters)",
                h.len()
            ),
            args.json,
        );
    }
    let path = audit_path(&dir);
    let keyring = audit_keyring().map(|store| LogKeyring::for_log(store, &path));
    let trust = || match &keyring {
        Ok(k) => Trust::read(k),
        Err(why) => Trust::unavailable(why),
    };
    if let Some(name) = &args.segment {
        return verify_segment(&path, name, trust(), args.json);
    }
    if let Some(dest) = &args.archive {
        return verify_archive(&path, dest, trust(), args.json);
    }
    let mut accepted = None;
    if args.accept_new_log {
        let k = match &keyring {
            Ok(k) => k,
            Err(why) => {
                let m = format!("--accept-new-log needs the system keyring: {why}");
                return output::failure(Status::Local, "audit_log", &m, args.json);
            }
        };
        match audit::accept_new_log(&path, k) {
            Ok(a) => accepted = Some(a),
            Err(e) => {
                return output::failure(Status::Local, "audit_log", &e.to_string(), args.json);
            }
        }
    }
    let trust = trust();
    let v = match audit::verify_file_with(&path, &trust, expect) {
        Ok(v) => v,
        Err(e) => return output::failure(Status::Local, "audit_log", &e.to_string(), args.json),
    };
    let missing = v.expected.as_ref().is_some_and(|x| !x.found);
    // No file and no mark saying there was one: nothing was ever recorded here. "intact, 0
    // entries" would read as a checked log (a wrong --data-dir, say), so it is said plainly.
    let exists = path.exists();
    if args.json {
        output::print_json(&json!({
            "path": path,
            "exists": exists,
            "verification": v,
            "accepted": accepted
        }));
    } else if !exists && v.ok && accepted.is_none() {
        say!(
            "audit log {}: there is no audit log here: nothing has been recorded with this \
             data directory (is --data-dir right?)",
            path.display()
        );
    } else {
        print_text(&path, &v, accepted.as_ref());
    }
    if v.ok && !missing {
        Status::Ok
    } else {
        Status::Broken
    }
}

fn mark_text(mark: Option<&Mark>) -> String {
    mark.map_or_else(
        || "none".to_owned(),
        |m| format!("entry {} ({})", m.seq, m.hash),
    )
}

fn print_text(path: &Path, v: &Verification, accepted: Option<&AcceptedLog>) {
    if let Some(a) = accepted {
        say!(
            "accepted the log as it is: the keyring's high-water mark was {}, it is now {}",
            mark_text(a.previous.as_ref()),
            mark_text(a.now.as_ref())
        );
    }
    if let Some(b) = &v.first_broken {
        say_err!(
            "audit log {}: BROKEN at line {} ({}): {}",
            path.display(),
            b.line,
            b.seq
                .map_or_else(|| "unreadable".to_owned(), |s| format!("entry {s}")),
            b.message
        );
    } else {
        say!(
            "audit log {}: intact, {} entries, last hash {}",
            path.display(),
            v.entries,
            v.last_hash
        );
        for r in &v.repaired {
            say!(
                "  line {} ({} bytes) was cut short by a crash; acknowledged by entry {}",
                r.line,
                r.length,
                r.repaired_by
            );
        }
        if !v.open_intents.is_empty() {
            say!(
                "  intents without an outcome (run `carddesk audit recover`): {:?}",
                v.open_intents
            );
        }
    }
    for w in &v.clock_warnings {
        say!("  warning: {w}");
    }
    if let Some(k) = &v.keyed {
        if k.mac_checked {
            say!("  MAC checked: {} entries match", k.macs_valid);
        }
        if let (true, Some(m)) = (k.mark_checked, &k.mark) {
            say!("  high-water mark in the keyring: entry {}", m.seq);
        }
        for note in &k.notes {
            say!("  {note}");
        }
    }
    if let Some(x) = &v.expected {
        match x.seq {
            Some(seq) => say!(
                "  expected entry {} is entry {seq} of the intact chain",
                x.hash
            ),
            None => say_err!(
                "audit log {}: the expected entry {} is NOT in the intact chain",
                path.display(),
                x.hash
            ),
        }
    }
}

/// `verify --segment NAME`: one closed segment alone.
fn verify_segment(path: &Path, name: &str, trust: Trust, json: bool) -> Status {
    let v = match audit::verify_segment(path, name, trust) {
        Ok(v) => v,
        Err(e) => return output::failure(Status::Local, "audit_log", &e.to_string(), json),
    };
    if json {
        output::print_json(&json!({ "path": path, "segment": name, "verification": v }));
    } else {
        let segment = audit::segments_dir(path).join(name);
        print_text(&segment, &v, None);
    }
    if v.ok { Status::Ok } else { Status::Broken }
}

/// `verify --archive DEST`: the archive against the live log's `archived` entries, and the
/// live log itself.
fn verify_archive(path: &Path, dest: &Path, trust: Trust, json: bool) -> Status {
    let check = match audit::verify_archive(path, dest, trust) {
        Ok(c) => c,
        Err(e) => return output::failure(Status::Local, "audit_log", &e.to_string(), json),
    };
    if json {
        output::print_json(&json!({ "path": path, "archive": check }));
    } else {
        if check.segments.is_empty() {
            say!(
                "archive {}: the audit log {} records no archived segments",
                dest.display(),
                path.display()
            );
        }
        for f in &check.segments {
            match &f.problem {
                None => say!(
                    "archive {}: {} (entries {}–{}) intact, as recorded by entry {}",
                    dest.display(),
                    f.name,
                    f.first_seq,
                    f.last_seq,
                    f.recorded_by
                ),
                Some(p) => say_err!(
                    "archive {}: {} (entries {}–{}, recorded by entry {}) is BROKEN: {p}",
                    dest.display(),
                    f.name,
                    f.first_seq,
                    f.last_seq,
                    f.recorded_by
                ),
            }
        }
    }
    if check.ok { Status::Ok } else { Status::Broken }
}

/// `carddesk audit archive --older-than 3y DEST`.
pub fn archive(args: AuditArchiveArgs) -> Status {
    let cutoff = match audit::cutoff(&args.older_than) {
        Ok(c) => c,
        Err(m) => return output::invalid(&m, args.json),
    };
    let dir = match data_dir(&args.data) {
        Ok(d) => d,
        Err(m) => return output::invalid(&m, args.json),
    };
    let operator = Operator::from_env(args.operator_name.as_deref());
    let log = match AuditLog::open_anchored(&dir, &operator, audit_keyring()) {
        Ok(l) => l,
        Err(e) => return output::failure(Status::Local, "audit_log", &e.to_string(), args.json),
    };
    let report = log.archive(&operator, &cutoff, &args.dest);
    log.sync_mark();
    let report = match report {
        Ok(r) => r,
        Err(e) => return output::failure(Status::Local, "audit_log", &e.to_string(), args.json),
    };
    if args.json {
        output::print_json(&json!({ "path": log.path(), "archive": report }));
    } else if report.segments.is_empty() {
        say!(
            "no closed segment of {} ends before {cutoff}: nothing archived",
            log.path().display()
        );
    } else {
        for s in &report.segments {
            say!(
                "archived {} (entries {}–{}, last hash {})",
                s.name,
                s.first_seq,
                s.last_seq,
                s.last_hash
            );
        }
        if let Some(e) = &report.entry {
            say!(
                "recorded as entry {} ({}) in the live log; check the archive with `carddesk                  audit verify --archive {}`",
                e.seq,
                e.hash,
                args.dest.display()
            );
        }
    }
    Status::Ok
}

pub fn export(args: AuditExportArgs) -> Status {
    let Some(format) = ExportFormat::parse(&args.format) else {
        return output::invalid("format: must be csv or json", false);
    };
    let dir = match data_dir(&args.data) {
        Ok(d) => d,
        Err(m) => return output::invalid(&m, false),
    };
    let path = audit_path(&dir);
    let written = audit::create_export(&args.out).and_then(|file| {
        let mut out = std::io::BufWriter::new(file);
        let n = audit::export_file(&path, format, &mut out)?;
        audit::finish_export(&args.out, out)?;
        Ok(n)
    });
    match written {
        Ok(n) => {
            say!("exported {n} entries to {}", args.out.display());
            Status::Ok
        }
        Err(e) => output::failure(Status::Local, "audit_log", &e.to_string(), false),
    }
}

pub async fn recover(args: AuditRecoverArgs) -> Status {
    let one_off = match one_off(
        &args.connection,
        args.environment.as_deref(),
        args.operator_name.as_deref(),
        &args.data,
    ) {
        Ok(o) => o,
        Err((status, message)) => {
            return output::failure(status, "validation", &message, args.json);
        }
    };
    let recovery = match settle(&one_off).await {
        Ok(r) => r,
        Err(e) => return output::desk_error(&e, args.json),
    };
    if args.json {
        output::print_json(&json!({ "recovery": recovery }));
    } else if recovery.recovered.is_empty() && recovery.left_open.is_empty() {
        say!("no open intents for this gateway and merchant");
    } else {
        say!(
            "{} settled, {} left open",
            recovery.recovered.len(),
            recovery.left_open.len()
        );
    }
    if recovery.left_open.is_empty() {
        Status::Ok
    } else {
        Status::Transport
    }
}

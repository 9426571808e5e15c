//! `carddesk audit verify | export | recover`: the audit log from a terminal. `verify` and
//! `export` only read (a cut-short last line is reported, never repaired); `recover` settles
//! intents left open by re-reading card lists and never sends a removal.

use desk::audit::{self, ExportFormat, audit_path};
use serde_json::json;

use crate::args::{AuditExportArgs, AuditRecoverArgs, AuditVerifyArgs};
use crate::exit::Status;
use crate::output;
use crate::revoke::{data_dir, one_off, recover as settle};

pub fn verify(args: AuditVerifyArgs) -> Status {
    let dir = match data_dir(&args.data) {
        Ok(d) => d,
        Err(m) => return output::invalid(&m, args.json),
    };
    let path = audit_path(&dir);
    let v = match audit::verify_file(&path) {
        Ok(v) => v,
        Err(e) => return output::failure(Status::Local, "audit_log", &e.to_string(), args.json),
    };
    if args.json {
        output::print_json(&json!({ "path": path, "verification": v }));
    } else if let Some(b) = &v.first_broken {
        eprintln!(
            "audit log {}: BROKEN at line {} ({}): {}",
            path.display(),
            b.line,
            b.seq
                .map_or_else(|| "unreadable".to_owned(), |s| format!("entry {s}")),
            b.message
        );
    } else {
        println!(
            "audit log {}: intact, {} entries, last hash {}",
            path.display(),
            v.entries,
            v.last_hash
        );
        for r in &v.repaired {
            println!(
                "  line {} ({} bytes) was cut short by a crash; acknowledged by entry {}",
                r.line, r.length, r.repaired_by
            );
        }
        if !v.open_intents.is_empty() {
            println!(
                "  intents without an outcome (run `carddesk audit recover`): {:?}",
                v.open_intents
            );
        }
    }
    if v.ok { Status::Ok } else { Status::Broken }
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
            println!("exported {n} entries to {}", args.out.display());
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
        println!("no open intents for this gateway and merchant");
    } else {
        println!(
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

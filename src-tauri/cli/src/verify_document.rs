//! `carddesk audit verify-document FILE`: years after a request, someone holds a PDF (or the
//! log export's CSV) and asks whether it is the one the desk produced. Its SHA-256 was written
//! into the audit chain when it was made (`request_event` "document: … sha256 …"); this finds
//! that entry, checks the chain is intact, and says which request and when — or that no such
//! document was recorded here, which also means a changed file.

use serde_json::json;

use desk::audit::{AuditAction, audit_path, first_break, read_entries};

use crate::args::AuditVerifyDocumentArgs;
use crate::exit::Status;
use crate::output;
use crate::revoke::data_dir;

pub fn run(args: AuditVerifyDocumentArgs) -> Status {
    let json = args.json;
    let dir = match data_dir(&args.data) {
        Ok(d) => d,
        Err(m) => return output::invalid(&m, json),
    };
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            return output::invalid(
                &format!("file: {} cannot be read: {e}", args.file.display()),
                json,
            );
        }
    };
    let digest = desk::documents::sha256_hex(&bytes);
    let path = audit_path(&dir);
    let entries = match read_entries(&path) {
        Ok(e) => e,
        Err(e) => return output::failure(Status::Local, "audit_log", &e.to_string(), json),
    };
    let suffix = format!(" sha256 {digest}");
    let found = entries.iter().find(|e| {
        e.action == AuditAction::RequestEvent
            && e.detail
                .as_deref()
                .is_some_and(|d| d.starts_with("document: ") && d.ends_with(&suffix))
    });
    let Some(entry) = found else {
        let message = format!(
            "{} (SHA-256 {digest}) is not a document recorded in this audit log: it was not \
             produced by this desk, or it was changed since",
            args.file.display()
        );
        if json {
            output::print_json(&json!({ "recorded": false, "sha256": digest }));
        } else {
            say_err!("{message}");
        }
        return Status::Broken;
    };
    let intact = matches!(first_break(&path), Ok(None));
    let what = entry
        .detail
        .as_deref()
        .and_then(|d| d.strip_prefix("document: "))
        .and_then(|d| d.strip_suffix(suffix.as_str()))
        .unwrap_or_default();
    if json {
        output::print_json(&json!({
            "recorded": true,
            "sha256": digest,
            "document": what,
            "request": entry.request,
            "ticket": entry.ticket,
            "time": entry.time,
            "operator": entry.operator,
            "auditSeq": entry.seq,
            "auditHash": entry.hash,
            "chainIntact": intact,
        }));
    } else {
        say!(
            "{} is the {what} produced for request {} at {} by {} (audit entry {}, hash {})",
            args.file.display(),
            entry.request.as_deref().unwrap_or("?"),
            entry.time,
            entry.operator.display_name,
            entry.seq,
            entry.hash
        );
        if intact {
            say!("the audit chain is intact");
        }
    }
    if intact {
        Status::Ok
    } else {
        say_err!("the audit chain is broken: run `carddesk audit verify` to see where");
        Status::Broken
    }
}

//! `carddesk`: the Assist sandbox, card lookup, revocation, the audit log and the register of
//! customers' requests from a terminal.
//! Exit status: 0 success (an empty card list is a success), 1 `audit verify` found a break,
//! 2 invalid input (nothing was sent), 3 gateway fault, 4 transport error or unknown outcome,
//! 5 the audit log could not be used.

#[macro_use]
mod terminal;

mod args;
mod audit;
mod bulk;
mod exit;
mod gateway;
mod keyring;
mod output;
mod request;
mod request_document;
mod request_view;
mod revoke;
mod secret;
mod serve;
mod team;
mod verify_document;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{AuditCommand, BulkCommand, Cli, Command, TeamCommand};

fn main() -> ExitCode {
    // Before the runtime's threads and before any secret is read (see desk::harden).
    if let Err(e) = desk::harden::harden_process() {
        say_err!("carddesk: warning: {e}");
    }
    // The local zone's offset, read while this is the only thread (the request register's
    // "today"); None when the system cannot say, and then UTC.
    let local_offset = time::UtcOffset::current_local_offset()
        .ok()
        .map(|o| i32::from(o.whole_minutes()));
    run(local_offset)
}

#[tokio::main]
async fn run(local_offset: Option<i32>) -> ExitCode {
    let cli = Cli::parse();
    let status = match cli.command {
        Command::Sandbox(a) => serve::run(a).await,
        Command::Cards(a) => gateway::cards(a).await,
        Command::Revoke(a) => revoke::revoke(a).await,
        Command::Audit(AuditCommand::Verify(a)) if a.team => team::verify(a).await,
        Command::Audit(AuditCommand::Verify(a)) => audit::verify(a),
        Command::Audit(AuditCommand::Export(a)) => audit::export(a),
        Command::Audit(AuditCommand::Recover(a)) => audit::recover(a).await,
        Command::Audit(AuditCommand::Archive(a)) => audit::archive(a),
        Command::Audit(AuditCommand::VerifyDocument(a)) => verify_document::run(a),
        Command::Bulk(BulkCommand::Plan(a)) => bulk::plan(a).await,
        Command::Bulk(BulkCommand::Run(a)) => bulk::run(a).await,
        Command::Bulk(BulkCommand::Resume(a)) => bulk::resume(a).await,
        Command::Request(c) => request::run(c, local_offset).await,
        Command::Team(TeamCommand::Ship(a)) => team::ship(a).await,
    };
    ExitCode::from(status as u8)
}

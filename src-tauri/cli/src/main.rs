//! `carddesk`: the Assist sandbox, card lookup and revocation from a terminal. Exit status:
//! 0 success (an empty card list is a success), 2 invalid input (nothing was sent),
//! 3 gateway fault, 4 transport error or unknown outcome.

mod args;
mod exit;
mod gateway;
mod output;
mod secret;
mod serve;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let status = match cli.command {
        Command::Sandbox(a) => serve::run(a).await,
        Command::Cards(a) => gateway::cards(a).await,
        Command::Revoke(a) => gateway::revoke(a).await,
    };
    ExitCode::from(status as u8)
}

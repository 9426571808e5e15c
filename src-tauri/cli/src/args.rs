//! The command line's shape. The password is never an argument (it would show in `ps` and
//! shell history): it comes from `CARDDESK_PASSWORD` or `--password-stdin`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "carddesk",
    version,
    about = "Card Desk: saved cards at IPS Assist, from a terminal"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the Assist-compatible sandbox; prints `listening on http://ADDR` first.
    Sandbox(SandboxArgs),
    /// List a customer's saved cards.
    Cards(CardsArgs),
    /// Remove one saved card (token) of a customer, then re-check the list.
    Revoke(RevokeArgs),
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Seed file with merchants, users and customers (default: the built-in demo seed).
    #[arg(long)]
    pub seed: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct GatewayArgs {
    /// Gateway base URL, e.g. https://payments.demo.paysecure.ru (http only on loopback).
    #[arg(long)]
    pub server: String,
    /// Merchant id (digits).
    #[arg(long)]
    pub merchant_id: String,
    /// Web-service user login.
    #[arg(long)]
    pub login: String,
    /// Read the password from the first line of standard input instead of CARDDESK_PASSWORD.
    #[arg(long)]
    pub password_stdin: bool,
    /// The merchant's customer number.
    #[arg(long)]
    pub customer: String,
    /// Language of gateway messages: RU or EN.
    #[arg(long)]
    pub language: Option<String>,
    /// Print machine-readable JSON (see docs/cli-json.md).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CardsArgs {
    #[command(flatten)]
    pub gateway: GatewayArgs,
}

#[derive(Debug, Args)]
pub struct RevokeArgs {
    #[command(flatten)]
    pub gateway: GatewayArgs,
    /// The card token to remove (8-4-4-4-12 hex), exactly as `cards` printed it.
    #[arg(long)]
    pub token: String,
}

//! Why: team mode is tested against a real PostgreSQL, not a mock (issue 17): each test run
//! starts a private cluster — `initdb` in a temp dir, `pg_ctl` on a free loopback port with
//! password logins (SCRAM) — and stops it when dropped. PostgreSQL refuses to run as root, so
//! under root (as CI runs) the cluster belongs to the `postgres` user the Debian package
//! creates, and its commands run through `runuser`. The binaries are found in
//! `$CARDDESK_PG_BIN`, else the newest `/usr/lib/postgresql/*/bin` (Debian, Ubuntu), else
//! `PATH`. Only for tests (the `test-cluster` feature).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{TeamPassword, TeamSettings};

/// The cluster owner's login (a superuser) and its password.
pub const OWNER: &str = "carddesk_owner";
pub const OWNER_PASSWORD: &str = "owner-Secret-4711";
/// The database the tests' team lives in.
pub const DATABASE: &str = "carddesk";

/// A running private cluster.
#[derive(Debug)]
pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    /// `Some("postgres")` when running as root.
    run_as: Option<&'static str>,
}

impl Cluster {
    /// initdb, start, and create the team's database. Panics with what is missing.
    pub fn start() -> Cluster {
        let bin = pg_bin();
        let run_as = is_root().then_some("postgres");
        // Under root the cluster's owner is `postgres`, who must reach the dir: /tmp, whatever
        // TMPDIR says (a private temp dir would lock it out).
        let base = match run_as {
            Some(_) => std::path::PathBuf::from("/tmp"),
            None => std::env::temp_dir(),
        };
        let dir = tempfile::Builder::new()
            .prefix("carddesk-pg-")
            .tempdir_in(base)
            .expect("a temp dir for the cluster");
        let pwfile = dir.path().join("owner.pw");
        std::fs::write(&pwfile, OWNER_PASSWORD).expect("write the owner's password file");
        if let Some(user) = run_as {
            let ok = Command::new("chown")
                .args(["-R", &format!("{user}:"), &dir.path().to_string_lossy()])
                .status()
                .is_ok_and(|s| s.success());
            assert!(
                ok,
                "chown the cluster dir to {user} (is the postgresql package installed?)"
            );
        }
        let port = free_port();
        let cluster = Cluster {
            dir,
            bin,
            port,
            run_as,
        };
        let data = cluster.data();
        cluster.run(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                OWNER,
                "--auth=scram-sha-256",
                &format!("--pwfile={}", pwfile.display()),
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",
            ],
        );
        cluster.up();
        cluster.owner_sql("postgres", &format!("CREATE DATABASE {DATABASE}"));
        cluster
    }

    fn data(&self) -> String {
        self.dir.path().join("data").to_string_lossy().into_owned()
    }

    /// Starts the cluster (again, after [`Cluster::kill`] or [`Cluster::stop`]) and waits
    /// until it takes connections.
    pub fn up(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c shared_buffers=16MB -c max_connections=40",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("server.log");
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-l",
                &log.to_string_lossy(),
                "-w",
                "-t",
                "60",
                "-o",
                &options,
                "start",
            ],
        );
    }

    /// Kills the server as a crash would (`pg_ctl stop -m immediate`): no shutdown
    /// checkpoint, connections cut mid-statement.
    pub fn kill(&self) {
        self.run(
            "pg_ctl",
            &["-D", &self.data(), "-m", "immediate", "-w", "stop"],
        );
    }

    /// Stops the server cleanly.
    pub fn stop(&self) {
        self.run("pg_ctl", &["-D", &self.data(), "-m", "fast", "-w", "stop"]);
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Settings for `user` on the team's database over loopback TCP.
    pub fn settings(&self, user: &str) -> TeamSettings {
        TeamSettings {
            host: "127.0.0.1".into(),
            port: self.port,
            database: DATABASE.into(),
            user: user.into(),
        }
    }

    pub fn owner_settings(&self) -> TeamSettings {
        self.settings(OWNER)
    }

    pub fn owner_password() -> TeamPassword {
        TeamPassword::new(OWNER_PASSWORD)
    }

    /// Runs SQL as the owner through `psql` (for setting up roles and grants).
    pub fn owner_sql(&self, database: &str, sql: &str) {
        let mut cmd = self.command("psql");
        cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p"])
            .arg(self.port.to_string())
            .args(["-U", OWNER, "-d", database, "-c", sql])
            .env("PGPASSWORD", OWNER_PASSWORD);
        let out = cmd.output().expect("run psql");
        assert!(
            out.status.success(),
            "psql {sql:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The server's log so far (for a failing test's message).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    fn command(&self, tool: &str) -> Command {
        let path = self.bin.join(tool);
        match self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(path);
                c
            }
            None => Command::new(path),
        }
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let out = self
            .command(tool)
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap_or_else(|e| panic!("run {tool}: {e}"));
        assert!(
            out.status.success(),
            "{tool} {args:?} failed: {}{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            self.log()
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .args(["-D", &self.data(), "-m", "immediate", "-w", "stop"])
            .output();
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn pg_bin() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARDDESK_PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    if let Some((_, bin)) = found.pop() {
        return bin;
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).find(|d| Path::new(d).join("initdb").exists()))
        .unwrap_or_default();
    on_path.unwrap_or_else(|| {
        panic!(
            "PostgreSQL's server programs (initdb, pg_ctl) were not found: install the \
             `postgresql` package (scripts/install-deps.sh does) or set CARDDESK_PG_BIN"
        )
    })
}

//! Why: docs/design.md §7 holds Card Desk's start-up to 1.3× a bare Tauri window on the same
//! machine. This starts both release binaries in turn (alternating, to spread the machine's
//! noise over both), each on a fresh profile and on a large one (10,000 recent customers,
//! 100,000 audit entries), timing spawn → first painted view, and reports medians, their
//! ratio, the binaries' sizes and their idle memory as a Markdown section for
//! docs/benchmarks.md. Run it through scripts/bench-startup.sh (a D-Bus session with an
//! unlocked keyring, Xvfb, temporary XDG directories).

mod launch;
mod profile;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use launch::Start;
use profile::Profile;

#[derive(Parser, Debug)]
#[command(about = "Card Desk's start-up beside a bare Tauri window (docs/benchmarks.md)")]
struct Args {
    /// The app's release binary (built with --features custom-protocol).
    #[arg(long)]
    app: PathBuf,
    /// The bare window's release binary (benches/bare-window).
    #[arg(long)]
    bare: PathBuf,
    /// Where profiles, probes and logs go (an empty temporary directory).
    #[arg(long)]
    work: PathBuf,
    /// Measured starts of each binary on each profile.
    #[arg(long, default_value_t = 7)]
    runs: usize,
    /// Recent customers in the large profile.
    #[arg(long, default_value_t = 10_000)]
    customers: u64,
    /// Audit entries in the large profile.
    #[arg(long, default_value_t = 100_000)]
    entries: u64,
    /// Seconds a started window is left idle before its memory is read.
    #[arg(long, default_value_t = 3)]
    idle: u64,
    /// The app's .deb, for its Installed-Size (default: the newest in target/release/bundle/deb).
    #[arg(long)]
    deb: Option<PathBuf>,
    /// Also write the report here.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    App,
    Bare,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Fresh,
    Large,
}

#[derive(Default, Debug)]
struct Series {
    starts: Vec<Start>,
}

impl Series {
    fn painted_ms(&self) -> Vec<f64> {
        self.starts
            .iter()
            .map(|s| s.painted.as_secs_f64() * 1e3)
            .collect()
    }

    fn pss_mib(&self) -> Vec<f64> {
        self.starts
            .iter()
            .filter_map(|s| s.pss_kib.map(|(k, _)| k as f64 / 1024.0))
            .collect()
    }

    fn processes(&self) -> usize {
        self.starts
            .iter()
            .filter_map(|s| s.pss_kib.map(|(_, n)| n))
            .max()
            .unwrap_or(0)
    }

    /// The median of each of the app's own step marks.
    fn steps(&self) -> Vec<(String, f64)> {
        let Some(first) = self.starts.first() else {
            return Vec::new();
        };
        first
            .steps
            .iter()
            .map(|(name, _)| {
                let v: Vec<f64> = self
                    .starts
                    .iter()
                    .filter_map(|s| s.steps.iter().find(|(n, _)| n == name).map(|(_, ms)| *ms))
                    .collect();
                (name.clone(), median(&v))
            })
            .collect()
    }
}

fn median(v: &[f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    }
}

fn spread(v: &[f64]) -> String {
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    format!("{min:.0}–{max:.0}")
}

fn main() {
    let args = Args::parse();
    if let Err(e) = run(&args) {
        eprintln!("startup-bench: {e}");
        std::process::exit(1);
    }
}

fn run(args: &Args) -> Result<(), String> {
    let io = |e: std::io::Error| e.to_string();
    std::fs::create_dir_all(&args.work).map_err(io)?;
    let work = args.work.canonicalize().map_err(io)?;
    for bin in [&args.app, &args.bare] {
        if !bin.is_file() {
            return Err(format!("{}: no such binary", bin.display()));
        }
    }

    eprintln!(
        "==> large profile: {} recent customers, {} audit entries",
        args.customers, args.entries
    );
    let large = Profile::new(work.join("large")).map_err(io)?;
    let written = profile::write_large(&large, args.customers, args.entries)?;
    let diag = profile::read_back(&large)?;
    let large_bytes = profile::du(&large.app_data_dir());
    // The bare window keeps its own directories too, warm from start to start like the app's.
    let bare_large = Profile::new(work.join("bare-large")).map_err(io)?;

    let idle = Duration::from_secs(args.idle);
    let timeout = Duration::from_secs(120);
    let mut n = 0usize;
    let mut once = |target: Target, kind: Kind, weigh: bool| -> Result<Start, String> {
        n += 1;
        let (bin, name) = match target {
            Target::App => (&args.app, "app"),
            Target::Bare => (&args.bare, "bare"),
        };
        let profile = match (kind, target) {
            (Kind::Fresh, _) => Profile::new(work.join(format!("fresh-{n}"))).map_err(io)?,
            (Kind::Large, Target::App) => large.clone(),
            (Kind::Large, Target::Bare) => bare_large.clone(),
        };
        let probe = work.join(format!("probe-{n}"));
        let log = work.join(format!("start-{n}-{name}.log"));
        let s = launch::start(bin, &profile, &probe, &log, weigh.then_some(idle), timeout)?;
        eprintln!(
            "    {name:4} {kind:?}: painted in {:.0} ms{}",
            s.painted.as_secs_f64() * 1e3,
            s.pss_kib
                .map(|(k, p)| format!(", {:.1} MiB PSS in {p} processes", k as f64 / 1024.0))
                .unwrap_or_default()
        );
        // A moment for the session bus and the X server to let go of the last window.
        std::thread::sleep(Duration::from_millis(500));
        Ok(s)
    };

    // Left open a moment, as every counted start is: the app keeps its first frame for the
    // next start then (src-tauri/src/first_frame.rs), as it does for anyone who used it before.
    eprintln!("==> warm-up: one start of each on each profile (not counted)");
    for kind in [Kind::Fresh, Kind::Large] {
        for target in [Target::App, Target::Bare] {
            once(target, kind, true)?;
        }
    }
    let mut series: [[Series; 2]; 2] = Default::default();
    for round in 0..args.runs {
        eprintln!("==> round {}/{}", round + 1, args.runs);
        let order = if round % 2 == 0 {
            [Target::App, Target::Bare]
        } else {
            [Target::Bare, Target::App]
        };
        for kind in [Kind::Fresh, Kind::Large] {
            for target in order {
                let s = once(target, kind, true)?;
                series[target as usize][kind as usize].starts.push(s);
            }
        }
    }

    let deb = args
        .deb
        .clone()
        .or_else(|| launch::newest_deb(&args.app.parent()?.join("bundle/deb")));
    let report = report(args, &series, &diag, written, large_bytes, deb);
    print!("{report}");
    if let Some(out) = &args.out {
        std::fs::write(out, &report).map_err(io)?;
    }
    Ok(())
}

fn report(
    args: &Args,
    series: &[[Series; 2]; 2],
    diag: &profile::Diagnostics,
    written: Duration,
    large_bytes: u64,
    deb: Option<PathBuf>,
) -> String {
    let s = |t: Target, k: Kind| &series[t as usize][k as usize];
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Medians of {} starts each (after one uncounted warm-up start of each), spawn → first painted view:\n",
        args.runs
    );
    let _ = writeln!(
        out,
        "| profile | Card Desk | bare Tauri window | ratio (budget ≤ 1.3) |"
    );
    let _ = writeln!(out, "|---|---|---|---|");
    for (kind, label) in [
        (Kind::Fresh, "fresh".to_owned()),
        (
            Kind::Large,
            format!(
                "large ({} recent customers, {} audit entries, {:.0} MiB)",
                args.customers,
                args.entries,
                large_bytes as f64 / (1 << 20) as f64
            ),
        ),
    ] {
        let app = s(Target::App, kind).painted_ms();
        let bare = s(Target::Bare, kind).painted_ms();
        let ratio = median(&app) / median(&bare);
        let _ = writeln!(
            out,
            "| {label} | {:.0} ms ({}) | {:.0} ms ({}) | {ratio:.2}{} |",
            median(&app),
            spread(&app),
            median(&bare),
            spread(&bare),
            if ratio <= 1.3 { "" } else { " — over" }
        );
    }
    let _ = writeln!(out, "\n(min–max in parentheses.)\n");
    let _ = writeln!(
        out,
        "The app's own step marks (median ms after its `run` began; `painted` is when the \
         window's call arrived):\n"
    );
    let _ = writeln!(out, "| step | fresh | large |");
    let _ = writeln!(out, "|---|---|---|");
    let fresh = s(Target::App, Kind::Fresh).steps();
    let large = s(Target::App, Kind::Large).steps();
    for (name, ms) in &fresh {
        let l = large
            .iter()
            .find(|(n, _)| n == name)
            .map_or(f64::NAN, |(_, v)| *v);
        let _ = writeln!(out, "| {name} | {ms:.0} | {l:.0} |");
    }
    let _ = writeln!(
        out,
        "\nThe large profile in this process (written in {:.1} s): `Desk::open` {:.0} ms, of which \
         the audit chain check (`first_break`) alone takes {:.0} ms; the first recent list \
         ({} shown of {}) {:.0} ms.\n",
        written.as_secs_f64(),
        diag.desk_open.as_secs_f64() * 1e3,
        diag.first_break.as_secs_f64() * 1e3,
        diag.recent_shown,
        args.customers,
        diag.first_recent.as_secs_f64() * 1e3,
    );
    let mib = |b: u64| b as f64 / (1 << 20) as f64;
    let _ = writeln!(out, "| size and memory | Card Desk | bare Tauri window |");
    let _ = writeln!(out, "|---|---|---|");
    let _ = writeln!(
        out,
        "| release binary | {:.1} MiB | {:.1} MiB |",
        mib(launch::size(&args.app)),
        mib(launch::size(&args.bare))
    );
    if let Some(deb) = &deb {
        let _ = writeln!(
            out,
            "| .deb Installed-Size | {} | — |",
            launch::installed_size_kib(deb)
                .map_or("?".to_owned(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
        );
    }
    for kind in [Kind::Fresh, Kind::Large] {
        let app = s(Target::App, kind);
        let bare = s(Target::Bare, kind);
        let _ = writeln!(
            out,
            "| idle memory, {kind:?} profile, {} s after paint (PSS, whole process tree) | {:.0} MiB ({} processes) | {:.0} MiB ({} processes) |",
            args.idle,
            median(&app.pss_mib()),
            app.processes(),
            median(&bare.pss_mib()),
            bare.processes(),
        );
    }
    out
}

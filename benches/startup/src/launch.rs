//! One start of a window binary: spawned in a process group of its own, timed from spawn to
//! the probe file its first painted view creates (`CARDDESK_STARTUP_PROBE`), optionally left
//! idle and weighed (PSS of it and every descendant — WebKit's web and network processes),
//! then ended with its whole tree before the next start.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::profile::Profile;

/// What one start measured.
#[derive(Debug)]
pub struct Start {
    pub painted: Duration,
    /// The app's own step marks (name, ms since its `run` began), from the probe file.
    pub steps: Vec<(String, f64)>,
    /// PSS of the process tree after the idle wait, KiB, and how many processes.
    pub pss_kib: Option<(u64, usize)>,
}

/// Starts `bin` on `profile`, waits for its probe (at most `timeout`), weighs it after `idle`
/// when asked, and ends it.
pub fn start(
    bin: &Path,
    profile: &Profile,
    probe: &Path,
    log: &Path,
    idle: Option<Duration>,
    timeout: Duration,
) -> Result<Start, String> {
    let _ = std::fs::remove_file(probe);
    let _ = std::fs::remove_file(probe.with_extension("live"));
    let stderr = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let mut cmd = Command::new(bin);
    cmd.envs(profile.env())
        .env("CARDDESK_STARTUP_PROBE", probe)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .process_group(0);
    let began = Instant::now();
    let mut child = cmd.spawn().map_err(|e| format!("{}: {e}", bin.display()))?;
    let painted = loop {
        if probe.exists() {
            break began.elapsed();
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!(
                "{} exited ({status}) before its first paint; see {}",
                bin.display(),
                log.display()
            ));
        }
        if began.elapsed() > timeout {
            end(&mut child);
            return Err(format!(
                "{} did not paint within {timeout:?}; see {}",
                bin.display(),
                log.display()
            ));
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let mut steps = read_steps(probe);
    // The page's first frame was painted (the app's first_frame.rs): the live view's marks
    // follow in a second file once it took the frame's place.
    if steps
        .iter()
        .any(|(name, _)| name == "page: first frame drawn")
    {
        let live = probe.with_extension("live");
        let waited = Instant::now();
        while !live.exists() && waited.elapsed() < Duration::from_secs(3) {
            std::thread::sleep(Duration::from_millis(5));
        }
        if live.exists() {
            steps = read_steps(&live);
        }
    }
    let pss_kib = idle.map(|idle| {
        std::thread::sleep(idle);
        let tree = tree(child.id());
        let kib = tree.iter().map(|&pid| pss(pid)).sum();
        (kib, tree.len())
    });
    end(&mut child);
    Ok(Start {
        painted,
        steps,
        pss_kib,
    })
}

/// The marks of a probe file: "name ms" lines.
fn read_steps(file: &Path) -> Vec<(String, f64)> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let (name, ms) = l.rsplit_once(' ')?;
            Some((name.to_owned(), ms.parse().ok()?))
        })
        .collect()
}

/// `pid` and all its descendants, from /proc's parent links.
fn tree(pid: u32) -> Vec<u32> {
    let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|p| Some((p, ppid(p)?)))
        .collect();
    let mut out = vec![pid];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        out.extend(
            parents
                .iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    out
}

fn ppid(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the command name in parentheses: state, then the parent's pid.
    let rest = &stat[stat.rfind(')')? + 2..];
    rest.split(' ').nth(1)?.parse().ok()
}

/// The process's proportional set size, KiB (0 when it is gone).
fn pss(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Pss:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn signal(sig: &str, target: &str) {
    let _ = Command::new("kill")
        .args([sig, "--", target])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Ends the child's process group and any descendant that left it: TERM, then KILL.
fn end(child: &mut Child) {
    let group = format!("-{}", child.id());
    let family = tree(child.id());
    signal("-TERM", &group);
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    signal("-KILL", &group);
    for pid in family.iter().skip(1) {
        signal("-KILL", &pid.to_string());
    }
    let _ = child.wait();
}

/// A file's size in bytes, 0 when missing.
pub fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// The newest `.deb` in `dir`, if any.
pub fn newest_deb(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "deb"))
        .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
}

/// A .deb's `Installed-Size` field (KiB), read with dpkg-deb.
pub fn installed_size_kib(deb: &Path) -> Option<u64> {
    let out = Command::new("dpkg-deb")
        .args(["-f"])
        .arg(deb)
        .arg("Installed-Size")
        .output()
        .ok()?;
    String::from_utf8(out.stdout).ok()?.trim().parse().ok()
}

//! What the app and `carddesk` do to their own process first thing, before any secret is read:
//! a core dump or a debugger attached by another program of the same user would see the
//! merchant password many times over (the client's copy, request bodies, TLS buffers) and the
//! customer data in memory; and files a library creates with the umask (sled's database
//! files, a WebView's caches) would be readable by every local user.
//!
//! * Linux: `PR_SET_DUMPABLE` 0. No core file is written, and `/proc/<pid>/mem`, `environ` and
//!   ptrace are refused to other processes of the same user (root, with `CAP_SYS_PTRACE`,
//!   still can). The flag is cleared again by an `exec` of a setuid program only.
//! * unix: umask 077, so anything the process creates is owner-only even where the desk does
//!   not set a mode itself ([`desk_store::private_fs`] sets modes explicitly as well).
//!
//! Both calls are safe wrappers (`nix`); the workspace forbids `unsafe`.

/// Hardens the current process. Call once, at the top of `main`, before threads start (the
/// umask is process-wide). An error names the call that failed; the caller should warn and go
/// on rather than refuse to run.
pub fn harden_process() -> Result<(), String> {
    #[cfg(unix)]
    {
        use nix::sys::stat::{Mode, umask};
        umask(Mode::from_bits_truncate(0o077));
    }
    #[cfg(target_os = "linux")]
    nix::sys::prctl::set_dumpable(false).map_err(|e| format!("prctl(PR_SET_DUMPABLE, 0): {e}"))?;
    Ok(())
}

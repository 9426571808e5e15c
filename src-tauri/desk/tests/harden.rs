//! `harden_process` in a process of its own (it changes process-wide state): afterwards the
//! process is not dumpable and its umask is 077, as the kernel reports them.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)]

#[test]
fn the_process_is_not_dumpable_and_creates_owner_only_files() {
    assert!(
        nix::sys::prctl::get_dumpable().unwrap(),
        "a test process starts dumpable, or this test proves nothing"
    );
    desk::harden::harden_process().unwrap();
    assert!(!nix::sys::prctl::get_dumpable().unwrap());
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    assert!(status.contains("Umask:\t0077"), "{status}");

    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");
    std::fs::write(&path, b"x").unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

//! Customer data is kept from other local users (unix): after a lookup, a revocation, a bulk
//! job and exports, every directory the desk made is 0700 and every file 0600, including an
//! export written over an older 0644 file and directories an older version left 0755.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use assist_sandbox::{Sandbox, SandboxConfig};
use desk::audit::{ExportFormat, Reason};
use desk::bulk::{ColumnMap, RunOptions};
use desk::secrets::MemoryStore;
use desk::{BulkDraft, JobPhase, RevokeRequest};

const MIR: &str = "54F5A3DE-4B47-4B40-03B5-7FF992D6B401";

fn mode(p: &Path) -> u32 {
    std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777
}

/// Every directory and file below (and including) `top` that is not owner-only.
fn not_private(top: &Path) -> Vec<(PathBuf, u32)> {
    let mut bad = Vec::new();
    let mut stack = vec![top.to_path_buf()];
    while let Some(p) = stack.pop() {
        let m = mode(&p);
        if p.is_dir() {
            if m != 0o700 {
                bad.push((p.clone(), m));
            }
            for entry in std::fs::read_dir(&p).unwrap() {
                stack.push(entry.unwrap().path());
            }
        } else if m != 0o600 {
            bad.push((p, m));
        }
    }
    bad
}

/// An export target left by someone else's tool: a file anyone may read.
fn world_readable_file(path: &Path) {
    std::fs::write(path, b"old export\n").unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
}

#[tokio::test]
async fn everything_the_desk_writes_is_owner_only() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let root = tempfile::tempdir().unwrap();
    let inputs = tempfile::tempdir().unwrap();
    let desk = common::desk_at(root.path(), &sandbox, Arc::new(MemoryStore::new()));

    let found = desk.lookup("1234", false).await.unwrap();
    assert!(!found.cards.is_empty());

    let done = desk
        .revoke(&RevokeRequest {
            profile_id: "sandbox".into(),
            customer: "1234".into(),
            token: MIR.into(),
            last4_confirmation: "4417".into(),
            reason: Reason::CustomerRequest,
            note: None,
            ticket: Some("SUP-1001".into()),
            customer_confirmation: None,
            utc_offset_minutes: None,
            request: None,
        })
        .await
        .unwrap();
    assert!(done.masked.ends_with("4417"), "{}", done.masked);

    let csv = inputs.path().join("crm.csv");
    std::fs::write(&csv, "customer,last4\n1234,0028\n100000,\n").unwrap();
    let chosen = desk.bulk_preview(csv.clone()).await.unwrap();
    let job = desk
        .bulk_create(BulkDraft {
            source: chosen.source,
            map: ColumnMap {
                customer: Some("customer".into()),
                last4: Some("last4".into()),
                ..ColumnMap::default()
            },
            erasure: false,
            ticket: Some("CRM-1".into()),
            reason: Reason::CustomerRequest,
            note: None,
        })
        .await
        .unwrap();
    let fast = RunOptions {
        concurrency: 2,
        rate: None,
        patience_secs: None,
    };
    desk.bulk_plan(&job.id, fast, Arc::new(|_: &_| {}))
        .await
        .unwrap();
    let ran = desk
        .bulk_run(&job.id, fast, None, Arc::new(|_: &_| {}))
        .await
        .unwrap();
    assert_eq!(ran.phase, JobPhase::Finished);

    let out = root.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let results = out.join("results.csv");
    let audit_csv = out.join("audit.csv");
    world_readable_file(&results);
    world_readable_file(&audit_csv);
    assert!(
        desk.bulk_export(&job.id, results.clone())
            .await
            .unwrap()
            .count
            > 0
    );
    assert!(
        desk.audit_export(ExportFormat::Csv, None, audit_csv.clone())
            .await
            .unwrap()
            .count
            > 0
    );
    assert_eq!(mode(&results), 0o600, "an export over a 0644 file");
    assert_eq!(mode(&audit_csv), 0o600, "an export over a 0644 file");

    let data = root.path().join("data");
    for sub in ["cache.sled", "jobs", "audit"] {
        assert!(data.join(sub).is_dir(), "{sub} was written: {:?}", data);
    }
    let mut bad = not_private(&data);
    bad.extend(not_private(&root.path().join("config")));
    assert!(bad.is_empty(), "readable by other users: {bad:#?}");
}

#[tokio::test]
async fn directories_an_older_version_left_open_are_closed_at_start() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let root = tempfile::tempdir().unwrap();
    let open = std::fs::Permissions::from_mode(0o755);
    for dir in ["config", "data", "data/cache.sled"] {
        let p = root.path().join(dir);
        std::fs::create_dir_all(&p).unwrap();
        std::fs::set_permissions(&p, open.clone()).unwrap();
    }
    let desk = common::desk_at(root.path(), &sandbox, Arc::new(MemoryStore::new()));
    desk.lookup("1234", false).await.unwrap();
    let mut bad = not_private(&root.path().join("data"));
    bad.extend(not_private(&root.path().join("config")));
    assert!(bad.is_empty(), "readable by other users: {bad:#?}");
}

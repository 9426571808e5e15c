//! The audit view as the app uses it, through `Desk` (desk/audit_view.rs) over a real log in a
//! temp dir: pages of entries newest first, each filter, the size the view reloads on, exports
//! of everything or of a filter (and where the last one went), and verify naming a break.
#![allow(clippy::unwrap_used)]

mod common;

use desk::audit::{AuditAction, AuditOutcome, AuditQuery, ExportFormat, Reason, audit_path};
use desk::profiles::Settings;
use desk::{Desk, ErrorCode, RevokeRequest};

const MIR: &str = "54F5A3DE-4B47-4B40-03B5-7FF992D6B401";

struct Fixture {
    _sandbox: assist_sandbox::Sandbox,
    desk: Desk,
    dir: tempfile::TempDir,
}

/// A desk whose log holds two recorded lookups (customers 1234 and 100025) and one removal
/// (customer 1234: intent, then outcome).
async fn fixture() -> Fixture {
    let (sandbox, desk, dir) = common::sandbox_and_desk().await;
    desk.save_settings(Settings {
        record_lookups: true,
        ..Settings::default()
    })
    .unwrap();
    desk.lookup("1234", false).await.unwrap();
    desk.lookup("100025", false).await.unwrap();
    desk.revoke(&RevokeRequest {
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
    Fixture {
        _sandbox: sandbox,
        desk,
        dir,
    }
}

fn query() -> AuditQuery {
    AuditQuery::default()
}

#[tokio::test]
async fn a_page_is_newest_first_and_each_filter_narrows_it() {
    let f = fixture().await;
    let all = f.desk.audit_query(query()).await.unwrap();
    assert_eq!(all.offset, 0);
    assert_eq!(all.total, all.entries.len() as u64);
    let seqs: Vec<u64> = all.entries.iter().map(|e| e.seq).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] > w[1]),
        "newest first: {seqs:?}"
    );
    assert_eq!(all.entries[0].action, AuditAction::RevokeOutcome);

    let by_customer = f
        .desk
        .audit_query(AuditQuery {
            customer: Some("100025".into()),
            ..query()
        })
        .await
        .unwrap();
    assert_eq!(by_customer.total, 1);
    assert_eq!(by_customer.entries[0].action, AuditAction::ViewedCustomer);
    assert_eq!(by_customer.entries[0].customer.as_deref(), Some("100025"));

    let removed = f
        .desk
        .audit_query(AuditQuery {
            action: Some(AuditAction::RevokeOutcome),
            outcome: Some(AuditOutcome::Removed),
            ..query()
        })
        .await
        .unwrap();
    assert_eq!(removed.total, 1);
    assert_eq!(removed.entries[0].customer.as_deref(), Some("1234"));
    assert_eq!(removed.entries[0].ticket.as_deref(), Some("SUP-1001"));

    let intents = f
        .desk
        .audit_query(AuditQuery {
            action: Some(AuditAction::RevokeIntent),
            profile_id: Some("sandbox".into()),
            ..query()
        })
        .await
        .unwrap();
    assert_eq!(intents.total, 1);
    assert_eq!(intents.entries[0].seq + 1, removed.entries[0].seq);

    for nothing in [
        AuditQuery {
            profile_id: Some("no-such-profile".into()),
            ..query()
        },
        AuditQuery {
            to: Some("2000-01-01".into()),
            ..query()
        },
    ] {
        assert_eq!(f.desk.audit_query(nothing).await.unwrap().total, 0);
    }

    // The second page of one entry each: the entry after the newest, the total unchanged.
    let second = f
        .desk
        .audit_query(AuditQuery {
            offset: 1,
            limit: 1,
            ..query()
        })
        .await
        .unwrap();
    assert_eq!((second.total, second.offset), (all.total, 1));
    assert_eq!(second.entries.len(), 1);
    assert_eq!(second.entries[0].seq, all.entries[1].seq);

    // A filter it cannot read is refused, naming the field.
    let err = f
        .desk
        .audit_query(AuditQuery {
            from: Some("last tuesday".into()),
            ..query()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert_eq!(err.field.as_deref(), Some("from"));
}

#[tokio::test]
async fn the_size_is_the_logs_and_grows_with_each_entry() {
    let f = fixture().await;
    let size = f.desk.audit_size().await.unwrap();
    let path = audit_path(&f.dir.path().join("data"));
    assert_eq!(size, std::fs::metadata(&path).unwrap().len());
    // A lookup from the cache, recorded: one entry more, and the view would reload.
    f.desk.lookup("100025", false).await.unwrap();
    assert!(f.desk.audit_size().await.unwrap() > size);
    // A query appends nothing.
    let now = f.desk.audit_size().await.unwrap();
    f.desk.audit_query(query()).await.unwrap();
    assert_eq!(f.desk.audit_size().await.unwrap(), now);
}

#[tokio::test]
async fn an_export_writes_what_the_filter_matches_and_remembers_where() {
    let f = fixture().await;
    assert_eq!(f.desk.last_export(), None);
    let total = f.desk.audit_query(query()).await.unwrap().total;

    let all = f.dir.path().join("all.json");
    let done = f
        .desk
        .audit_export(ExportFormat::Json, None, all.clone())
        .await
        .unwrap();
    assert_eq!(done.count, total);
    assert_eq!(done.path, all.display().to_string());
    assert_eq!(f.desk.last_export(), Some(all.clone()));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&all).unwrap()).unwrap();
    assert_eq!(json.as_array().unwrap().len() as u64, total);

    // Filtered, as CSV: the header and one row; the filter's page is ignored.
    let one = f.dir.path().join("100025.csv");
    let done = f
        .desk
        .audit_export(
            ExportFormat::Csv,
            Some(AuditQuery {
                customer: Some("100025".into()),
                offset: 5,
                limit: 1,
                ..query()
            }),
            one.clone(),
        )
        .await
        .unwrap();
    assert_eq!(done.count, 1);
    assert_eq!(f.desk.last_export(), Some(one.clone()));
    let csv = std::fs::read_to_string(&one).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[1].contains("100025") && lines[1].contains("viewed_customer"));
    assert!(!lines[1].contains("1234,"), "{csv}");
}

#[tokio::test]
async fn verify_passes_an_intact_log_and_names_the_line_of_a_change() {
    let f = fixture().await;
    let newest = f.desk.audit_query(query()).await.unwrap().entries[0].clone();
    let v = f.desk.audit_verify().await.unwrap();
    assert!(v.ok && v.first_broken.is_none(), "{v:?}");
    assert!(v.open_intents.is_empty(), "the removal settled its intent");
    assert_eq!(v.last_hash, newest.hash);

    // Someone edits the recorded lookup of 100025 into another customer's.
    let path = audit_path(&f.dir.path().join("data"));
    let text = std::fs::read_to_string(&path).unwrap();
    let line = text.lines().position(|l| l.contains("\"100025\"")).unwrap() + 1;
    std::fs::write(&path, text.replacen("\"100025\"", "\"100026\"", 1)).unwrap();
    let v = f.desk.audit_verify().await.unwrap();
    assert!(!v.ok);
    assert_eq!(v.first_broken.unwrap().line, line as u64);
}

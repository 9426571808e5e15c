//! The licence list the About panel shows (src-tauri/licenses.json, embedded in the app) is what
//! the app ships: every crate the app's binary links on any of its platforms (normal
//! dependencies of `card-desk`, not dev or build ones) from `cargo metadata`, and every npm
//! package the window's code bundles
//! (ui/'s production dependencies) from ui/package-lock.json, each with its declared licence.
//! Fails when the list is out of date; regenerate with
//! `CARDDESK_BLESS=1 cargo test -p card-desk --test licenses`.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::{Value, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Crates `card-desk` links on this platform: normal dependencies, transitively.
fn crates() -> Vec<Value> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages: BTreeMap<&str, &Value> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p))
        .collect();
    let nodes: BTreeMap<&str, &Value> = meta["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n))
        .collect();
    let app = packages
        .values()
        .find(|p| p["name"] == "card-desk")
        .map(|p| p["id"].as_str().unwrap())
        .unwrap();
    let mut seen = BTreeSet::new();
    let mut todo = vec![app];
    while let Some(id) = todo.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes[id]["deps"].as_array().unwrap() {
            let normal = dep["dep_kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k["kind"].is_null());
            if normal {
                todo.push(dep["pkg"].as_str().unwrap());
            }
        }
    }
    seen.iter()
        .map(|id| packages[id])
        // The workspace's own crates are the app itself, under its licence.
        .filter(|p| p["source"].is_string())
        .map(|p| {
            json!({
                "name": p["name"],
                "version": p["version"],
                "license": p["license"].as_str().unwrap_or("see the crate's files"),
                "kind": "crate",
            })
        })
        .collect()
}

/// npm packages the UI bundle ships: the lockfile's non-dev packages.
fn npm() -> Vec<Value> {
    let lock: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("ui/package-lock.json")).unwrap(),
    )
    .unwrap();
    let mut out: Vec<Value> = lock["packages"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(path, p)| !path.is_empty() && p["dev"] != true && p["optional"] != true)
        .map(|(path, p)| {
            let name = path.rsplit("node_modules/").next().unwrap();
            json!({
                "name": name,
                "version": p["version"],
                "license": p["license"].as_str().unwrap_or("see the package's files"),
                "kind": "npm",
            })
        })
        .collect();
    out.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    out.dedup();
    out
}

#[test]
fn the_about_panels_licence_list_is_what_the_app_ships() {
    let mut list = crates();
    list.extend(npm());
    let mut text = serde_json::to_string_pretty(&list).unwrap();
    text.push('\n');
    let path = root().join("src-tauri/licenses.json");
    if std::env::var_os("CARDDESK_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let kept = std::fs::read_to_string(&path).unwrap();
    assert!(
        kept == text,
        "{} is out of date with Cargo.lock or ui/package-lock.json; regenerate with \
         CARDDESK_BLESS=1 cargo test -p card-desk --test licenses",
        path.display()
    );
}

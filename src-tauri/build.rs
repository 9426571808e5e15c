//! Build script: tauri-build reads tauri.conf.json at the root, the capabilities kept in
//! src-tauri/capabilities (docs/design.md §2 keeps every Rust source under src-tauri/) and the
//! app's own permission in src-tauri/permissions, which declares every command: from then on tauri
//! lets the window call only what its capability grants (docs/security.md). It also stamps the
//! build with the commit it came from, for the About panel.

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/permissions");
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs/heads");
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=CARDDESK_BUILD={commit}");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(
                tauri_build::AppManifest::new()
                    .permissions_path_pattern("./src-tauri/permissions/**/*"),
            ),
    )
    .expect("tauri-build failed");
}

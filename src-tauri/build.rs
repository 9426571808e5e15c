//! Build script: tauri-build reads tauri.conf.json at the root, the capabilities kept in
//! src-tauri/capabilities (docs/design.md §2 keeps every Rust source under src-tauri/) and the
//! app's own permission in src-tauri/permissions, which declares every command: from then on tauri
//! lets the window call only what its capability grants (docs/security.md).

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/permissions");
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

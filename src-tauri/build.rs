//! Build script: tauri-build reads tauri.conf.json at the root and the capabilities kept in
//! src-tauri/capabilities (design.md §2 keeps every Rust source under src-tauri/).
fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*"),
    )
    .expect("tauri-build failed");
}

//! Build script: tauri-build reads this crate's tauri.conf.json, as for any Tauri app.

fn main() {
    tauri_build::build();
}

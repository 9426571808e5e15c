//! Why: the About panel names the version, the build, where the data lives and the licence of
//! every third-party component the app ships. The component list is generated from the lockfiles
//! (tests/licenses.rs writes src-tauri/licenses.json and fails when it is out of date) and
//! embedded here, so the panel needs no file beside the binary.

use desk::{About, Desk, ShippedComponent};

const LICENSES: &str = include_str!("../licenses.json");

/// The About panel's facts.
pub fn about(desk: &Desk) -> About {
    let components: Vec<ShippedComponent> = serde_json::from_str(LICENSES).unwrap_or_default();
    desk.about(
        env!("CARGO_PKG_VERSION"),
        env!("CARDDESK_BUILD"),
        components,
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    #[test]
    fn the_embedded_licence_list_reads_and_names_the_app_s_own_runtime() {
        let list: Vec<desk::ShippedComponent> = serde_json::from_str(super::LICENSES).unwrap();
        assert!(list.iter().any(|c| c.name == "tauri" && c.kind == "crate"));
        assert!(
            list.iter()
                .any(|c| c.name == "pdfjs-dist" && c.kind == "npm")
        );
        assert!(
            list.iter().all(|c| !c.license.is_empty()),
            "every component has a licence"
        );
    }
}

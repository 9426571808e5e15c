//! The Linux package as a back office installs it: the `.deb` scripts/bundle.sh built is checked
//! (name, version, description, the WebKitGTK runtime it depends on, its icons), installed with
//! apt, started from its `.desktop` entry's `Exec` under Xvfb with the real keyring, used (look
//! up customer 1234 on the built-in sandbox through WebDriver, screenshot), and removed: nothing
//! of it is left under /usr, and the user's data stays, as users expect.
//!
//! Runs when CARDDESK_E2E=1 and CARDDESK_PACKAGE names the `.deb` (scripts/test.sh builds it
//! and sets both), as root (apt installs system-wide); elsewhere it says why it did not run.
#![allow(clippy::unwrap_used)]

mod webdriver;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use webdriver::Session;

const WAIT: Duration = Duration::from_secs(30);

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn field(deb: &str, name: &str) -> String {
    run("dpkg-deb", &["-f", deb, name]).trim().to_owned()
}

/// The program the `.desktop` entry starts, resolved on PATH as a launcher would.
fn desktop_exec(files: &[String]) -> PathBuf {
    let entry = files
        .iter()
        .find(|f| f.starts_with("/usr/share/applications/") && f.ends_with(".desktop"))
        .unwrap_or_else(|| panic!("no .desktop entry in {files:?}"));
    let text = std::fs::read_to_string(entry).unwrap();
    let exec = text
        .lines()
        .find_map(|l| l.strip_prefix("Exec="))
        .unwrap_or_else(|| panic!("no Exec= in {entry}"));
    let program = exec.split_whitespace().next().unwrap();
    if program.starts_with('/') {
        return PathBuf::from(program);
    }
    let found = run("sh", &["-c", &format!("command -v {program}")]);
    PathBuf::from(found.trim())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deb_installs_starts_from_its_menu_entry_finds_a_customer_and_uninstalls_cleanly() {
    if !webdriver::enabled("package") {
        return;
    }
    let Some(deb) = std::env::var_os("CARDDESK_PACKAGE") else {
        eprintln!("package: not run (set CARDDESK_PACKAGE to the .deb; scripts/test.sh does)");
        return;
    };
    let deb = deb.to_string_lossy().into_owned();
    let root = run("id", &["-u"]).trim() == "0";
    assert!(root, "package: apt-get installs system-wide; run as root");

    // What the package says of itself.
    assert_eq!(field(&deb, "Package"), "card-desk");
    assert_eq!(field(&deb, "Version"), env!("CARGO_PKG_VERSION"));
    let description = field(&deb, "Description");
    assert!(description.contains("saved cards"), "{description}");
    let depends = field(&deb, "Depends");
    assert!(depends.contains("libwebkit2gtk-4.1-0"), "{depends}");
    assert!(depends.contains("libgtk-3-0"), "{depends}");
    let contents = run("dpkg-deb", &["-c", &deb]);
    for size in ["32x32", "128x128", "256x256@2"] {
        assert!(
            contents.contains(&format!(
                "usr/share/icons/hicolor/{size}/apps/card-desk.png"
            )),
            "no {size} icon: {contents}"
        );
    }

    // Installed as a back office would: apt resolves the runtime it needs.
    let _ = Command::new("apt-get")
        .args(["remove", "-y", "card-desk"])
        .output();
    run(
        "apt-get",
        &["install", "-y", "--no-install-recommends", &deb],
    );
    let files: Vec<String> = run("dpkg", &["-L", "card-desk"])
        .lines()
        .map(str::to_owned)
        .collect();
    let program = desktop_exec(&files);
    assert!(program.starts_with("/usr/"), "{}", program.display());

    // Started from the menu entry's Exec, on a fresh profile, with the real keyring.
    let s = Session::start_fresh(&program, "package").await;
    let input = s.find("#customer", WAIT).await;
    s.type_into(&input, "1234").await;
    let submit = s.find("form.search button[type=submit]", WAIT).await;
    s.click(&submit).await;
    s.wait_text("[data-testid=card-count]", "3 saved cards", WAIT)
        .await;
    // The installed app serves its UI from its embedded assets, not from a dist folder.
    let origin = s
        .execute("return location.origin", serde_json::json!([]))
        .await;
    assert_eq!(origin, "tauri://localhost", "{origin}");
    // Frames lag the DOM (more so on a busy machine): give the window time to paint.
    tokio::time::sleep(Duration::from_millis(2000)).await;
    s.screenshot(&webdriver::out_dir().join("package-01-installed-lookup.png"))
        .await;
    s.close().await;

    // The user's data is theirs: it stays when the program goes.
    let data = webdriver::fresh_dirs_path("package", "XDG_DATA_HOME");
    run("apt-get", &["remove", "-y", "card-desk"]);
    let left: Vec<&String> = files
        .iter()
        .filter(|f| f.starts_with("/usr/") && Path::new(f).is_file())
        .collect();
    assert!(left.is_empty(), "left under /usr after removal: {left:?}");
    assert!(
        std::fs::read_dir(&data).unwrap().next().is_some(),
        "the user's data dir {} was emptied",
        data.display()
    );
}

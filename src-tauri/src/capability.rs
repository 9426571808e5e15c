//! Checks that what the window may call is decided on purpose: the capability grants only the
//! app's own permission, and that permission (src-tauri/permissions/desk.toml) lists exactly the
//! `#[tauri::command]`s in commands.rs, so a new command cannot ship without being declared
//! (tauri refuses an undeclared one at runtime) and no plugin permission reaches the webview.

/// The quoted names inside `commands.allow = [ ... ]`.
fn allowed(toml: &str) -> Vec<&str> {
    let start = toml.find("commands.allow = [").expect("commands.allow");
    let list = &toml[start..];
    let list = &list[..list.find(']').expect("closing bracket")];
    let mut names: Vec<&str> = list.split('"').skip(1).step_by(2).collect();
    names.sort_unstable();
    names
}

/// The function names after each `#[tauri::command]`.
fn defined(source: &str) -> Vec<&str> {
    let mut names: Vec<&str> = source
        .split("#[tauri::command]")
        .skip(1)
        .filter_map(|rest| {
            let after = &rest[rest.find("fn ")? + 3..];
            after.split(['(', '<']).next()
        })
        .collect();
    names.sort_unstable();
    names
}

#[test]
fn the_window_is_granted_only_the_apps_own_commands() {
    let capability: serde_json::Value =
        serde_json::from_str(include_str!("../capabilities/main.json")).expect("capability JSON");
    assert_eq!(capability["permissions"], serde_json::json!(["desk"]));
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    assert!(capability.get("remote").is_none(), "no remote origin");
}

#[test]
fn every_command_is_declared_and_nothing_else() {
    let declared = allowed(include_str!("../permissions/desk.toml"));
    let commands = defined(include_str!("commands.rs"));
    assert!(commands.len() > 20, "{commands:?}");
    assert_eq!(declared, commands);
}

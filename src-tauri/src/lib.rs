//! The Tauri shell of Card Desk: builds the window, the managed state and the command list.
//! Everything that is not about the desktop shell lives in the UI-agnostic crates.

mod about;
mod art_scheme;
#[cfg(test)]
mod capability;
mod commands;
mod file_dialogs;
mod first_frame;
mod first_view;
mod job_notice;
mod links;
mod opening;
mod painting;
mod progress_feed;
mod startup_failure;
mod startup_probe;
mod state;
mod updates;

use tauri::Manager;

/// Opens the desk on the app's config and data dirs.
async fn start(app: &tauri::AppHandle) -> Result<state::Shell, String> {
    let paths = app.path();
    let config_dir = paths.app_config_dir().map_err(|e| e.to_string())?;
    let data_dir = paths.app_data_dir().map_err(|e| e.to_string())?;
    state::Shell::start(config_dir, data_dir)
        .await
        .map_err(|e| e.to_string())
}

/// Opens the desk on a worker while the window's main loop runs (opening.rs): once it is open
/// the first view's data is prepared and the commands that waited run; a failure is shown in
/// a native dialog (startup_failure.rs).
fn open_desk(
    app: tauri::AppHandle,
    first: first_view::FirstView,
    commands: std::sync::Arc<opening::Opening<tauri::Wry>>,
) {
    first.expect();
    tauri::async_runtime::spawn(async move {
        match start(&app).await {
            Ok(shell) => {
                first.prepare(shell.desk.clone());
                app.manage(shell);
                links::listen(&app);
                let _ = app.run_on_main_thread(move || commands.open());
            }
            Err(e) => {
                first.give_up();
                let handle = app.clone();
                let _ = app.run_on_main_thread(move || startup_failure::report(&handle, &e));
            }
        }
        startup_probe::mark("desk open");
    });
}

/// The app as configured: plugins, the card-art scheme, start-up and the command list.
fn builder(first: first_view::FirstView) -> tauri::Builder<tauri::Wry> {
    let commands = commands();
    let waiting = commands.clone();
    tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            // A second launch focuses the first window instead of opening the cache twice; a
            // `carddesk://` link it carried has gone to the deep-link plugin first (links.rs).
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.set_focus();
            }
        }))
        .plugin(tauri_plugin_deep_link::init())
        .manage(links::LinkFeed::default())
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(updates::plugin())
        .manage(updates::Offered::default())
        .manage(first.clone())
        .register_asynchronous_uri_scheme_protocol(art_scheme::SCHEME, art_scheme::handle)
        .setup(move |app| {
            // No start-up error may end in a panic (what `setup` does with an `Err`): it is
            // shown in a native dialog instead, and the app exits when that is closed.
            startup_probe::mark("setup");
            open_desk(app.handle().clone(), first, waiting);
            startup_probe::mark("setup done");
            Ok(())
        })
        .invoke_handler(move |invoke| commands.handle(invoke))
}

/// The app's own commands, held back by `commands` until the desk is open (opening.rs).
fn commands() -> std::sync::Arc<opening::Opening<tauri::Wry>> {
    opening::Opening::new(tauri::generate_handler![
        commands::desk_status,
        commands::lookup,
        commands::lookup_all,
        commands::recent_customers,
        commands::forget_customer,
        commands::clear_cache,
        commands::save_profile,
        commands::delete_profile,
        commands::activate_profile,
        commands::set_password,
        commands::clear_password,
        commands::test_connection,
        commands::save_settings,
        commands::write_back,
        commands::set_webhook_secret,
        commands::clear_webhook_secret,
        commands::write_back_retry,
        commands::write_back_discard,
        commands::team_view,
        commands::save_team_setup,
        commands::set_team_password,
        commands::clear_team_password,
        commands::test_team,
        commands::team_audit,
        commands::team_approvals,
        commands::decide_approval,
        commands::team_policy,
        commands::set_team_policy,
        commands::revoke_card,
        commands::revoke_all_cards,
        commands::check_removal,
        commands::audit_verify,
        commands::audit_query,
        commands::audit_size,
        commands::audit_export,
        commands::bulk_pick_csv,
        commands::bulk_create,
        commands::bulk_jobs,
        commands::bulk_job,
        commands::bulk_rows,
        commands::bulk_plan,
        commands::bulk_run,
        commands::bulk_control,
        commands::reveal_export,
        commands::set_language,
        commands::about,
        commands::request_new,
        commands::requests,
        commands::request,
        commands::request_act,
        commands::request_confirmation,
        commands::request_access_answer,
        commands::request_erasure_documents,
        commands::link_feed,
        commands::update_check,
        commands::update_install,
        commands::restart,
        commands::bulk_export,
        commands::bulk_delete,
        commands::startup_painted,
        commands::first_frame_data,
        commands::keep_first_frame,
    ])
}

/// Starts the app; returns when the last window closes.
pub fn run() {
    startup_probe::mark("run");
    // First, before any thread or secret: no core dumps or same-user ptrace, umask 077
    // (docs/security.md, desk::harden).
    if let Err(e) = desk::harden::harden_process() {
        eprintln!("card-desk: warning: {e}");
    }
    painting::prefer_cpu_painting();
    // A copy that is just quitting still answers on D-Bus for a moment: the single-instance
    // plugin's hand-over to it then fails. Tried again shortly, then said in words (no panic).
    let mut tries = 0;
    let app = loop {
        tries += 1;
        // The page's first load carries the first view's data (first_view.rs).
        let first = first_view::FirstView::default();
        let mut context = tauri::generate_context!();
        let inner = context.set_assets(Box::new(first_view::NoAssets));
        context.set_assets(Box::new(first_view::FirstViewAssets {
            inner,
            first: first.clone(),
        }));
        match builder(first).build(context) {
            Ok(app) => break app,
            Err(tauri::Error::PluginInitialization(plugin, why))
                if plugin == "single-instance" && tries < 4 =>
            {
                eprintln!("card-desk: another copy is quitting ({why}); trying again");
                std::thread::sleep(std::time::Duration::from_millis(750));
            }
            Err(e) => {
                eprintln!("card-desk: could not start: {e}");
                std::process::exit(1);
            }
        }
    };
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event
            && let Some(shell) = handle.try_state::<state::Shell>()
        {
            tauri::async_runtime::block_on(shell.stop());
        }
    });
}

//! `carddesk request document`: a request's proof document from a terminal, made by the same
//! desk code as the window's (desk/request_documents.rs, desk/access_answer.rs) so it reads the
//! same, re-reads the card list the same way and records the same digests. It opens the whole
//! desk on the app's folders — its profiles (the settings folder), their passwords (the
//! keyring), the register and the audit log (the data folder) — so the app must be closed,
//! which the desk says in words when it is not.

use desk::{AccessDetails, Desk, DeskConfig, ErasureDetails, ProducedDocument, UiLanguage};

use crate::args::{APP_ID, DocumentArg, LanguageArg, RequestDocumentArgs};
use crate::exit::Status as Exit;
use crate::output;
use crate::revoke::data_dir;

pub async fn run(args: RequestDocumentArgs, local_offset: Option<i32>) -> Exit {
    let json = args.register.json;
    let minutes = args.register.utc_offset.or(local_offset);
    let data = match data_dir(&args.register.data) {
        Ok(d) => d,
        Err(m) => return output::invalid(&m, json),
    };
    let config = match args
        .config_dir
        .clone()
        .or_else(|| dirs::config_dir().map(|d| d.join(APP_ID)))
    {
        Some(c) => c,
        None => {
            return output::invalid(
                "config dir: the OS has no settings directory; pass --config-dir",
                json,
            );
        }
    };
    let details = match read_details(&args) {
        Ok(d) => d,
        Err(m) => return output::invalid(&m, json),
    };
    let sandbox_url = args.sandbox_url.clone();
    // Opening reads the cache key from the keyring: blocking.
    let opened = tokio::task::spawn_blocking(move || {
        Desk::open(DeskConfig {
            config_dir: config,
            data_dir: data,
            sandbox_url,
            secrets: desk::secrets::choose_store(desk::secrets::APP_SERVICE),
        })
    })
    .await;
    let desk = match opened {
        Ok(Ok(desk)) => desk,
        Ok(Err(e)) => return output::desk_error(&e, json),
        Err(e) => return output::failure(Exit::Local, "internal", &e.to_string(), json),
    };
    let language = match args.language {
        LanguageArg::En => UiLanguage::En,
        LanguageArg::Ru => UiLanguage::Ru,
    };
    desk.set_language(language);
    // In team mode the request is in the team's register.
    if let Err(e) = desk.join_team_register().await {
        return output::desk_error(&e, json);
    }
    let made = match (args.kind, details) {
        (DocumentArg::Confirmation, details) => desk
            .request_confirmation(
                &args.id,
                args.version,
                language,
                match details {
                    Details::Merchant(m) => Some(m),
                    _ => None,
                },
                args.out,
                minutes,
            )
            .await
            .map(|d| vec![d]),
        (DocumentArg::Answer, Details::Access(d)) => desk
            .request_access_answer(&args.id, args.version, language, *d, args.out, minutes)
            .await
            .map(|d| vec![d]),
        (DocumentArg::Erasure, Details::Erasure(d)) => {
            desk.request_erasure_documents(&args.id, args.version, language, *d, args.out, minutes)
                .await
        }
        _ => unreachable!("read_details matched the details to the kind"),
    };
    match made {
        Ok(docs) => printed(&docs, json),
        Err(e) => output::desk_error(&e, json),
    }
}

enum Details {
    None,
    Merchant(desk::documents::Party),
    Access(Box<AccessDetails>),
    Erasure(Box<ErasureDetails>),
}

/// A confirmation's merchant: the operator's name and address, under the act's keys.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct MerchantFile {
    operator_name: String,
    #[serde(default)]
    operator_address: String,
}

/// The `--details` file, read as the kind needs; its errors name the file and the field.
fn read_details(args: &RequestDocumentArgs) -> Result<Details, String> {
    let needed = match args.kind {
        // The merchant's name and address are optional (Settings → Documents' operator, else the
        // gateway profile): the same file as the act's will do.
        DocumentArg::Confirmation if args.details.is_none() => return Ok(Details::None),
        DocumentArg::Confirmation => "a confirmation",
        DocumentArg::Answer => "an answer",
        DocumentArg::Erasure => "an erasure act",
    };
    let Some(path) = &args.details else {
        return Err(format!(
            "details: {needed} needs --details FILE (JSON; docs/cli-json.md)"
        ));
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("details: {} cannot be read: {e}", path.display()))?;
    let bad = |e: serde_json::Error| format!("details: {}: {e}", path.display());
    Ok(match args.kind {
        DocumentArg::Confirmation => {
            let m: MerchantFile = serde_json::from_str(&text).map_err(bad)?;
            Details::Merchant(desk::documents::Party {
                name: m.operator_name,
                address: m.operator_address,
            })
        }
        DocumentArg::Answer => Details::Access(Box::new(serde_json::from_str(&text).map_err(bad)?)),
        _ => Details::Erasure(Box::new(serde_json::from_str(&text).map_err(bad)?)),
    })
}

fn printed(docs: &[ProducedDocument], json: bool) -> Exit {
    if json {
        let list: Vec<serde_json::Value> = docs
            .iter()
            .map(|d| {
                serde_json::json!({
                    "kind": d.kind,
                    "name": d.name,
                    "path": d.path,
                    "sha256": d.sha256,
                })
            })
            .collect();
        output::print_json(&serde_json::json!({ "documents": list }));
    } else {
        for d in docs {
            say!("saved {} (SHA-256 {})", d.path, d.sha256);
        }
        say!(
            "the digests are in the request and the audit log: `carddesk audit verify-document FILE` checks a file"
        );
    }
    Exit::Ok
}

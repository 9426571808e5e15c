//! Errors as the UI and the CLI see them: a stable code to branch on and a message that is
//! safe to show — it never holds a password (the client's errors never carry one). The message
//! is English (the CLI and logs read it); an error a person can meet in the window also carries
//! the same text in Russian, which the window shows when its language is RU.

use serde::Serialize;

use crate::{UiLanguage, Words};

/// Add a code only when a caller branches on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Input broke a rule; nothing was sent.
    Validation,
    /// The gateway answered with a fault.
    GatewayFault,
    /// The gateway could not be reached or answered something unreadable.
    Transport,
    /// The server's TLS certificate is not trusted (self-signed, wrong host, expired, or a
    /// proxy intercepting the traffic): nothing was sent.
    UntrustedCertificate,
    /// A bug or an environment problem on our side.
    Internal,
    /// The OS keyring (Secret Service, Keychain, Credential Manager) cannot be used; the app
    /// shows a banner and keeps secrets for this session only.
    SecretStoreUnavailable,
    /// The named item (e.g. a profile id) does not exist.
    NotFound,
    /// The profile has no password yet.
    CredentialsMissing,
    /// The audit log cannot be written or read, or is not intact; revocations (and recorded
    /// lookups) wait until it is fixed.
    AuditLog,
    /// Someone else changed the record first (a customer's request edited in another window
    /// or by a colleague): nothing was written; reload and make the change again.
    Conflict,
    /// Another removal of the same card is still open (this or another process): nothing was
    /// sent. The message says who holds it.
    RemovalInProgress,
    /// The team database refused (login, rights, schema) or raised the alarm of a
    /// conflicting entry; the desk goes on working alone meanwhile (docs/team.md).
    Team,
    /// The team's four-eyes policy needs a supervisor's approval for this action: it was asked
    /// for (or still waits); nothing was sent. Start it again once it is approved.
    AwaitingApproval,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error, ts_rs::TS)]
#[error("{message}")]
pub struct DeskError {
    pub code: ErrorCode,
    /// In English: what the CLI prints and the logs keep (and what [`DeskError::is_disk_full`]
    /// reads).
    pub message: String,
    /// The same in Russian, for the window when its language is RU; absent where only English
    /// is written (a bug or an environment diagnostic, see [`DeskError::internal`]): the window
    /// then shows `message`. The CLI leaves it out.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ru: Option<String>,
    /// For a validation error, the field it is about, by its machine name (`merchant_id`,
    /// `base_url`, `customer_number`, …): the UI puts the message beside that input without
    /// reading the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
}

impl DeskError {
    /// An error said in English; give it its Russian text with [`DeskError::ru`] when a person
    /// can meet it in the window.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> DeskError {
        DeskError {
            code,
            message: message.into(),
            ru: None,
            field: None,
        }
    }

    /// The same error said in Russian.
    #[must_use]
    pub fn ru(mut self, text: impl Into<String>) -> DeskError {
        self.ru = Some(text.into());
        self
    }

    /// The same error about the input named `field` (its machine name, as [`DeskError::field`]),
    /// or about none: an error made from another crate's, which may name a field, keeps it
    /// with `.with_field(e.field())`.
    #[must_use]
    pub fn with_field<'a>(mut self, field: impl Into<Option<&'a str>>) -> DeskError {
        self.field = field.into().map(str::to_owned);
        self
    }

    /// Input broke a rule: "`label`: `rule`" in each language, about the field named `field`
    /// ("customer number: must be 1–32 characters", "номер клиента: от 1 до 32 символов").
    pub fn invalid(field: &str, label: Words<'_>, rule: Words<'_>) -> DeskError {
        DeskError {
            code: ErrorCode::Validation,
            message: format!("{}: {}", label.en, rule.en),
            ru: Some(format!("{}: {}", label.ru, rule.ru)),
            field: Some(field.to_owned()),
        }
    }

    /// A bug or an environment diagnostic (a file that cannot be written, a task that
    /// panicked): said in English only, for whoever fixes it. The window shows its own
    /// localized title and hint for the `internal` code above this message.
    pub fn internal(message: impl Into<String>) -> DeskError {
        DeskError::new(ErrorCode::Internal, message)
    }

    /// The text to show in `language`: the Russian one when asked and there is one, else the
    /// English message.
    pub fn text(&self, language: UiLanguage) -> &str {
        match (language, &self.ru) {
            (UiLanguage::Ru, Some(ru)) => ru,
            _ => &self.message,
        }
    }

    /// Whether this failed because the disk holding the desk's data is full: the claim, the
    /// audit log or a job journal could not be written (the I/O error's own words, or the
    /// journal's "the disk is full"). A bulk job stops on it rather than fail row after row.
    pub fn is_disk_full(&self) -> bool {
        ["No space left on device", "os error 28", "the disk is full"]
            .iter()
            .any(|words| self.message.contains(words))
    }
}

impl From<assist::ValidationError> for DeskError {
    fn from(e: assist::ValidationError) -> Self {
        use assist::Language::{En, Ru};
        DeskError::invalid(
            e.field(),
            Words::new(e.field_label_in(En), e.field_label_in(Ru)),
            Words::new(e.rule_in(En), e.rule_in(Ru)),
        )
    }
}

impl From<assist::Error> for DeskError {
    fn from(e: assist::Error) -> Self {
        let code = match &e {
            assist::Error::Validation(_) => ErrorCode::Validation,
            assist::Error::Fault(_) => ErrorCode::GatewayFault,
            e if e.is_untrusted_certificate() => ErrorCode::UntrustedCertificate,
            _ => ErrorCode::Transport,
        };
        let field = match &e {
            assist::Error::Validation(v) => Some(v.field().to_owned()),
            _ => None,
        };
        DeskError {
            code,
            message: e.to_string(),
            ru: Some(e.render(assist::Language::Ru)),
            field,
        }
    }
}

impl From<desk_store::StoreError> for DeskError {
    /// A journal failure, in the desk's words: "bulk job journal: write: …".
    fn from(e: desk_store::StoreError) -> Self {
        use desk_store::StoreErrorKind;
        let path = e
            .path
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        match e.kind {
            StoreErrorKind::NotFound => DeskError::new(
                ErrorCode::NotFound,
                format!("bulk job: no journal at {path}"),
            )
            .ru(format!("массовое задание: нет журнала {path}")),
            StoreErrorKind::Busy => DeskError::internal(format!(
                "bulk job: {path} is open in another Card Desk (the app or carddesk): close it \
                 there first"
            ))
            .ru(format!(
                "массовое задание: журнал {path} открыт в другом Card Desk (в приложении или \
                 carddesk) — сначала закройте его там"
            )),
            StoreErrorKind::DiskFull => DeskError::internal(format!("bulk job {}", e.message)).ru(
                "массовое задание: диск заполнен (на устройстве с данными Card Desk не \
                     осталось места)",
            ),
            StoreErrorKind::Failed => DeskError::internal(format!("bulk job {}", e.message))
                .ru(format!("массовое задание: сбой журнала ({})", e.message)),
        }
    }
}

//! Why: the desk shows errors as `{code, message, field}` (desk/src/error.rs): a rule broken by
//! input must name its field and its rule so the UI can put the message beside that input, and
//! a refused write (a stale version, a register open elsewhere) must be told apart from a bug.
//! [`RequestError`] carries exactly that, and no personal data beyond the request id.

use std::borrow::Cow;
use std::path::PathBuf;

use crate::model::{OpenItem, RequestId};

mod russian;

/// What kind of failure, for a caller that branches (the desk maps these onto its codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Input or a transition broke a rule; nothing was written.
    Validation,
    /// No request with that id.
    NotFound,
    /// Someone else changed the request first (or created one with that id).
    Conflict,
    /// The register is open in another process.
    Busy,
    /// The disk or the database failed.
    Storage,
    /// The database did not answer in time (slow or stalled): nothing is known to have been
    /// written; try again.
    Unanswered,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// `field` is a machine name (`customer_number`, `subjects[1].customer_number`, `ticket`,
    /// `status`, …); `rule` the human text of the rule broken.
    #[error("{field}: {rule}")]
    Invalid {
        field: Cow<'static, str>,
        rule: Cow<'static, str>,
        /// The rule in Russian when the check knew it (another crate's rule); else
        /// [`RequestError::ru`] says it from its own table.
        rule_ru: Option<Cow<'static, str>>,
    },
    /// Closing was refused because of what is still open; closing with `force` records them.
    #[error("status: the request still has open items ({}); close with force to record them as left open", OpenItem::list(.items))]
    OpenItems { items: Vec<OpenItem> },
    #[error("request {id} does not exist")]
    NotFound { id: RequestId },
    #[error("request {id} already exists")]
    Exists { id: RequestId },
    /// The optimistic version check of [`crate::RequestStore::update`] failed.
    #[error(
        "request {id} was changed by someone else meanwhile (it is at version {found}, the change was made to version {expected}): reload it and make the change again"
    )]
    Stale {
        id: RequestId,
        expected: u64,
        found: u64,
    },
    #[error(
        "the request register at {} is open in another Card Desk (the app or carddesk): close it there first", .path.display()
    )]
    Busy { path: PathBuf },
    #[error("the request register: {0}")]
    Storage(String),
    /// The register's database did not answer in time; `en` and `ru` say which and how long.
    #[error("the request register: {en}")]
    Unanswered { en: String, ru: String },
}

impl RequestError {
    pub(crate) fn invalid(
        field: impl Into<Cow<'static, str>>,
        rule: impl Into<Cow<'static, str>>,
    ) -> RequestError {
        RequestError::Invalid {
            field: field.into(),
            rule: rule.into(),
            rule_ru: None,
        }
    }

    /// A rule broken whose Russian the caller has (a customer number's rule, from `assist`).
    pub(crate) fn invalid_said(
        field: impl Into<Cow<'static, str>>,
        rule: &'static str,
        rule_ru: &'static str,
    ) -> RequestError {
        RequestError::Invalid {
            field: field.into(),
            rule: Cow::Borrowed(rule),
            rule_ru: Some(Cow::Borrowed(rule_ru)),
        }
    }

    /// The whole message in Russian, as the English one is built (`field: rule`, …).
    pub fn ru(&self) -> String {
        match self {
            Self::Invalid {
                field,
                rule,
                rule_ru,
            } => format!(
                "{}: {}",
                russian::field(field),
                rule_ru
                    .as_deref()
                    .map_or_else(|| russian::rule(rule), str::to_owned)
            ),
            Self::OpenItems { items } => format!(
                "статус: у обращения есть незавершённое ({}); чтобы закрыть, отметьте, что это \
                 оставлено незавершённым",
                russian::open_items(items)
            ),
            Self::NotFound { id } => format!("обращения {id} нет"),
            Self::Exists { id } => format!("обращение {id} уже есть"),
            Self::Stale {
                id,
                expected,
                found,
            } => format!(
                "обращение {id} тем временем изменил кто-то другой (сейчас версия {found}, \
                 изменение сделано к версии {expected}): обновите его и повторите изменение"
            ),
            Self::Busy { path } => format!(
                "реестр обращений {} открыт в другом Card Desk (в приложении или carddesk): \
                 сначала закройте его там",
                path.display()
            ),
            Self::Storage(why) => format!("реестр обращений: {why}"),
            Self::Unanswered { ru, .. } => format!("реестр обращений: {ru}"),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid { .. } | Self::OpenItems { .. } => ErrorKind::Validation,
            Self::NotFound { .. } => ErrorKind::NotFound,
            Self::Exists { .. } | Self::Stale { .. } => ErrorKind::Conflict,
            Self::Busy { .. } => ErrorKind::Busy,
            Self::Storage(_) => ErrorKind::Storage,
            Self::Unanswered { .. } => ErrorKind::Unanswered,
        }
    }

    /// The field a validation error is about, by its machine name.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            Self::OpenItems { .. } => Some("status"),
            _ => None,
        }
    }

    /// The rule broken, in words, for a validation error.
    pub fn rule(&self) -> Option<Cow<'_, str>> {
        match self {
            Self::Invalid { rule, .. } => Some(Cow::Borrowed(rule)),
            Self::OpenItems { items } => Some(Cow::Owned(format!(
                "must have no open items to close ({})",
                OpenItem::list(items)
            ))),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors_name_field_and_rule() {
        let e = RequestError::invalid("ticket", "must be at most 64 characters");
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert_eq!(e.field(), Some("ticket"));
        assert_eq!(e.rule().as_deref(), Some("must be at most 64 characters"));
        assert_eq!(e.to_string(), "ticket: must be at most 64 characters");
        assert_eq!(e.ru(), "тикет: не длиннее 64 символов");
    }
}

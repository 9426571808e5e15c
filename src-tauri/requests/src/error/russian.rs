//! Why: the desk speaks Russian and English (the window follows its language), and the
//! register's rules are the ones an agent breaks most while typing a request. The rules are
//! written once, in English, where they are checked; this file says each of them in Russian,
//! and says the fields as people name them. A test reads the crate's sources and fails on a
//! rule written there that has no Russian here, so a new rule cannot ship English-only.

use crate::model::{DocumentKind, OpenItem};

/// Fixed rule texts, English → Russian.
const RULES: &[(&str, &str)] = &[
    ("must be at most 64 characters", "не длиннее 64 символов"),
    (
        "must not contain control characters",
        "без управляющих символов",
    ),
    ("must be 1–100 characters", "от 1 до 100 символов"),
    ("must not be blank", "не может быть пустым"),
    (
        "must not contain control characters other than line breaks and tabs",
        "без управляющих символов, кроме переносов строк и табуляции",
    ),
    (
        "must be a profile id (1–64 characters, no control characters) or all profiles",
        "должен быть профилем (1–64 символа, без управляющих символов) или «все профили»",
    ),
    (
        "the UTC offset must be within ±14 hours",
        "смещение от UTC должно быть в пределах ±14 часов",
    ),
    ("must not be in the future", "не может быть в будущем"),
    ("must not be before 2000", "не раньше 2000 года"),
    (
        "must be 64 lowercase hexadecimal digits",
        "64 шестнадцатеричные цифры в нижнем регистре",
    ),
    (
        "must be a file name of 1–255 characters without a directory or control characters",
        "имя файла из 1–255 символов, без каталога и управляющих символов",
    ),
    (
        "must name at least one customer",
        "нужен хотя бы один клиент",
    ),
    ("must name at most 50 customers", "не больше 50 клиентов"),
    (
        "names the same customer and profile twice",
        "тот же клиент в том же профиле указан дважды",
    ),
    ("the term was already extended", "срок уже продлён"),
    (
        "only a request that is new or in progress can be extended",
        "продлить можно только новое обращение или обращение в работе",
    ),
    ("the request has no deadline", "у обращения нет срока"),
    (
        "must not be before the request was received",
        "не раньше дня получения обращения",
    ),
    (
        "must be one of the customers the request names",
        "должен быть одним из клиентов обращения",
    ),
    (
        "must name a linked removal whose outcome is unknown",
        "должно указывать на связанное удаление с неизвестным исходом",
    ),
    (
        "this audit entry is already linked",
        "эта запись журнала уже связана",
    ),
    (
        "must be a request id (a UUID)",
        "должен быть идентификатором обращения (UUID)",
    ),
    (
        "a new request must not have been stored before",
        "новое обращение не должно быть сохранено ранее",
    ),
    (
        "a removal for a request needs at least one identity check that matched",
        "для удаления по обращению нужна хотя бы одна успешная проверка личности",
    ),
    (
        "starting work on a request needs at least one identity check that matched",
        "чтобы начать работу по обращению, нужна хотя бы одна успешная проверка личности",
    ),
];

/// A status as the window names it in Russian.
fn status(word: &str) -> &str {
    match word {
        "new" => "новое",
        "in_progress" => "в работе",
        "answered" => "отвечено",
        "closed" => "закрыто",
        "refused" => "отказано",
        other => other,
    }
}

/// A request kind as the window names it in Russian.
fn kind(word: &str) -> &str {
    match word {
        "card_refusal" => "отказ от сохранённых карт (376-ФЗ)",
        "access152" => "запрос сведений (152-ФЗ)",
        "erasure152" => "отзыв согласия (152-ФЗ)",
        "access_gdpr" => "запрос сведений (GDPR)",
        "erasure_gdpr" => "удаление данных (GDPR)",
        other => other,
    }
}

/// `rule` (as the checks write it) in Russian; a rule without a translation stays English.
pub(crate) fn rule(rule: &str) -> String {
    if let Some((_, ru)) = RULES.iter().find(|(en, _)| *en == rule) {
        return (*ru).to_owned();
    }
    if let Some(max) = rule
        .strip_prefix("must be at most ")
        .and_then(|r| r.strip_suffix(" characters"))
    {
        return format!("не длиннее {max} символов");
    }
    if let Some(s) = rule.strip_prefix("cannot change a request that is ") {
        return format!("нельзя менять обращение в статусе «{}»", status(s));
    }
    if let Some(rest) = rule.strip_prefix("cannot go from ")
        && let Some((from, rest)) = rest.split_once(" to ")
        && let Some((to, next)) = rest.split_once(" (next: ")
    {
        let next = next.trim_end_matches(')');
        let next = if next == "none, it is final" {
            "некуда, статус окончательный".to_owned()
        } else {
            next.split(" or ")
                .map(|s| format!("«{}»", status(s)))
                .collect::<Vec<_>>()
                .join(" или ")
        };
        return format!(
            "нельзя перейти из «{}» в «{}» (дальше: {next})",
            status(from),
            status(to)
        );
    }
    if let Some(k) = rule
        .strip_prefix("a ")
        .and_then(|r| r.strip_suffix(" request has no extension in law"))
    {
        return format!("для вида «{}» закон не предусматривает продления", kind(k));
    }
    if let Some(day) =
        rule.strip_prefix("the reasoned notice must be sent by the original last day, ")
    {
        return format!(
            "мотивированное уведомление нужно направить не позже исходного последнего дня, {day}"
        );
    }
    rule.to_owned()
}

/// A field's machine name as people say it in Russian (`subjects[1].customer_number` →
/// «клиент 2: номер клиента»).
pub(crate) fn field(name: &str) -> String {
    if let Some(rest) = name.strip_prefix("subjects[")
        && let Some((i, tail)) = rest.split_once(']')
        && let Ok(i) = i.parse::<usize>()
    {
        let tail = tail.trim_start_matches('.');
        return if tail.is_empty() {
            format!("клиент {}", i + 1)
        } else {
            format!("клиент {}: {}", i + 1, field(tail))
        };
    }
    match name {
        "ticket" => "тикет",
        "customer_number" => "номер клиента",
        "profile" => "профиль",
        "subjects" => "клиенты",
        "received_at" => "дата получения",
        "status" => "статус",
        "extension" => "продление",
        "notice_sent_on" => "дата уведомления",
        "reason" => "причина",
        "asked" => "что спросили",
        "by" => "кто",
        "assignee" => "исполнитель",
        "note" => "заметка",
        "identity_checks" => "проверка личности",
        "id" => "обращение",
        "name" => "имя файла",
        "deadline" => "срок",
        "version" => "версия",
        "settles" => "уточняет",
        "audit" => "запись журнала",
        other => other,
    }
    .to_owned()
}

/// What still stands in the way of closing, in Russian.
pub(crate) fn open_items(items: &[OpenItem]) -> String {
    items
        .iter()
        .map(|i| match i {
            OpenItem::MissingDocument { kind } => format!(
                "нет документа: {}",
                match kind {
                    DocumentKind::Answer => "ответ",
                    DocumentKind::Confirmation => "подтверждение",
                    DocumentKind::DestructionAct => "акт об уничтожении",
                    DocumentKind::LogExport => "выгрузка из журнала",
                    DocumentKind::ExtensionNotice => "уведомление о продлении",
                    DocumentKind::Other => "иной документ",
                }
            ),
            OpenItem::UnsettledRemoval { seq } => {
                format!("исход удаления (запись журнала {seq}) неизвестен")
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The string literals of each `RequestError::invalid(…)` call in `source`: the field (when
    /// written as a literal) and the rule.
    fn rule_literals(source: &str) -> Vec<String> {
        let mut rules = Vec::new();
        for call in source.split("RequestError::invalid(").skip(1) {
            let args = call.split("))").next().unwrap_or_default();
            let literals: Vec<&str> = args.split('"').skip(1).step_by(2).collect();
            let field_is_literal = args.trim_start().starts_with('"');
            let rule = match (field_is_literal, literals.as_slice()) {
                (true, [_, rule, ..]) | (false, [rule, ..]) => rule,
                _ => continue,
            };
            rules.push((*rule).to_owned());
        }
        rules
    }

    /// Every rule literal passed to `RequestError::invalid` in this crate's sources has a
    /// Russian text (a rule built with `format!` is checked by its own case below).
    #[test]
    fn every_rule_written_in_the_sources_has_russian() {
        let sources = [
            include_str!("../model/fields.rs"),
            include_str!("../model/rules.rs"),
            include_str!("../model.rs"),
            include_str!("../store/sled_store.rs"),
        ];
        let rules: Vec<String> = sources.iter().flat_map(|s| rule_literals(s)).collect();
        assert!(rules.len() > 20, "the scan found only {rules:?}");
        let missing: Vec<&String> = rules
            .iter()
            .filter(|r| !r.contains('{') && rule(r) == **r)
            .collect();
        assert!(missing.is_empty(), "rules without Russian: {missing:?}");
        for (en, _) in RULES {
            assert_ne!(rule(en), *en);
        }
    }

    #[test]
    fn formatted_rules_and_fields_are_said_in_russian() {
        assert_eq!(
            rule("must be at most 4000 characters"),
            "не длиннее 4000 символов"
        );
        assert_eq!(
            rule("cannot go from new to answered (next: in_progress or refused)"),
            "нельзя перейти из «новое» в «отвечено» (дальше: «в работе» или «отказано»)"
        );
        assert_eq!(
            rule("cannot go from closed to new (next: none, it is final)"),
            "нельзя перейти из «закрыто» в «новое» (дальше: некуда, статус окончательный)"
        );
        assert_eq!(
            rule("cannot change a request that is closed"),
            "нельзя менять обращение в статусе «закрыто»"
        );
        assert_eq!(
            rule("a card_refusal request has no extension in law"),
            "для вида «отказ от сохранённых карт (376-ФЗ)» закон не предусматривает продления"
        );
        assert_eq!(
            field("subjects[1].customer_number"),
            "клиент 2: номер клиента"
        );
        assert_eq!(field("ticket"), "тикет");
    }
}

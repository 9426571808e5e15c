//! Why: every value we send to the gateway is checked on our side first, because the gateway
//! silently rewrites bad input (docs/design.md §5, docs/assist-api.md §7.1) instead of refusing it.
//! A [`ValidationError`] names the field and the rule and never carries the offending value,
//! so a refused password can never reach a log or the UI through it. The rule is written in
//! both languages the desk speaks (EN, RU): the window shows it in the agent's language.

use std::fmt;

use serde::Serialize;

use crate::language::Language;

/// A value was refused before anything was sent to the gateway.
///
/// `field` is a stable machine name (`"customer_number"`, `"password"`, …) the UI can branch
/// on; `rule` is the human text of the broken rule, in English and in Russian. Neither
/// contains the refused value. Serialised as `{field, rule}` (English), as the CLI prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ValidationError {
    field: &'static str,
    rule: &'static str,
    #[serde(skip)]
    rule_ru: &'static str,
}

impl ValidationError {
    /// `rule` in English and `rule_ru` in Russian, each read after the field's label:
    /// "customer number: must be 1–32 characters", "номер клиента: от 1 до 32 символов".
    pub(crate) const fn new(
        field: &'static str,
        rule: &'static str,
        rule_ru: &'static str,
    ) -> Self {
        Self {
            field,
            rule,
            rule_ru,
        }
    }

    /// Stable machine name of the field, e.g. `"customer_number"`.
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// Human text of the broken rule in English, e.g. `"must be 1–32 characters"`.
    pub fn rule(&self) -> &'static str {
        self.rule
    }

    /// The broken rule in `language`: `"от 1 до 32 символов"` in Russian.
    pub fn rule_in(&self, language: Language) -> &'static str {
        match language {
            Language::En => self.rule,
            Language::Ru => self.rule_ru,
        }
    }

    /// The field as people say it in English: `"customer number"`, `"base URL"`.
    pub fn field_label(&self) -> &'static str {
        self.field_label_in(Language::En)
    }

    /// The field as people say it in `language`: `"номер клиента"` in Russian (the words of
    /// the window's own labels).
    pub fn field_label_in(&self, language: Language) -> &'static str {
        let (en, ru) = match self.field {
            "merchant_id" => ("merchant id", "номер мерчанта"),
            "login" => ("login", "логин"),
            "password" => ("password", "пароль"),
            "customer_number" => ("customer number", "номер клиента"),
            "token" => ("card token", "токен карты"),
            "language" => ("language", "язык шлюза"),
            "base_url" => ("base URL", "базовый URL"),
            other => (other, other),
        };
        match language {
            Language::En => en,
            Language::Ru => ru,
        }
    }

    /// "`label`: `rule`" in `language`; English is the [`Display`](fmt::Display) text.
    pub fn render(&self, language: Language) -> String {
        format!(
            "{}: {}",
            self.field_label_in(language),
            self.rule_in(language)
        )
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Language::En))
    }
}

impl std::error::Error for ValidationError {}

/// Characters the gateway strips silently from free-text parameters (docs/assist-api.md §7.1).
pub const STRIPPED_BY_GATEWAY: [char; 10] = ['<', '>', '"', '=', '\'', '/', '(', ')', ';', '#'];

/// Number of Unicode scalar values: the documented lengths are in characters, not bytes.
pub(crate) fn char_len(s: &str) -> usize {
    s.chars().count()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn display_names_field_and_rule() {
        let e = ValidationError::new(
            "customer_number",
            "must be 1–32 characters",
            "от 1 до 32 символов",
        );
        assert_eq!(e.to_string(), "customer number: must be 1–32 characters");
        assert_eq!(e.render(Language::En), e.to_string());
        assert_eq!(e.render(Language::Ru), "номер клиента: от 1 до 32 символов");
        assert_eq!(e.field(), "customer_number");
    }

    /// Every rule a validator can break, reached through the validators themselves.
    fn every_refusal() -> Vec<ValidationError> {
        use crate::{BaseUrl, CardToken, CustomerNumber, Login, MerchantId, Password};
        let mut all = vec![
            MerchantId::new("").unwrap_err(),
            Login::new("").unwrap_err(),
            Password::new("").unwrap_err(),
            Language::new("DE").unwrap_err(),
            CardToken::new("49D902C6").unwrap_err(),
        ];
        for number in ["", "12<3>4", " 1234"] {
            all.push(CustomerNumber::new(number).unwrap_err());
        }
        for url in [
            "payments",
            "https://user:pw@payments.paysecure.ru",
            "https://payments.paysecure.ru/?a=1",
            "http://payments.paysecure.ru",
            "ftp://payments.paysecure.ru",
            "data:text/plain,hello",
        ] {
            all.push(BaseUrl::new(url).unwrap_err());
        }
        all
    }

    #[test]
    fn every_rule_and_label_reads_in_russian() {
        let cyrillic = |s: &str| s.chars().any(|c| matches!(c, 'а'..='я' | 'А'..='Я'));
        let all = every_refusal();
        let rules: std::collections::BTreeSet<_> = all.iter().map(ValidationError::rule).collect();
        assert_eq!(
            rules.len(),
            all.len(),
            "each input above breaks a rule of its own"
        );
        for e in all {
            assert!(cyrillic(e.rule_in(Language::Ru)), "{e}: no Russian rule");
            assert!(
                cyrillic(e.field_label_in(Language::Ru)),
                "{e}: no Russian label"
            );
            assert!(
                !cyrillic(&e.to_string()),
                "{e}: the English text has Russian in it"
            );
        }
    }

    #[test]
    fn the_cli_json_stays_english() {
        let e = ValidationError::new("login", "must be 1–20 characters", "от 1 до 20 символов");
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"field": "login", "rule": "must be 1–20 characters"})
        );
    }
}

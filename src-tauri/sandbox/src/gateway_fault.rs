//! Gateway faults: the code pairs the sandbox answers with (docs/assist-api.md §6.4) and their
//! wire form `{"fault":{"detail":…,"faultcode":<first>,"faultstring":<second>}}` (§4.4, §11.9).
//!
//! `detail` follows the `"<class> (<subject>)"` pattern that client code builds from the code
//! tables (§6, C1), in RU or EN. The real gateway's wording is unknown; these texts are ours.

use serde_json::{Value, json};

use crate::fault_plan::FaultPlan;
use crate::language::Language;

/// What a fault is about: picks the subject text of `detail` (the second code alone is
/// often 0, which would say nothing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Subject {
    Body,
    MerchantId,
    Login,
    Password,
    LoginAndPassword,
    CustomerNumber,
    Token,
    Language,
    Enterprise,
    WebService,
    Customer,
    Card,
    RequestRate,
    Unexpected,
    Operation,
}

/// A first/second code pair plus its subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct GatewayFault {
    pub first: u16,
    pub second: u16,
    pub subject: Subject,
}

impl GatewayFault {
    const fn new(first: u16, second: u16, subject: Subject) -> Self {
        GatewayFault {
            first,
            second,
            subject,
        }
    }

    // One constructor per row of the §6.4 table.
    pub const BAD_JSON: Self = Self::new(4, 0, Subject::Body);
    pub const NO_MERCHANT_ID: Self = Self::new(3, 100, Subject::MerchantId);
    pub const NO_LOGIN: Self = Self::new(3, 101, Subject::Login);
    pub const NO_PASSWORD: Self = Self::new(3, 102, Subject::Password);
    pub const NO_CUSTOMER_NUMBER: Self = Self::new(3, 0, Subject::CustomerNumber);
    pub const NO_TOKEN: Self = Self::new(3, 0, Subject::Token);
    pub const BAD_MERCHANT_ID: Self = Self::new(4, 100, Subject::MerchantId);
    pub const BAD_LOGIN: Self = Self::new(4, 101, Subject::Login);
    pub const BAD_PASSWORD: Self = Self::new(4, 102, Subject::Password);
    pub const BAD_TOKEN: Self = Self::new(4, 0, Subject::Token);
    pub const BAD_CUSTOMER_NUMBER: Self = Self::new(4, 0, Subject::CustomerNumber);
    pub const LONG_CUSTOMER_NUMBER: Self = Self::new(5, 0, Subject::CustomerNumber);
    pub const BAD_LANGUAGE: Self = Self::new(5, 127, Subject::Language);
    pub const FORBIDDEN_MERCHANT: Self = Self::new(14, 200, Subject::Enterprise);
    pub const WRONG_CREDENTIALS: Self = Self::new(7, 141, Subject::LoginAndPassword);
    pub const NO_WEB_SERVICE: Self = Self::new(19, 350, Subject::WebService);
    pub const NO_CUSTOMER: Self = Self::new(10, 202, Subject::Customer);
    pub const NO_CARD: Self = Self::new(10, 203, Subject::Card);
    pub const RATE_LIMITED: Self = Self::new(17, 3, Subject::RequestRate);
    pub const INTERNAL: Self = Self::new(2, 1, Subject::Unexpected);
    pub const OPERATION_TIMED_OUT: Self = Self::new(16, 216, Subject::Operation);

    /// `detail`: `"<class> (<subject>)"`, e.g. "Ошибка аутентификации (Login и/или Password)".
    pub fn message(&self, language: Language) -> String {
        format!(
            "{} ({})",
            class_text(self.first, language),
            subject_text(self.subject, language)
        )
    }

    /// The wire body, shaped by the plan's `codes_as_strings` and `detail_as_object`.
    pub fn body(&self, language: Language, plan: &FaultPlan) -> Value {
        let message = self.message(language);
        let detail = if plan.detail_as_object {
            json!({ "message": message, "recomendation": recommendation(self.subject, language) })
        } else {
            Value::String(message)
        };
        let (first, second) = if plan.codes_as_strings {
            (
                json!(self.first.to_string()),
                json!(self.second.to_string()),
            )
        } else {
            (json!(self.first), json!(self.second))
        };
        json!({ "fault": { "detail": detail, "faultcode": first, "faultstring": second } })
    }
}

/// First-code texts, §6.1.
fn class_text(first: u16, language: Language) -> &'static str {
    let (ru, en) = match first {
        1 => ("Ошибка", "Error"),
        2 => ("Внутренняя ошибка", "Internal error"),
        3 => (
            "Отсутствие обязательного параметра",
            "Required parameter missing",
        ),
        4 => ("Ошибка в формате параметра", "Parameter format error"),
        5 => ("Неверное значение параметра", "Invalid parameter value"),
        7 => ("Ошибка аутентификации", "Authentication error"),
        10 => ("Отсутствие объекта", "Object missing"),
        14 => ("Запрещенный объект", "Forbidden object"),
        16 => ("Истекло время операции", "Operation timed out"),
        17 => ("Ошибка лимитов", "Limits error"),
        19 => ("Доступ запрещен", "Access denied"),
        _ => ("Ошибка", "Error"),
    };
    pick(language, ru, en)
}

fn subject_text(subject: Subject, language: Language) -> &'static str {
    let (ru, en) = match subject {
        Subject::Body => ("тело запроса JSON", "JSON request body"),
        Subject::MerchantId => ("Merchant_ID", "Merchant_ID"),
        Subject::Login => ("Login", "Login"),
        Subject::Password => ("Password", "Password"),
        Subject::LoginAndPassword => ("Login и/или Password", "Login and/or Password"),
        Subject::CustomerNumber => ("CustomerNumber", "CustomerNumber"),
        Subject::Token => ("Token", "Token"),
        Subject::Language => ("Language", "Language"),
        Subject::Enterprise => ("Предприятие", "Enterprise"),
        Subject::WebService => ("Веб-сервис", "Web service"),
        Subject::Customer => ("Покупатель", "Customer"),
        Subject::Card => ("Кредитная карта", "Credit card"),
        Subject::RequestRate => (
            "Превышена частота запросов к интерфейсу",
            "Interface request rate exceeded",
        ),
        Subject::Unexpected => ("Непредвиденная ошибка", "Unexpected error"),
        Subject::Operation => ("Операция", "Operation"),
    };
    pick(language, ru, en)
}

/// The `recomendation` of the object form of `detail` (the official SDK's spelling).
fn recommendation(subject: Subject, language: Language) -> &'static str {
    let (ru, en) = match subject {
        Subject::Body => (
            "Передайте параметры объектом JSON в кодировке UTF-8",
            "Send the parameters as a UTF-8 JSON object",
        ),
        Subject::MerchantId | Subject::Login | Subject::Password | Subject::LoginAndPassword => (
            "Проверьте Merchant_ID, Login и Password пользователя веб-сервисов",
            "Check the web-service user's Merchant_ID, Login and Password",
        ),
        Subject::CustomerNumber => (
            "Передайте CustomerNumber длиной до 32 символов",
            "Send a CustomerNumber of up to 32 characters",
        ),
        Subject::Token => (
            "Передайте токен карты из ответа token.cfm",
            "Send a card token as returned by token.cfm",
        ),
        Subject::Language => ("Укажите RU или EN", "Use RU or EN"),
        Subject::Enterprise => (
            "Проверьте, что пользователь привязан к предприятию",
            "Check that the user belongs to this merchant",
        ),
        Subject::WebService => (
            "Обратитесь в поддержку Assist для подключения услуги",
            "Ask Assist support to enable the service",
        ),
        Subject::Customer | Subject::Card => (
            "Обновите список карт покупателя",
            "Reload the customer's card list",
        ),
        Subject::RequestRate => ("Повторите запрос позже", "Retry later"),
        Subject::Unexpected | Subject::Operation => (
            "Повторите запрос позже или обратитесь в поддержку",
            "Retry later or contact support",
        ),
    };
    pick(language, ru, en)
}

fn pick(language: Language, ru: &'static str, en: &'static str) -> &'static str {
    match language {
        Language::Ru => ru,
        Language::En => en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detail_follows_class_and_subject() {
        let fault = GatewayFault::WRONG_CREDENTIALS;
        assert_eq!(
            fault.message(Language::Ru),
            "Ошибка аутентификации (Login и/или Password)"
        );
        assert_eq!(
            fault.message(Language::En),
            "Authentication error (Login and/or Password)"
        );
    }

    #[test]
    fn wire_shape_keeps_key_order() {
        let body = GatewayFault::WRONG_CREDENTIALS.body(Language::Ru, &FaultPlan::default());
        assert_eq!(
            body.to_string(),
            r#"{"fault":{"detail":"Ошибка аутентификации (Login и/или Password)","faultcode":7,"faultstring":141}}"#
        );
    }
}

//! Why: the gateway reports errors as a numeric pair — first code = class, second code =
//! subject — and only a table turns them into something a support agent can act on. These
//! are the tables of docs/assist-api.md §6.1 and §6.2, in English and Russian.

use crate::language::Language;

/// Text of a first code (error class), or `None` for a code outside §6.1.
pub fn class_text(first: u32, language: Language) -> Option<&'static str> {
    // docs/assist-api.md §6.1 (RU texts as transcribed there; 13 is absent from both sources).
    let (en, ru) = match first {
        0 => ("Success", "Успех"),
        1 => ("Error", "Ошибка"),
        2 => ("Internal error", "Внутренняя ошибка"),
        3 => (
            "Required parameter missing",
            "Отсутствие обязательного параметра",
        ),
        4 => ("Parameter format error", "Ошибка в формате параметра"),
        5 => ("Invalid parameter value", "Неверное значение параметра"),
        6 => (
            "Incompatible system version",
            "Несоответствующая версия системы",
        ),
        7 => ("Authentication error", "Ошибка аутентификации"),
        8 => ("Authorization error", "Ошибка авторизации"),
        9 => ("Encryption error", "Ошибка шифрования"),
        10 => ("Object missing", "Отсутствие объекта"),
        11 => ("Duplicate object", "Дубликатный объект"),
        12 => ("Object locked", "Объект заблокирован"),
        14 => ("Forbidden object", "Запрещенный объект"),
        15 => ("Forbidden operation", "Запрещенная операция"),
        16 => ("Operation timed out", "Истекло время операции"),
        17 => ("Limits error", "Ошибка лимитов"),
        18 => ("Suspected fraud", "Подозрение на мошенничество"),
        19 => ("Access denied", "Доступ запрещен"),
        20 => (
            "3-D Secure authorization error",
            "Ошибка авторизации по 3D-Secure",
        ),
        21 => ("Operation rejected", "Операция отклонена"),
        _ => return None,
    };
    Some(pick(language, en, ru))
}

/// Text of a second code (subject), or `None` for a code outside §6.2.
pub fn subject_text(second: u32, language: Language) -> Option<&'static str> {
    if let Some(name) = parameter_name(second) {
        // Parameter names are identifiers and read the same in both languages.
        return Some(match (second, language) {
            (141, Language::Ru) => "Login и/или Password",
            (142, Language::Ru) => "ExpireMonth и/или ExpireYear",
            (167, Language::Ru) => "Курс валюты",
            _ => name,
        });
    }
    // docs/assist-api.md §6.2: general (0–6), objects (2xx), operations (3xx), 3-D Secure (4xx).
    let (en, ru) = match second {
        0 => ("no additional information", "нет дополнительной информации"),
        1 => ("unexpected error", "непредвиденная ошибка"),
        2 => (
            "generated document too large",
            "сформированный документ слишком велик",
        ),
        3 => (
            "interface request rate exceeded",
            "превышена частота запросов к интерфейсу",
        ),
        4 => (
            "selection interval too large",
            "слишком большой интервал выборки",
        ),
        5 => ("key encryption error", "ошибка шифрования ключа"),
        6 => ("key decryption error", "ошибка расшифровки ключа"),
        200 => ("Enterprise (merchant)", "Предприятие"),
        201 => ("Order", "Заказ"),
        202 => ("Buyer/customer", "Покупатель"),
        203 => ("Credit card", "Кредитная карта"),
        204 => ("Bank", "Банк"),
        205 => ("Processing", "Процессинг"),
        206 => ("Terminal", "Терминал"),
        207 => ("Country", "Страна"),
        208 => ("Currency", "Валюта"),
        209 => ("Currency rate", "Курс валюты"),
        210 => ("Commission", "Комиссия"),
        211 => ("Limit", "Лимит"),
        212 => ("parameter TestMode", "параметр TestMode"),
        213 => ("parameter PaymentType", "параметр PaymentType"),
        214 => ("Template", "Шаблон"),
        215 => ("SOAP packet", "SOAP-пакет"),
        216 => ("Operation", "Операция"),
        217 => ("Payment instrument type", "Тип платежного средства"),
        218 => ("Payment instrument", "Платежное средство"),
        220 => ("Transaction", "Транзакция"),
        221 => ("User", "Пользователь"),
        225 => ("Legal entity", "Юридическое лицо"),
        226 => ("Company", "Компания"),
        228 => ("Account", "Счет"),
        300 => ("authorization cancel", "отмена авторизации"),
        301 => ("refund", "возврат"),
        302 => ("financial confirmation", "финансовое подтверждение"),
        305 => (
            "cancel of financial transaction",
            "отмена финансовой транзакции",
        ),
        306 => ("payment operation", "операция оплаты"),
        307 => ("confirmation operation", "операция подтверждения"),
        308 => ("cancel operation", "операция отмены"),
        309 => ("bill annulment", "аннулирование счета"),
        320 => ("recurring payment", "рекуррентный платеж"),
        350 => ("web service", "веб-сервис"),
        400 => ("Directory Server error", "ошибка Directory Server"),
        402 => (
            "waiting for 3-D Secure authorization",
            "ожидание авторизации 3-D Secure",
        ),
        403 => ("authorization forbidden by DS", "авторизация запрещена DS"),
        _ => return None,
    };
    Some(pick(language, en, ru))
}

/// Parameter second codes (1xx) of docs/assist-api.md §6.2.
fn parameter_name(second: u32) -> Option<&'static str> {
    Some(match second {
        100 => "Merchant_ID",
        101 => "Login",
        102 => "Password",
        103 => "Format",
        104 => "Date",
        105 => "Currency",
        106 => "MeanNumber",
        107 => "OrderNumber",
        108 => "Amount",
        109 => "Delay",
        110 => "Comment",
        111 => "MeanType",
        112 => "ExpireMonth",
        113 => "ExpireYear",
        114 => "Cardholder",
        115 => "CSC2",
        116 => "ClientIP",
        117 => "Lastname",
        118 => "Firstname",
        119 => "Middlename",
        120 => "Email",
        121 => "Address",
        122 => "Phone",
        123 => "City",
        124 => "State",
        125 => "Zip",
        126 => "LimitType",
        127 => "Language",
        128 => "Country",
        129 => "StartDay/StartMonth/StartYear",
        130 => "EndDay/EndMonth/EndYear",
        131 => "Success",
        132 => "ZipFlag",
        133 => "Header",
        134 => "Header1",
        135 => "Delimiter",
        136 => "OpenDelimiter",
        137 => "CloseDelimiter",
        138 => "RowDelimiter",
        139 => "Fields",
        140 => "SSL",
        141 => "Login and/or Password",
        142 => "ExpireMonth and/or ExpireYear",
        143 => "BillNumber",
        144 => "ProtectCode",
        145 => "OpType",
        146 => "OpState",
        147 => "RPSeries",
        148 => "RPNumber",
        149 => "AssistID",
        150 => "PIN",
        153 => "Ticket_Number, PNR",
        154 => "URL",
        155 => "Transact_ID",
        156 => "TID",
        157 => "MID",
        159 => "BIN",
        161 => "BillingNumber",
        163 => "TransactState",
        164 => "OrderState",
        165 => "TransactType",
        167 => "Currency rate",
        170 => "ResponseCode",
        173 => "IP address",
        176 => "PNR",
        177 => "PaymentMode",
        179 => "Cheque",
        185 => "BillSendType",
        186 => "HashType",
        187 => "BillNo",
        188 => "BillNoTemplate",
        189 => "Bill_ID",
        190 => "BillState",
        _ => return None,
    })
}

fn pick(language: Language, en: &'static str, ru: &'static str) -> &'static str {
    match language {
        Language::En => en,
        Language::Ru => ru,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_pairs_in_both_languages() {
        assert_eq!(class_text(7, Language::En), Some("Authentication error"));
        assert_eq!(class_text(7, Language::Ru), Some("Ошибка аутентификации"));
        assert_eq!(
            subject_text(141, Language::En),
            Some("Login and/or Password")
        );
        assert_eq!(
            subject_text(141, Language::Ru),
            Some("Login и/или Password")
        );
        assert_eq!(class_text(14, Language::En), Some("Forbidden object"));
        assert_eq!(subject_text(200, Language::Ru), Some("Предприятие"));
        assert_eq!(
            subject_text(3, Language::En),
            Some("interface request rate exceeded")
        );
        assert_eq!(subject_text(100, Language::Ru), Some("Merchant_ID"));
    }

    #[test]
    fn gaps_stay_unknown() {
        assert_eq!(class_text(13, Language::En), None);
        assert_eq!(class_text(22, Language::Ru), None);
        assert_eq!(subject_text(151, Language::En), None);
        assert_eq!(subject_text(999, Language::En), None);
    }
}

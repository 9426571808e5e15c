//! One test per edge case of docs/assist-api.md §12 that the parser or the validated types own,
//! each named after its case, with inline JSON. §12.13 (Recurring* parameters in payment
//! requests) does not apply to these two services; §12.14 (no blind removal retry) needs a
//! server and lives in tests/against_sandbox.rs.
#![allow(clippy::unwrap_used)]

use assist::reply::{interpret_list, interpret_removal};
use assist::wire::{Reply, WireError, parse_reply};
use assist::{
    AssetKind, BaseUrl, CardToken, CustomerNumber, Error, Fault, Language, Login, MediaKind,
    Password, YearMonth,
};

fn one_card(json: &str) -> assist::Card {
    let mut cards = interpret_list(200, json.as_bytes()).unwrap();
    assert_eq!(cards.len(), 1);
    cards.remove(0)
}

fn card_with(extra: &str) -> String {
    format!(
        r#"[{{"token":"49D902C6-1CCF-4605-9228-11D0E8115C77","bin":412362,"post":"0028",{extra}}}]"#
    )
}

fn fault_of(result: Result<impl std::fmt::Debug, Error>) -> Fault {
    match result {
        Err(Error::Fault(f)) => f,
        other => panic!("expected a fault, got {other:?}"),
    }
}

#[test]
fn case_12_1_array_fault_and_message_are_told_apart() {
    assert!(matches!(parse_reply(b"[]").unwrap(), Reply::Cards(c) if c.is_empty()));
    let fault = r#"{"fault":{"detail":"x","faultcode":7,"faultstring":141}}"#;
    assert_eq!(
        parse_reply(fault.as_bytes()).unwrap(),
        Reply::Fault(Fault::new(7, 141, "x"))
    );
    let message = r#"{"message":"Token 54F5A3DE-4B47-4B40-03B5-7FF992D6B401 is removed"}"#;
    assert!(matches!(
        parse_reply(message.as_bytes()).unwrap(),
        Reply::Message(_)
    ));
    // The mapping depends on the endpoint: a message is no card list, a list no removal.
    assert_eq!(
        interpret_list(200, message.as_bytes()).unwrap_err().code(),
        "unexpected_response"
    );
    assert_eq!(
        interpret_removal(200, b"[]").unwrap_err().code(),
        "unexpected_response"
    );
    // Other JSON is not a reply at all.
    for other in ["{}", "42", "\"ok\"", "null", "true", r#"{"result":"ok"}"#] {
        assert!(
            matches!(parse_reply(other.as_bytes()), Err(WireError::Unexpected(_))),
            "{other}"
        );
    }
}

#[test]
fn case_12_2_fault_at_http_500() {
    let body = br#"{"fault":{"detail":"Internal error","faultcode":2,"faultstring":1}}"#;
    for status in [200, 400, 401, 403, 500] {
        assert_eq!(
            fault_of(interpret_list(status, body)),
            Fault::new(2, 1, "Internal error")
        );
        assert_eq!(
            fault_of(interpret_removal(status, body)),
            Fault::new(2, 1, "Internal error")
        );
    }
}

#[test]
fn case_12_2_html_page_and_empty_body_are_transport_errors_with_status() {
    let html = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    match interpret_list(502, html).unwrap_err() {
        Error::Transport { status, detail } => {
            assert_eq!(status, Some(502));
            assert!(
                !detail.contains("nginx"),
                "the body is never quoted: {detail}"
            );
        }
        other => panic!("{other:?}"),
    }
    for empty in [&b""[..], b"  \r\n", b"\xEF\xBB\xBF"] {
        let e = interpret_removal(200, empty).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Transport {
                    status: Some(200),
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(e.is_retryable());
    }
    // Truncated JSON is not JSON either.
    let cut = br#"[{"expire":"12.2025","token":"49D902C6-1CCF-46"#;
    assert!(matches!(
        interpret_list(200, cut),
        Err(Error::Transport { .. })
    ));
    // A UTF-8 byte-order mark before valid JSON is tolerated.
    assert!(interpret_list(200, b"\xEF\xBB\xBF[]").unwrap().is_empty());
}

#[test]
fn case_12_3_codes_as_numbers_or_numeric_strings() {
    for body in [
        r#"{"fault":{"detail":"d","faultcode":7,"faultstring":141}}"#,
        r#"{"fault":{"detail":"d","faultcode":"7","faultstring":"141"}}"#,
        r#"{"fault":{"detail":"d","faultcode":" 7 ","faultstring":141.0}}"#,
        r#"{"FAULT":{"Detail":"d","FaultCode":"7","FaultString":"141"}}"#,
    ] {
        assert_eq!(
            fault_of(interpret_list(200, body.as_bytes())),
            Fault::new(7, 141, "d"),
            "{body}"
        );
    }
}

#[test]
fn case_12_3_detail_as_string_or_object() {
    let body = br#"{"fault":{"detail":{"message":"Wrong login","recomendation":"Check the password"},"faultcode":7,"faultstring":141}}"#;
    let f = fault_of(interpret_list(401, body));
    assert_eq!(f.detail, "Wrong login");
    assert_eq!(f.recommendation.as_deref(), Some("Check the password"));
    let missing = br#"{"fault":{"faultcode":7,"faultstring":141}}"#;
    assert_eq!(fault_of(interpret_list(200, missing)).detail, "");
    let null = br#"{"fault":{"detail":null,"faultcode":7,"faultstring":141}}"#;
    assert_eq!(fault_of(interpret_list(200, null)).detail, "");
}

#[test]
fn case_12_3_non_framed_fault_object() {
    let body = br#"{"faultcode":"14","faultstring":"200","detail":"Merchant forbidden"}"#;
    assert_eq!(
        fault_of(interpret_list(403, body)),
        Fault::new(14, 200, "Merchant forbidden")
    );
    // A SOAP-style text in faultstring is kept as the detail when there is none.
    let soap = br#"{"faultcode":"2","faultstring":"Server error"}"#;
    let f = fault_of(interpret_removal(500, soap));
    assert_eq!(
        (f.first, f.second, f.detail.as_str()),
        (Some(2), None, "Server error")
    );
}

#[test]
fn case_12_4_known_pairs_decoded_unknown_pairs_kept() {
    let f = fault_of(interpret_list(
        200,
        br#"{"fault":{"detail":"x","faultcode":7,"faultstring":141}}"#,
    ));
    assert_eq!(
        f.render(Language::En),
        "7/141 Authentication error (Login and/or Password): x"
    );
    assert_eq!(
        f.render(Language::Ru),
        "7/141 Ошибка аутентификации (Login и/или Password): x"
    );
    let f = fault_of(interpret_list(
        200,
        br#"{"fault":{"detail":"x","faultcode":22,"faultstring":777}}"#,
    ));
    assert_eq!((f.first, f.second), (Some(22), Some(777)));
    assert_eq!(
        f.render(Language::En),
        "22/777 error class 22 (code 777): x"
    );
    let f = fault_of(interpret_list(
        200,
        br#"{"fault":{"detail":"x","faultcode":14,"faultstring":200}}"#,
    ));
    assert_eq!(
        f.render(Language::En),
        "14/200 Forbidden object (Enterprise (merchant)): x"
    );
}

#[test]
fn case_12_5_no_cards_as_empty_array_or_not_found_fault() {
    assert!(interpret_list(200, b"[]").unwrap().is_empty());
    // §12.5: any "not found" (10/xxx) is no cards; the subject a real gateway sends for an
    // empty list is not documented (202, 203 and 218 are only the likely ones).
    for second in [202, 203, 218, 201, 0] {
        let body = format!(
            r#"{{"fault":{{"detail":"not found","faultcode":10,"faultstring":{second}}}}}"#
        );
        assert!(
            interpret_list(200, body.as_bytes()).unwrap().is_empty(),
            "10/{second}"
        );
        assert!(
            interpret_list(404, body.as_bytes()).unwrap().is_empty(),
            "10/{second} at 404"
        );
        // For removal, "not found" stays a fault: the caller decides what it means.
        assert!(
            interpret_removal(200, body.as_bytes())
                .unwrap_err()
                .fault()
                .is_some()
        );
    }
    // Another class is a fault, whatever its subject.
    let refused = br#"{"fault":{"detail":"","faultcode":7,"faultstring":203}}"#;
    assert_eq!(fault_of(interpret_list(200, refused)).first, Some(7));
}

#[test]
fn case_12_6_assets_in_every_empty_form_and_unknown_values() {
    for assets in [
        r#""assets":"""#,
        r#""assets":[]"#,
        r#""assets":null"#,
        r#""bank":"""#,
    ] {
        assert!(one_card(&card_with(assets)).assets.is_empty(), "{assets}");
    }
    let odd = card_with(
        r#""assets":[{"assetType":"HOLOGRAM","altText":null,"paymentType":"MIR","assetData":[]},
                     {"assetType":"ICON","assetData":[{"url":"u","mediaType":"image/webp","width":null,"height":"64"}]},
                     "junk", null, 7]"#,
    );
    let card = one_card(&odd);
    assert_eq!(card.assets.len(), 2);
    assert_eq!(card.assets[0].kind(), AssetKind::Other("HOLOGRAM".into()));
    assert_eq!(card.assets[0].payment_type.as_deref(), Some("MIR"));
    assert!(card.assets[0].data.is_empty());
    let data = &card.assets[1].data[0];
    assert_eq!(data.media(), MediaKind::Other("image/webp".into()));
    assert_eq!((data.width, data.height), (None, Some(64)));
    assert_eq!(card.assets[1].alt_text, None);
    // A single object where an array is expected counts as one element.
    let single = card_with(
        r#""assets":{"assetType":"ICON","assetData":{"url":"u","mediaType":"text/html"}}"#,
    );
    let card = one_card(&single);
    assert_eq!(card.assets[0].data[0].media(), MediaKind::Html);
}

#[test]
fn case_12_7_bin_and_post_normalised_to_padded_digit_strings() {
    let c = |bin: &str, post: &str| {
        one_card(&format!(
            r#"[{{"token":"49D902C6-1CCF-4605-9228-11D0E8115C77","bin":{bin},"post":{post}}}]"#
        ))
    };
    assert_eq!(c("412362", r#""0028""#).bin, "412362");
    assert_eq!(c(r#""412362""#, "28").last4, "0028");
    assert_eq!(c("12362", "28").bin, "012362");
    assert_eq!(c("41236201", r#""0028""#).bin, "41236201");
    assert_eq!(c("412362.0", "1030").bin, "412362");
    assert_eq!(c("412362", "1030").masked(), "4123 62•• •••• 1030");
}

#[test]
fn case_12_8_expire_leniency_and_active_flag() {
    let expire = |raw: &str| one_card(&card_with(&format!(r#""expire":"{raw}""#))).expiry;
    assert_eq!(expire("12.2025").month_year(), YearMonth::new(2025, 12));
    assert_eq!(expire("1.2026").month_year(), YearMonth::new(2026, 1));
    assert_eq!(expire("03/27").month_year(), YearMonth::new(2027, 3));
    assert_eq!(expire("03/2027").month_year(), YearMonth::new(2027, 3));
    // A ColdFusion number instead of a string: its digits as written, not an f64's.
    let number = |raw: &str| one_card(&card_with(&format!(r#""expire":{raw}"#))).expiry;
    let october = number("10.2030");
    assert_eq!(october.raw, "10.2030");
    assert_eq!(october.month_year(), YearMonth::new(2030, 10));
    assert_eq!(number("1.2026").month_year(), YearMonth::new(2026, 1));
    assert_eq!(number("null").month_year(), None);
    let odd = expire("Dec 2025");
    assert_eq!((odd.raw.as_str(), odd.month_year()), ("Dec 2025", None));
    let card = one_card(&card_with(r#""expire":"12.2025","active":true"#));
    assert!(card.is_usable(YearMonth::new(2025, 12).unwrap()));
    assert!(!card.is_usable(YearMonth::new(2026, 1).unwrap()));
    // Without a readable `active`, a card is not usable.
    assert!(!one_card(&card_with(r#""expire":"12.2099""#)).active);
}

#[test]
fn case_12_9_coldfusion_booleans() {
    for (value, want) in [
        ("true", true),
        ("false", false),
        (r#""true""#, true),
        (r#""false""#, false),
        ("1", true),
        ("0", false),
        (r#""1""#, true),
        (r#""0""#, false),
        (r#""YES""#, true),
        (r#""NO""#, false),
        (r#""yes""#, true),
        (r#""No""#, false),
    ] {
        let card = one_card(&card_with(&format!(
            r#""active":{value},"needCVC":{value}"#
        )));
        assert_eq!((card.active, card.need_cvc), (want, want), "{value}");
    }
    // Unreadable: not active, and a CVC is assumed needed.
    let card = one_card(&card_with(r#""active":"maybe","needCVC":null"#));
    assert_eq!((card.active, card.need_cvc), (false, true));
}

#[test]
fn case_12_10_bank_empty_and_brand_kept_as_sent() {
    let card = one_card(&card_with(
        r#""bank":"","brand":"MasterCard","assets":[{"assetType":"ICON","paymentType":"MC","assetData":[]}]"#,
    ));
    assert_eq!(card.bank, "");
    assert_eq!(card.brand, "MasterCard");
    assert_eq!(card.assets[0].payment_type.as_deref(), Some("MC"));
    let belkart = one_card(&card_with(r#""brand":"BELKART""#));
    assert_eq!(belkart.brand, "BELKART");
    assert_eq!(one_card(&card_with(r#""bank":null"#)).bank, "");
}

#[test]
fn case_12_11_tokens_kept_exactly_and_not_validated_as_uuids() {
    let lower = r#"[{"token":"4d7f0b0d-b701-47b0-779a-bb0cb5f25a14","bin":518615,"post":"1030"}]"#;
    let card = one_card(lower);
    assert_eq!(card.token, "4d7f0b0d-b701-47b0-779a-bb0cb5f25a14");
    assert_eq!(
        card.card_token().unwrap().as_str(),
        "4d7f0b0d-b701-47b0-779a-bb0cb5f25a14"
    );
    // Not RFC 4122 variant-valid, still a token.
    assert!(CardToken::new("54F5A3DE-4B47-4B40-03B5-7FF992D6B401").is_ok());
    assert!(CardToken::new("54F5A3DE4B474B4003B57FF992D6B401").is_err());
    // A card without a token is not silently dropped: the reply is not understood.
    let e = interpret_list(200, br#"[{"bin":412362,"post":"0028"}]"#).unwrap_err();
    assert_eq!(e.code(), "unexpected_response");
}

#[test]
fn case_12_12_customer_number_validated_locally() {
    assert!(CustomerNumber::new("1234").is_ok());
    let e = CustomerNumber::new("12<3>4").unwrap_err();
    assert_eq!(e.field(), "customer_number");
    assert_eq!(
        e.to_string(),
        "customer number: must not contain any of < > \" = ' / ( ) ; #"
    );
    let e = CustomerNumber::new("1".repeat(33)).unwrap_err();
    assert_eq!(e.to_string(), "customer number: must be 1–32 characters");
}

#[test]
fn case_12_15_removal_message_not_parsed_for_a_token() {
    let other_token = br#"{"message":"Token 33479991-B4E5-40FE-D9ED-EDC94BA7FA14 is removed"}"#;
    assert!(interpret_removal(200, other_token).is_ok());
    let russian = r#"{"message":"Токен удалён"}"#;
    assert_eq!(
        interpret_removal(200, russian.as_bytes()).unwrap(),
        "Токен удалён"
    );
    // A message under an error status is not taken as success.
    assert_eq!(
        interpret_removal(500, other_token).unwrap_err().code(),
        "unexpected_response"
    );
}

#[test]
fn case_12_16_one_click_credential_lengths() {
    // One Click allows Login ≤ 20 and Password ≤ 30, with no 8-character minimum.
    assert!(Login::new("LOGIN").is_ok());
    assert!(Login::new("l".repeat(20)).is_ok());
    assert!(Login::new("l".repeat(21)).is_err());
    assert!(Password::new("PASSWORD").is_ok());
    assert!(Password::new("p".repeat(30)).is_ok());
    assert!(Password::new("p".repeat(31)).is_err());
    // Lack of web-service rights is a fault like any other, decoded.
    let f = fault_of(interpret_list(
        200,
        br#"{"fault":{"detail":"","faultcode":19,"faultstring":350}}"#,
    ));
    assert_eq!(f.render(Language::En), "19/350 Access denied (web service)");
}

#[test]
fn case_12_17_base_url_is_per_merchant_and_https() {
    for host in [
        "https://test.paysecure.ru",
        "https://payments318.paysecure.ru/",
        "https://test.paysec.by",
        "https://pay169.paysec.by",
    ] {
        assert!(BaseUrl::new(host).is_ok(), "{host}");
    }
    assert_eq!(
        BaseUrl::new("http://payments.paysecure.ru")
            .unwrap_err()
            .field(),
        "base_url"
    );
}

//! The built-in seed, seen through the gateway: what demos and client tests rely on.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::common::*;

/// Every customer of merchant 452739 with the raw `token.cfm` answer.
async fn all_lists(sandbox: &assist_sandbox::Sandbox) -> BTreeMap<String, (String, Vec<Value>)> {
    let customers: Value = client()
        .get(format!("{}/_sandbox/customers", sandbox.url()))
        .bearer_auth(sandbox.control_token())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut out = BTreeMap::new();
    for c in customers
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["merchantId"] == 452739)
    {
        let number = c["customerNumber"].as_str().unwrap().to_owned();
        let answer = post(sandbox, TOKEN, list_body(&number)).await;
        let cards = answer.json().as_array().unwrap().clone();
        assert_eq!(cards.len() as u64, c["cards"].as_u64().unwrap());
        out.insert(number, (answer.text, cards));
    }
    out
}

fn strings<'a>(
    cards: impl Iterator<Item = &'a Value>,
    f: impl Fn(&'a Value) -> Vec<&'a Value>,
) -> BTreeSet<String> {
    cards
        .flat_map(f)
        .filter_map(|v| v.as_str())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn demo_merchant_covers_every_case() {
    let sandbox = start().await;
    let lists = all_lists(&sandbox).await;
    assert!(lists.len() >= 50, "{} customers", lists.len());
    let cards: Vec<&Value> = lists.values().flat_map(|(_, cards)| cards).collect();

    assert_eq!(lists["100025"].1.len(), 25);
    assert!(lists["100000"].1.is_empty());
    assert!(
        lists
            .keys()
            .any(|n| n.chars().any(|c| ('А'..='я').contains(&c))),
        "a Cyrillic number"
    );
    assert!(lists.contains_key("CRM-100234"));

    let brands = strings(cards.iter().copied(), |c| vec![&c["brand"]]);
    for brand in ["VISA", "MasterCard", "MIR"] {
        assert!(brands.contains(brand), "{brand}");
    }
    let banks = strings(cards.iter().copied(), |c| vec![&c["bank"]]);
    for bank in ["Сбербанк", "Т-Банк", "Альфа-Банк", "ВТБ", "Bank USA", ""]
    {
        assert!(banks.contains(bank), "{bank:?}");
    }
    assert!(
        cards
            .iter()
            .any(|c| c["expire"] == "01.2024" && c["active"] == false)
    );
    assert!(cards.iter().any(|c| c["needCVC"] == true));
    assert!(
        cards
            .iter()
            .any(|c| c["post"].as_str().unwrap().starts_with('0'))
    );
    assert!(
        cards
            .iter()
            .all(|c| c["bin"].is_u64() && c["post"].is_string())
    );

    let assets: Vec<&Value> = cards
        .iter()
        .filter_map(|c| c["assets"].as_array())
        .flatten()
        .collect();
    let types = strings(assets.iter().copied(), |a| vec![&a["assetType"]]);
    for t in [
        "BRAND_LOGO",
        "ISSUER_LOGO",
        "CO_BRAND_LOGO",
        "CARD_BACKGROUND_COMBINED",
        "CARD_BACKGROUND",
        "ICON",
        "TERMS_AND_CONDITIONS",
    ] {
        assert!(types.contains(t), "{t}");
    }
    let payment_types = strings(assets.iter().copied(), |a| vec![&a["paymentType"]]);
    assert_eq!(
        payment_types,
        ["MC", "MIR", "VISA"].map(String::from).into()
    );
    let media_types = strings(assets.iter().copied(), |a| {
        a["assetData"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| &d["mediaType"])
            .collect()
    });
    for m in [
        "image/png",
        "image/pdf",
        "application/pdf",
        "text/plain",
        "text/html",
    ] {
        assert!(media_types.contains(m), "{m}");
    }

    let raw: Vec<&String> = lists.values().map(|(text, _)| text).collect();
    for form in [r#""assets":"""#, r#""assets":[]"#, r#""assets":null"#] {
        assert!(raw.iter().any(|t| t.contains(form)), "{form}");
    }
    assert!(
        cards.iter().any(|c| c.get("assets").is_none()),
        "a card without the assets key"
    );
}

#[tokio::test]
async fn tokens_look_like_the_gateways() {
    let sandbox = start().await;
    let lists = all_lists(&sandbox).await;
    let mut nibbles = BTreeSet::new();
    let mut seen = BTreeSet::new();
    for token in lists.values().flat_map(|(_, cards)| tokens(cards)) {
        let groups: Vec<&str> = token.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12],
            "{token}"
        );
        assert!(
            token
                .chars()
                .all(|c| c == '-' || c.is_ascii_digit() || c.is_ascii_uppercase()),
            "{token}"
        );
        assert!(groups[2].starts_with('4'), "{token}");
        nibbles.insert(groups[3].chars().next().unwrap());
        assert!(seen.insert(token.clone()), "duplicate {token}");
    }
    assert_eq!(
        nibbles.len(),
        16,
        "fourth group starts with every hex digit: {nibbles:?}"
    );
}

#[tokio::test]
async fn every_media_url_resolves_with_its_real_type() {
    let sandbox = start().await;
    let lists = all_lists(&sandbox).await;
    let mut checked = BTreeSet::new();
    for (customer, (_, cards)) in &lists {
        for data in cards
            .iter()
            .filter_map(|c| c["assets"].as_array())
            .flatten()
            .flat_map(|a| a["assetData"].as_array().unwrap())
        {
            let url = data["url"].as_str().unwrap();
            assert!(
                url.starts_with(&format!("{}/media/", sandbox.url())),
                "{url}"
            );
            let response = client().get(url).send().await.unwrap();
            assert_eq!(response.status(), 200, "{url}");
            let content_type = response.headers()["content-type"]
                .to_str()
                .unwrap()
                .to_owned();
            let bytes = response.bytes().await.unwrap();
            assert!(bytes.len() < 30 * 1024, "{url} is {} bytes", bytes.len());
            match data["mediaType"].as_str().unwrap() {
                "image/png" => {
                    assert_eq!(content_type, "image/png");
                    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{url}");
                    // IHDR width/height agree with the asset, except for the doc's own
                    // customer, which keeps the documentation's 1536x969-style numbers.
                    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
                    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
                    if customer != "1234" {
                        assert_eq!(
                            (Some(width as u64), Some(height as u64)),
                            (data["width"].as_u64(), data["height"].as_u64()),
                            "{url}"
                        );
                    }
                    assert!(width <= 768 && height <= 484, "{url}");
                }
                "image/pdf" | "application/pdf" => {
                    assert_eq!(content_type, "application/pdf");
                    assert!(bytes.starts_with(b"%PDF-1."), "{url}");
                    assert!(bytes.ends_with(b"%%EOF\n"), "{url}");
                    assert!(data["width"].is_null() && data["height"].is_null());
                }
                "text/plain" => {
                    assert!(content_type.starts_with("text/plain"), "{content_type}");
                    assert!(std::str::from_utf8(&bytes).unwrap().len() > 50);
                }
                "text/html" => assert!(content_type.starts_with("text/html"), "{content_type}"),
                other => panic!("unexpected media type {other}"),
            }
            checked.insert(url.to_owned());
        }
    }
    assert!(
        checked.len() >= 20,
        "only {} distinct media files",
        checked.len()
    );
}

#[tokio::test]
async fn other_merchants_answer_with_their_users() {
    let sandbox = start().await;
    let by = serde_json::json!({"merchant": {"merchant_id": "600123", "login": "MINSK_API", "password": "Minsk2024pass"}, "customernumber": "BY-000204"});
    let cards = post(&sandbox, TOKEN, by.to_string()).await.json();
    let brands: Vec<&str> = cards
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["brand"].as_str().unwrap())
        .collect();
    assert!(brands.contains(&"BELKART"));
    let en = serde_json::json!({"merchant": {"merchant_id": "700001", "login": "TRAVEL_API", "password": "Travel2024pass"}, "customernumber": "1234"});
    assert_eq!(
        post(&sandbox, TOKEN, en.to_string())
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

//! Why: every test renders the same believable request — a merchant, a customer with two
//! saved cards, a refusal by e-mail — in the language under test, and reads the PDF back with
//! poppler's `pdftotext`, the way a reviewer's tools would see it. Without poppler the tests
//! fail and say what to install: a document test that skips proves nothing in CI.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use desk_documents::*;
use time::OffsetDateTime;
use time::macros::datetime;

pub const RECEIVED: OffsetDateTime = datetime!(2026-12-07 10:15:00 +03:00);
pub const REMOVED: OffsetDateTime = datetime!(2026-12-07 14:05:09 +03:00);
pub const CONFIRMED: OffsetDateTime = datetime!(2026-12-07 14:05:11 +03:00);
pub const GENERATED: OffsetDateTime = datetime!(2026-12-07 14:30:00 +03:00);

pub fn pick<'a>(lang: Language, en: &'a str, ru: &'a str) -> String {
    match lang {
        Language::En => en,
        Language::Ru => ru,
    }
    .to_owned()
}

pub fn merchant(lang: Language) -> Party {
    Party {
        name: pick(lang, "Romashka Subscriptions LLC", "ООО «Ромашка Подписки»"),
        address: pick(
            lang,
            "12 Tverskaya St, office 305, Moscow 125009, Russia",
            "125009, г. Москва, ул. Тверская, д. 12, офис 305",
        ),
    }
}

pub fn gateway(lang: Language) -> Party {
    Party {
        name: pick(
            lang,
            "ASSIST Group LLC (IPS Assist)",
            "ООО «Ассист Групп» (IPS Assist)",
        ),
        address: pick(
            lang,
            "Moscow, Russia (address as in the processing agreement)",
            "г. Москва (адрес по договору поручения обработки)",
        ),
    }
}

pub fn card(bin: &str, last4: &str, brand: &str) -> MaskedCard {
    MaskedCard {
        bin: bin.into(),
        last4: last4.into(),
        brand: brand.into(),
        expiry_month: 3,
        expiry_year: 2028,
    }
}

pub fn removed(card: MaskedCard) -> CardRemoval {
    CardRemoval {
        card,
        outcome: RemovalOutcome::Removed {
            removed_at: REMOVED,
            confirmed_at: CONFIRMED,
        },
    }
}

pub fn issue(id: &str) -> Issue {
    Issue {
        document_id: id.into(),
        generated_at: GENERATED,
        audit_entries: vec![
            AuditLine {
                seq: 41,
                line: r#"{"seq":41,"action":"revoke_intent","customer":"100234"}"#.into(),
            },
            AuditLine {
                seq: 42,
                line: r#"{"seq":42,"action":"revoke_outcome","customer":"100234"}"#.into(),
            },
        ],
    }
}

pub fn request() -> RequestReceipt {
    RequestReceipt {
        received_at: RECEIVED,
        channel: Channel::Email,
        ticket: Some("CRM-2026-000417".into()),
    }
}

pub fn two_cards() -> Vec<CardRemoval> {
    vec![
        removed(card("412362", "0000", "VISA")),
        removed(card("220070", "4417", "MIR")),
    ]
}

pub fn confirmation(lang: Language, cards: Vec<CardRemoval>) -> Confirmation {
    Confirmation {
        merchant: merchant(lang),
        merchant_named_by: MerchantSource::OperatorDetails,
        customer_number: "100234".into(),
        request: request(),
        cards,
        checked_at: CONFIRMED,
        issue: issue("CONF-2026-000417"),
    }
}

pub fn access(lang: Language) -> AccessAnswer {
    AccessAnswer {
        operator: merchant(lang),
        customer_number: "100234".into(),
        request: request(),
        as_of: datetime!(2026-12-08 09:00:00 +03:00),
        cards: vec![
            HeldCard {
                card: card("412362", "0000", "VISA"),
                bank: pick(lang, "Sberbank", "ПАО Сбербанк"),
                status: CardStatus::Active,
                held_in: None,
            },
            HeldCard {
                card: MaskedCard {
                    expiry_year: 2025,
                    ..card("220070", "4417", "MIR")
                },
                bank: pick(lang, "T-Bank", "АО «ТБанк»"),
                status: CardStatus::Expired,
                held_in: None,
            },
        ],
        accounts: vec![],
        categories: vec![
            DataCategory::CardToken,
            DataCategory::MaskedCardNumber,
            DataCategory::Expiry,
            DataCategory::BrandAndBank,
            DataCategory::CustomerNumber,
        ],
        purposes: vec![pick(
            lang,
            "paying for the subscription with a saved card at your request",
            "оплата подписки сохранённой картой по вашему поручению",
        )],
        legal_grounds: vec![pick(
            lang,
            "the subscription contract (152-FZ art. 6 part 1 item 5)",
            "договор абонентского обслуживания (п. 5 ч. 1 ст. 6 152-ФЗ)",
        )],
        methods: pick(
            lang,
            "automated: storage of a card token at the payment gateway",
            "автоматизированная: хранение токена карты в платёжном шлюзе",
        ),
        recipients: vec![
            pick(
                lang,
                "the payment gateway IPS Assist",
                "платёжный шлюз IPS Assist",
            ),
            pick(lang, "our support staff", "сотрудники службы поддержки"),
        ],
        source: pick(
            lang,
            "you, when you paid with the card",
            "вы сами при оплате картой",
        ),
        storage: pick(
            lang,
            "until you refuse the saved card or the contract ends, then destroyed within 30 days",
            "до вашего отказа от сохранённой карты или окончания договора, затем уничтожаются в течение 30 дней",
        ),
        processor: Some(gateway(lang)),
        cross_border: pick(lang, "none", "не осуществляется"),
        rights: pick(
            lang,
            "You may ask us to correct, block or destroy your data, or withdraw consent, by \
             writing to privacy@romashka.example or to our address above. You may complain to \
             Roskomnadzor or to a court.",
            "Вы вправе потребовать уточнения, блокирования или уничтожения данных, отозвать \
             согласие, написав на privacy@romashka.example или по адресу выше. Вы вправе \
             обжаловать наши действия в Роскомнадзор или в суд.",
        ),
        issue: issue("ACC-2026-000418"),
    }
}

pub fn act(lang: Language, removals: Vec<CardRemoval>) -> ErasureAct {
    ErasureAct {
        operator: merchant(lang),
        processor: Some(gateway(lang)),
        subject: pick(
            lang,
            "Customer number 100234 (the customer's name is not held)",
            "Клиент с номером 100234 (ФИО клиента не хранится)",
        ),
        destroyed_by: vec![
            Signatory {
                name: pick(lang, "Anna Sergeyevna Ivanova", "Иванова Анна Сергеевна"),
                position: pick(lang, "Support desk agent", "Специалист службы поддержки"),
            },
            Signatory {
                name: pick(lang, "Pyotr Ilyich Smirnov", "Смирнов Пётр Ильич"),
                position: pick(
                    lang,
                    "Data protection officer",
                    "Ответственный за обработку ПДн",
                ),
            },
        ],
        categories: vec![
            DataCategory::CardToken,
            DataCategory::MaskedCardNumber,
            DataCategory::Expiry,
            DataCategory::BrandAndBank,
        ],
        information_system: pick(
            lang,
            "Card Desk with the IPS Assist payment gateway",
            "Card Desk и платёжный шлюз IPS Assist",
        ),
        reason: ErasureReason::SavedCardRefusal,
        removals,
        issue: issue("ACT-2026-000419"),
    }
}

pub fn log(lang: Language, removals: Vec<CardRemoval>) -> ErasureLog {
    let act = act(lang, removals);
    ErasureLog {
        operator: act.operator.clone(),
        information_system: act.information_system.clone(),
        entries: act
            .removals
            .iter()
            .enumerate()
            .map(|(i, r)| ErasureLogEntry {
                subject: act.subject.clone(),
                card: r.card.clone(),
                categories: act.categories.clone(),
                reason: act.reason.clone(),
                outcome: r.outcome.clone(),
                audit_entry_hash: format!("{:064x}", 0x9f3a_u64 + i as u64),
            })
            .collect(),
        issue: issue("LOG-2026-000420"),
    }
}

/// Where rendered files go: `CARDDESK_DOCUMENTS_OUT` to keep them, else a temporary directory.
pub fn out_dir() -> (Option<tempfile::TempDir>, PathBuf) {
    match std::env::var_os("CARDDESK_DOCUMENTS_OUT") {
        Some(dir) => {
            std::fs::create_dir_all(&dir).unwrap();
            (None, PathBuf::from(dir))
        }
        None => {
            let tmp = tempfile::tempdir().unwrap();
            let path = tmp.path().to_owned();
            (Some(tmp), path)
        }
    }
}

/// The text of a PDF as `pdftotext -raw` reads it, whitespace collapsed to single spaces.
pub fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "pdftotext could not be run ({e}); install poppler-utils \
                 (apt-get install -y poppler-utils, see scripts/install-deps.sh)"
            )
        });
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes `bytes` to `dir/name` and returns its text.
pub fn write_and_read(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    pdf_text(&path)
}

pub fn assert_has(text: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(text.contains(w), "missing {w:?} in:\n{text}");
    }
}

//! Why: a document is only proof if what it says can be read back: every document is rendered
//! in both languages and its text, as poppler extracts it, must hold the facts (Cyrillic,
//! masked digits with their bullets, dates with offsets) and every label the law asks for.
#![allow(clippy::unwrap_used)]

mod sample;

use desk_documents::*;
use sample::*;

const LANGS: [Language; 2] = [Language::En, Language::Ru];

/// [`sample::write_and_read`], and every font the PDF uses is embedded (pdffonts' `emb`
/// column says `yes`): a document kept for years must print the same on a machine without
/// DejaVu, and PDF/A requires it. Every document this file renders is read through here.
fn write_and_read(dir: &std::path::Path, name: &str, bytes: &[u8]) -> String {
    let text = sample::write_and_read(dir, name, bytes);
    assert_fonts_embedded(&dir.join(name));
    text
}

/// Reads `pdffonts` (poppler-utils) of `pdf`: at least one font, each with `emb` = `yes`.
fn assert_fonts_embedded(pdf: &std::path::Path) {
    let out = std::process::Command::new("pdffonts")
        .arg(pdf)
        .output()
        .expect("pdffonts (poppler-utils; scripts/install-deps.sh installs it) runs");
    assert!(out.status.success(), "pdffonts {}: {out:?}", pdf.display());
    let listing = String::from_utf8(out.stdout).unwrap();
    let mut lines = listing.lines();
    let header = lines.next().expect("pdffonts prints a header");
    let rule = lines.next().expect("pdffonts underlines its header");
    // The columns are as wide as the dashes under their names; `emb` is one of them.
    let mut columns = Vec::new();
    let mut start = 0;
    for dashes in rule.split(' ') {
        columns.push((start, start + dashes.len()));
        start += dashes.len() + 1;
    }
    let names: Vec<&str> = columns
        .iter()
        .map(|&(a, b)| header.get(a..b.min(header.len())).unwrap_or("").trim())
        .collect();
    let emb = names
        .iter()
        .position(|n| *n == "emb")
        .unwrap_or_else(|| panic!("no emb column in:\n{listing}"));
    let (a, b) = columns[emb];
    let fonts: Vec<&str> = lines.filter(|l| !l.trim().is_empty()).collect();
    assert!(
        !fonts.is_empty(),
        "{} lists no font:\n{listing}",
        pdf.display()
    );
    for font in fonts {
        assert_eq!(
            font.get(a..b).map(str::trim),
            Some("yes"),
            "{}: a font is not embedded:\n{listing}",
            pdf.display()
        );
    }
}

fn lang_name(lang: Language) -> &'static str {
    match lang {
        Language::En => "en",
        Language::Ru => "ru",
    }
}

#[test]
fn the_confirmation_states_each_removal_and_the_promise() {
    let (_keep, dir) = out_dir();
    for lang in LANGS {
        let doc = Document::Confirmation(confirmation(lang, two_cards()));
        let r = render(&doc, lang).unwrap();
        let text = write_and_read(
            &dir,
            &format!("confirmation-{}.pdf", lang_name(lang)),
            &r.bytes,
        );
        assert_has(
            &text,
            &[
                "4123 62•• •••• 0000",
                "2200 70•• •••• 4417",
                "VISA",
                "03/2028",
                "100234",
                "CRM-2026-000417",
                "CONF-2026-000417",
            ],
        );
        // A hash wider than its cell wraps inside it.
        assert!(
            text.replace(' ', "")
                .contains(&audit_digest(&issue("x").audit_entries))
        );
        match lang {
            Language::En => assert_has(
                &text,
                &[
                    "Confirmation of the refusal of saved card details",
                    "Romashka Subscriptions LLC",
                    "7 December 2026, 10:15:00 UTC+03:00",
                    "e-mail",
                    "Removed at",
                    "Confirmed by re-reading the card list at",
                    "7 December 2026, 14:05:09 UTC+03:00",
                    "7 December 2026, 14:05:11 UTC+03:00",
                    "were removed at the payment gateway and can no longer be used for payments",
                    "initiated by the merchant with them",
                    "Page 1 of 1",
                    // the merchant as the operator's details name it, with its address
                    "Merchant Romashka Subscriptions LLC, 12 Tverskaya St, office 305, Moscow 125009, Russia",
                    // a running header short enough to be read whole
                    "Refusal confirmation (376-FZ)",
                    // signed-ready, like the act
                    "Signed for the merchant full name position signature date",
                ],
            ),
            Language::Ru => assert_has(
                &text,
                &[
                    "Подтверждение отказа от сохранённых реквизитов банковской карты",
                    "ООО «Ромашка Подписки»",
                    "7 декабря 2026 г., 10:15:00 UTC+03:00",
                    "электронная почта",
                    "Удаление подтверждено повторным чтением списка карт",
                    "7 декабря 2026 г., 14:05:09 UTC+03:00",
                    "удалены в платёжном шлюзе и больше не могут использоваться для платежей,",
                    "инициируемых продавцом с их использованием",
                    // the record runs onto a second page: the signature stays under what it attests
                    "Стр. 1 из 2",
                    "Продавец ООО «Ромашка Подписки», 125009, г. Москва, ул. Тверская, д. 12, офис 305",
                    "Подтверждение отказа (376-ФЗ)",
                    "Подпись уполномоченного лица продавца ФИО должность подпись дата",
                ],
            ),
        }
        // Nothing is cut: not the running header, not a value.
        assert!(!text.contains('…'), "{text}");
        assert!(!text.contains("Sandbox"), "{text}");
    }
}

#[test]
fn a_confirmation_without_the_merchants_details_says_it_names_the_gateway_accounts() {
    let (_keep, dir) = out_dir();
    for lang in LANGS {
        let mut doc = confirmation(lang, two_cards());
        doc.merchant = Party {
            name: "Sandbox".into(),
            address: String::new(),
        };
        doc.merchant_named_by = MerchantSource::GatewayProfile;
        let r = render(&Document::Confirmation(doc), lang).unwrap();
        let text = write_and_read(
            &dir,
            &format!("confirmation-profile-name-{}.pdf", lang_name(lang)),
            &r.bytes,
        );
        assert_has(
            &text,
            &[match lang {
                Language::En => {
                    "Merchant (as its accounts at the payment gateway are named; the merchant's name and address were not given) Sandbox"
                }
                Language::Ru => {
                    "Продавец (как названы его учётные записи в платёжном шлюзе; наименование и адрес продавца не указаны) Sandbox"
                }
            }],
        );
    }
}

#[test]
fn a_confirmation_without_cards_says_none_are_held() {
    let (_keep, dir) = out_dir();
    for lang in LANGS {
        let doc = Document::Confirmation(confirmation(lang, vec![]));
        let r = render(&doc, lang).unwrap();
        let text = write_and_read(
            &dir,
            &format!("confirmation-none-{}.pdf", lang_name(lang)),
            &r.bytes,
        );
        assert_has(
            &text,
            &[match lang {
                Language::En => {
                    "No saved card details are held for this customer as of 7 December 2026, 14:05:11 UTC+03:00"
                }
                Language::Ru => {
                    "Сохранённые реквизиты карт для этого клиента отсутствуют по состоянию на 7 декабря 2026 г., 14:05:11 UTC+03:00"
                }
            }],
        );
    }
}

#[test]
fn a_confirmation_promises_nothing_about_cards_it_did_not_remove() {
    let (_keep, dir) = out_dir();
    for lang in LANGS {
        for (name, cards) in [
            ("none", vec![]),
            (
                "unknown",
                vec![CardRemoval {
                    card: card("412362", "0000", "VISA"),
                    outcome: RemovalOutcome::Unknown,
                }],
            ),
        ] {
            let doc = Document::Confirmation(confirmation(lang, cards));
            let r = render(&doc, lang).unwrap();
            let text = write_and_read(
                &dir,
                &format!("confirmation-{name}-promise-{}.pdf", lang_name(lang)),
                &r.bytes,
            );
            for never in [
                "can no longer be used",
                "больше не могут",
                "periodic",
                "периодическ",
            ] {
                assert!(!text.contains(never), "{never:?} in {name}: {text}");
            }
        }
    }
}

#[test]
fn an_access_answer_over_several_accounts_says_where_each_card_is_held() {
    let (_keep, dir) = out_dir();
    for lang in LANGS {
        let mut answer = access(lang);
        answer.accounts = vec!["Shop RU".into(), "Travel EN".into()];
        answer.cards[0].held_in = Some("Shop RU".into());
        answer.cards[1].held_in = Some("Travel EN".into());
        let r = render(&Document::AccessAnswer(answer), lang).unwrap();
        let text = write_and_read(
            &dir,
            &format!("access-accounts-{}.pdf", lang_name(lang)),
            &r.bytes,
        );
        assert_has(&text, &["Shop RU; Travel EN", "Travel EN"]);
        assert_has(
            &text,
            &[match lang {
                Language::En => "Gateway accounts read",
                Language::Ru => "Проверенные учётные записи в шлюзе",
            }],
        );
    }
}

#[test]
fn the_access_answer_shows_the_cards_and_every_clause() {
    let (_keep, dir) = out_dir();
    for lang in LANGS {
        let r = render(&Document::AccessAnswer(access(lang)), lang).unwrap();
        let text = write_and_read(&dir, &format!("access-{}.pdf", lang_name(lang)), &r.bytes);
        assert_has(
            &text,
            &["4123 62•• •••• 0000", "03/2025", "MIR", "ACC-2026-000418"],
        );
        match lang {
            Language::En => assert_has(
                &text,
                &[
                    "Answer to a request for access to personal data",
                    "Sberbank",
                    "expired",
                    "8 December 2026, 09:00:00 UTC+03:00",
                    "Purposes (art. 14 part 7 item 3; Art. 15(1)(a))",
                    "Storage period",
                    "Processor acting for the operator",
                    "ASSIST Group LLC (IPS Assist)",
                    "How to exercise your rights",
                ],
            ),
            Language::Ru => assert_has(
                &text,
                &[
                    "Ответ на запрос субъекта персональных данных",
                    "ПАО Сбербанк",
                    "срок действия истёк",
                    "Цели обработки",
                    "Сроки обработки и хранения",
                    "Лицо, обрабатывающее данные по поручению оператора",
                    "Порядок осуществления ваших прав",
                ],
            ),
        }
    }
}

#[test]
fn the_erasure_act_labels_every_field_of_order_179() {
    let (_keep, dir) = out_dir();
    let labels_en = [
        "(a) Operator: name and address",
        "(b) Processor acting on the operator's instruction: name and address",
        "(c) Data subject",
        "(d) Destroyed by: full name, position",
        "(e) Categories of personal data destroyed",
        "(f) Tangible media destroyed, number of sheets",
        "(g) Information system of personal data",
        "(h) Method of destruction",
        "(i) Reason for destruction",
        "(k) Date of destruction",
    ];
    let labels_ru = [
        "(а) Оператор: наименование и адрес",
        "(б) Лицо, осуществляющее обработку по поручению оператора: наименование и адрес",
        "(в) Субъект персональных данных",
        "(г) Уничтожившие персональные данные: ФИО, должность",
        "(д) Перечень категорий уничтоженных персональных данных",
        "(е) Уничтоженный материальный носитель, количество листов",
        "(ж) Наименование информационной системы персональных данных",
        "(з) Способ уничтожения",
        "(и) Причина уничтожения",
        "(к) Дата уничтожения",
    ];
    for lang in LANGS {
        let r = render(&Document::ErasureAct(act(lang, two_cards())), lang).unwrap();
        let text = write_and_read(&dir, &format!("act-{}.pdf", lang_name(lang)), &r.bytes);
        assert_has(&text, &["4123 62•• •••• 0000", "ACT-2026-000419"]);
        match lang {
            Language::En => {
                assert_has(&text, &labels_en);
                assert_has(
                    &text,
                    &[
                        "Act of destruction of personal data",
                        "not applicable — automated processing",
                        "removal of the stored-card token at the payment gateway, verified by re-reading the card list",
                        "Anna Sergeyevna Ivanova",
                        "Support desk agent",
                        "signature",
                        "7 December 2026, 14:05:09 UTC+03:00",
                        "items (a)–(k) are its subparagraphs «а»–«к», in order",
                    ],
                );
                // Latin letters in the English act: no Cyrillic item letter is left in it
                for letter in ["а", "б", "в", "г", "д", "е", "ж", "з", "и", "к"] {
                    assert!(
                        !text.contains(&format!("({letter})")),
                        "({letter}) in {text}"
                    );
                }
            }
            Language::Ru => {
                assert_has(&text, &labels_ru);
                assert_has(
                    &text,
                    &[
                        "Акт об уничтожении персональных данных",
                        "не применимо — обработка автоматизированная",
                        "удаление токена сохранённой карты в платёжном шлюзе",
                        "Иванова Анна Сергеевна",
                        "подпись",
                        "7 декабря 2026 г., 14:05:09 UTC+03:00",
                    ],
                );
            }
        }
    }
}

#[test]
fn an_act_without_a_processor_says_not_applicable() {
    let (_keep, dir) = out_dir();
    let mut doc = act(Language::En, two_cards());
    doc.processor = None;
    let r = render(&Document::ErasureAct(doc), Language::En).unwrap();
    let text = write_and_read(&dir, "act-no-processor-en.pdf", &r.bytes);
    assert_has(
        &text,
        &["(b) Processor acting on the operator's instruction: name and address not applicable"],
    );
}

#[test]
fn the_log_export_has_the_columns_of_paragraph_5_as_pdf_and_csv() {
    let (_keep, dir) = out_dir();
    for lang in LANGS {
        let log = log(lang, two_cards());
        let r = render(&Document::ErasureLog(log.clone()), lang).unwrap();
        let text = write_and_read(&dir, &format!("log-{}.pdf", lang_name(lang)), &r.bytes);
        assert_has(
            &text,
            &[
                "4123 62•• •••• 0000",
                "14:05:09 UTC+03:00",
                "LOG-2026-000420",
            ],
        );
        let csv = erasure_log_csv(&log, lang).unwrap();
        std::fs::write(dir.join(format!("log-{}.csv", lang_name(lang))), &csv.bytes).unwrap();
        let csv_text = String::from_utf8(csv.bytes.clone()).unwrap();
        assert!(csv_text.starts_with('\u{feff}'));
        let mut reader = csv::Reader::from_reader(&csv.bytes[3..]);
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][1], "4123 62•• •••• 0000");
        assert_eq!(&rows[0][5], "2026-12-07");
        assert_eq!(&rows[0][6], "14:05:09+03:00");
        assert_eq!(rows[0][7].len(), 64);
        match lang {
            Language::En => {
                assert_has(
                    &text,
                    &[
                        "(a) Data subject",
                        "(b) Categories of personal data destroyed",
                        "(c) Information system",
                        "(d) Reason for destruction",
                        "(e) Date of destruction",
                        "7 December 2026",
                        "Audit entry hash",
                        "(columns (a)–(e) are its items «а»–«д», in order)",
                    ],
                );
                for letter in ["а", "б", "в", "г", "д"] {
                    assert!(
                        !text.contains(&format!("({letter})")),
                        "({letter}) in {text}"
                    );
                    assert!(
                        !header.iter().any(|h| h.contains(&format!("({letter})"))),
                        "{header:?}"
                    );
                }
                assert_eq!(header[0], "(a) Data subject");
                assert_eq!(header[5], "(e) Date of destruction");
            }
            Language::Ru => {
                assert_has(
                    &text,
                    &[
                        "(а) Субъект персональных данных",
                        "(б) Категории уничтоженных персональных данных",
                        "(в) Информационная система персональных данных",
                        "(г) Причина уничтожения",
                        "(д) Дата уничтожения",
                        "7 декабря 2026 г.",
                        "Хеш записи журнала аудита",
                    ],
                );
                assert_eq!(header[0], "(а) Субъект персональных данных");
            }
        }
    }
}

#[test]
fn csv_cells_that_would_run_as_formulas_are_neutralised() {
    let mut log = log(Language::En, two_cards());
    log.information_system = "=HYPERLINK(\"http://evil\")".into();
    log.entries[0].subject = "+79161234567".into();
    let csv = erasure_log_csv(&log, Language::En).unwrap();
    let mut reader = csv::Reader::from_reader(&csv.bytes[3..]);
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[0], "'+79161234567");
    assert_eq!(&row[3], "'=HYPERLINK(\"http://evil\")");
}

#[test]
fn a_long_list_runs_onto_more_pages_under_its_header() {
    let (_keep, dir) = out_dir();
    let cards: Vec<CardRemoval> = (0..40)
        .map(|i| removed(card("412362", &format!("{:04}", 1000 + i), "VISA")))
        .collect();
    for lang in LANGS {
        let mut doc = confirmation(lang, cards.clone());
        doc.merchant.name = pick(
            lang,
            "Romashka Subscriptions and Streaming Services of the North-Western Federal District Limited Liability Company",
            "Общество с ограниченной ответственностью «Ромашка Подписки и Потоковые Сервисы Северо-Западного федерального округа»",
        );
        let r = render(&Document::Confirmation(doc), lang).unwrap();
        let text = write_and_read(
            &dir,
            &format!("confirmation-long-{}.pdf", lang_name(lang)),
            &r.bytes,
        );
        assert_has(&text, &["4123 62•• •••• 1039"]);
        let (page, of) = match lang {
            Language::En => ("Page 2 of", "Card number"),
            Language::Ru => ("Стр. 2 из", "Номер карты"),
        };
        assert_has(&text, &[page]);
        assert!(text.matches(of).count() >= 2, "the header repeats: {text}");
        // beside a merchant's name cut to its room, the running title is still whole on every page
        let pages = text.matches(page.split(' ').next().unwrap()).count();
        assert!(pages >= 2, "{text}");
        let running = match lang {
            Language::En => "Refusal confirmation (376-FZ)",
            Language::Ru => "Подтверждение отказа (376-ФЗ)",
        };
        assert_eq!(text.matches(running).count(), pages, "{text}");
    }
}

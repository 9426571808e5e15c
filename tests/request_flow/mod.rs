//! What the request window tests (`requests_window.rs`, `erasure_window.rs`) share: reading a
//! form control, a saved document's text and pages, the files a save dialog wrote.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::webdriver::Session;

/// The UI languages a request is run in; `code` is the switch's test id suffix (`lang-en`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Ru,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// What the language switch shows.
    pub fn label(self) -> &'static str {
        match self {
            Lang::En => "EN",
            Lang::Ru => "RU",
        }
    }
}

/// A form control's value (`null` when there is no such element).
pub async fn value_of(s: &Session, css: &str) -> Value {
    s.execute(
        "const el = document.querySelector(arguments[0]); return el ? el.value : null;",
        json!([css]),
    )
    .await
}

/// A PDF's text as `pdftotext` reads it, in reading order, with every run of white space made
/// one space (a long title may wrap onto a second line).
pub fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args([path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/install-deps.sh");
    assert!(out.status.success(), "pdftotext {}", path.display());
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Renders every page of `pdf` to `<prefix>-<page>.png` at 60 dpi (to look at).
pub fn pdf_pages(pdf: &Path, prefix: &Path) {
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "60"])
        .arg(pdf)
        .arg(prefix)
        .status()
        .expect("pdftoppm (poppler-utils) is installed by scripts/install-deps.sh");
    assert!(status.success(), "pdftoppm {}", pdf.display());
}

/// Every file under `root`.
pub fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

/// A file's name, lower-cased.
pub fn name_of(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().to_lowercase()
}

/// The last four digits of every saved card the customer view shows.
pub async fn shown_last4(s: &Session) -> Vec<String> {
    let masked = s
        .execute(
            "return [...document.querySelectorAll('[data-testid=masked]')].map(e => e.textContent.trim())",
            json!([]),
        )
        .await;
    let masked: Vec<String> = serde_json::from_value(masked).unwrap();
    masked
        .iter()
        .map(|m| {
            let digits: Vec<char> = m.chars().filter(char::is_ascii_digit).collect();
            assert!(digits.len() >= 4, "a masked number: {m:?}");
            digits[digits.len() - 4..].iter().collect()
        })
        .collect()
}

/// The audit log of the fresh install named `name`.
pub fn audit_log(name: &str) -> String {
    let audit = crate::webdriver::fresh_dirs_path(name, "XDG_DATA_HOME")
        .join("ru.carddesk.app/audit/audit.jsonl");
    std::fs::read_to_string(&audit).unwrap()
}

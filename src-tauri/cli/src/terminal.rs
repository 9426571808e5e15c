//! Why: human-readable output carries text from outside — a card's bank and brand, gateway
//! faults and messages, CSV headers and cells, audit log lines — and a terminal obeys control
//! characters in it: ESC `]0;…` retitles the window, ESC `[2J` clears it, and an embedded
//! newline forges a line (`customer 9999: …`) that the gateway never sent. Every human-readable
//! line goes out through `say!` or `say_err!`, which print it with [`escape`]d text; `--json`
//! output is JSON, already escaped, and printed as it is.

use std::borrow::Cow;

/// `text` with every control character (C0, DEL, C1) written as an escape — `\n`, `\r`,
/// `\t`, otherwise `\u{1b}` style — and so are the Unicode bidirectional overrides and
/// isolates (U+202A–U+202E, U+2066–U+2069), which reorder what a terminal shows. Other text,
/// backslashes included, is kept.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `println!` for human-readable output: the formatted line, [`escape`]d.
macro_rules! say {
    ($($arg:tt)*) => {
        println!("{}", $crate::terminal::escape(&format!($($arg)*)))
    };
}

/// `eprintln!` for human-readable output: the formatted line, [`escape`]d.
macro_rules! say_err {
    ($($arg:tt)*) => {
        eprintln!("{}", $crate::terminal::escape(&format!($($arg)*)))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_are_shown_not_obeyed() {
        assert_eq!(
            escape("Bank\u{1b}]0;owned\u{7}\u{1b}[2J"),
            "Bank\\u{1b}]0;owned\\u{7}\\u{1b}[2J"
        );
        assert_eq!(
            escape("VISA\ncustomer 9999: 1 saved card\r\t"),
            "VISA\\ncustomer 9999: 1 saved card\\r\\t"
        );
        assert_eq!(escape("a\u{9b}31m b\u{7f}"), "a\\u{9b}31m b\\u{7f}");
        assert_eq!(escape("abc\u{202E}fdp.exe"), "abc\\u{202e}fdp.exe");
    }

    #[test]
    fn ordinary_text_is_kept() {
        for text in [
            "Сбербанк — VISA",
            "C:\\data\\out.csv",
            "4123 62•• •••• 0028",
            "",
        ] {
            assert_eq!(escape(text), text);
        }
    }
}

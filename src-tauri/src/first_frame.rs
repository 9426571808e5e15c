//! Why: on a warm profile the window's first view is a page a cold engine must first fetch and
//! run ~200 KB of script for, then build, style and lay out; a bare window paints its one
//! heading in about three quarters of that time (docs/benchmarks.md, "Start-up", eighth round).
//! So the page's first load also carries the first view as the window drew it, as plain markup
//! the engine paints before any script runs; the script then puts the live view in its place
//! (`ui/src/lib/firstFrame.ts`). What the agent sees first must be true: a frame is shown only
//! when it was drawn from exactly the data the page now carries, by exactly this page (its key
//! is a hash of both), and it holds nothing that depends on the time ("5 minutes ago" is left
//! blank; the live view writes it). Anything else, and the page starts as before.
//!
//! The frame lists customers: it is kept sealed in the cache (`desk::cache`), and a forgotten
//! customer or a cleared cache takes it with them. It is only ever markup the window's own
//! code drew; it is checked here all the same: no script, bounded size, known root attributes.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use desk::Words;
use desk::{DeskError, ErrorCode};

/// The most markup a frame may hold (a first view is ~20 KB).
pub const MAX_MARKUP: usize = 256 * 1024;

/// The first view as drawn: the key of what it was drawn from, the page root's attributes
/// (language, theme, colours in force, platform) and the markup inside `#app`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frame {
    pub key: String,
    pub root: Root,
    pub markup: String,
}

/// The page root's attributes the frame was drawn under (`<html lang data-theme data-scheme
/// data-platform>`, set by `ui/src/main.ts` and the app shell).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Root {
    pub lang: String,
    pub theme: Option<String>,
    pub scheme: String,
    pub platform: Option<String>,
}

/// What a frame drawn from `data` ({status, recent}, as the page carries it) on the page
/// `page` (the app's `index.html`, which names its build's script and styles) is kept under.
/// Two things that change at every start and that the first view does not show are left out:
/// the status's `checking` (the audit chain check, running at start, done soon after) and the
/// built-in sandbox profile's `baseUrl` (a loopback address on a port picked at each start).
pub fn key(page: &[u8], data: &Value) -> String {
    let mut data = data.clone();
    if let Some(status) = data.get_mut("status").and_then(Value::as_object_mut) {
        status.shift_remove("checking");
        let profiles = status.get_mut("profiles").and_then(Value::as_array_mut);
        for profile in profiles
            .into_iter()
            .flatten()
            .filter_map(Value::as_object_mut)
        {
            if profile.get("builtIn") == Some(&Value::Bool(true)) {
                profile.shift_remove("baseUrl");
            }
        }
    }
    let mut hash = blake3::Hasher::new();
    hash.update(&(page.len() as u64).to_le_bytes());
    hash.update(page);
    hash.update(data.to_string().as_bytes());
    hash.finalize().to_hex().to_string()
}

impl Frame {
    /// A frame the window drew, checked before it is kept.
    pub fn checked(key: String, root: Root, markup: String) -> Result<Frame, DeskError> {
        if key.len() != 64 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(DeskError::invalid(
                "key",
                Words::new("first view key", "ключ первого экрана"),
                Words::new(
                    "must be 64 hex digits",
                    "должен быть из 64 шестнадцатеричных цифр",
                ),
            ));
        }
        let known = |v: &str, allowed: &[&str]| allowed.contains(&v);
        if !known(&root.lang, &["en", "ru"])
            || !root
                .theme
                .as_deref()
                .is_none_or(|t| known(t, &["light", "dark"]))
            || !known(&root.scheme, &["light", "dark"])
            || !root
                .platform
                .as_deref()
                .is_none_or(|p| known(p, &["linux"]))
        {
            return Err(DeskError::invalid(
                "root",
                Words::new(
                    "first view page attributes",
                    "атрибуты страницы первого экрана",
                ),
                Words::new(
                    "must be a known language, theme and platform",
                    "должны быть известными языком, темой и платформой",
                ),
            ));
        }
        if markup.len() > MAX_MARKUP {
            return Err(DeskError::invalid(
                "markup",
                Words::new("first view markup", "разметка первого экрана"),
                Words::new("must be at most 256 KB", "не больше 256 КБ"),
            ));
        }
        let lower = markup.to_ascii_lowercase();
        if [
            "<script", "<iframe", "<object", "<embed", "<meta", "<link", "<base", "</body",
            "</html",
        ]
        .iter()
        .any(|tag| lower.contains(tag))
        {
            return Err(DeskError::invalid(
                "markup",
                Words::new("first view markup", "разметка первого экрана"),
                Words::new(
                    "must hold only the view's own elements",
                    "должна содержать только элементы самого экрана",
                ),
            ));
        }
        Ok(Frame { key, root, markup })
    }

    /// A kept frame, read back (and checked again), or `None`.
    pub fn read(bytes: &[u8]) -> Option<Frame> {
        let f: Frame = serde_json::from_slice(bytes).ok()?;
        Frame::checked(f.key, f.root, f.markup).ok()
    }

    /// Stored form (sealed by the cache).
    pub fn to_bytes(&self) -> Result<Vec<u8>, DeskError> {
        serde_json::to_vec(self).map_err(|e| DeskError::new(ErrorCode::Internal, e.to_string()))
    }

    /// `html` showing this frame: the root's attributes on `<html>` (with `data-first-frame`,
    /// which tells the page's script to take over), the markup inside the empty `#app`.
    pub fn onto(&self, html: &str) -> Option<String> {
        const APP: &str = r#"<div id="app"></div>"#;
        let open = html.find("<html")?;
        let open_end = open + html[open..].find('>')?;
        let app = html.find(APP)?;
        if app < open_end {
            return None;
        }
        let Root {
            lang,
            theme,
            scheme,
            platform,
        } = &self.root;
        let mut tag = format!(r#"<html lang="{lang}" data-scheme="{scheme}""#);
        if let Some(theme) = theme {
            tag.push_str(&format!(r#" data-theme="{theme}""#));
        }
        if let Some(platform) = platform {
            tag.push_str(&format!(r#" data-platform="{platform}""#));
        }
        tag.push_str(" data-first-frame");
        let mut out = String::with_capacity(html.len() + tag.len() + self.markup.len());
        out.push_str(&html[..open]);
        out.push_str(&tag);
        out.push_str(&html[open_end..app]);
        out.push_str(r#"<div id="app">"#);
        out.push_str(&self.markup);
        out.push_str(&html[app + APP.len() - "</div>".len()..]);
        Some(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html lang="en"><head><script type="module" src="/assets/index-A1.js"></script></head><body><div id="app"></div></body></html>"#;

    fn root() -> Root {
        Root {
            lang: "ru".into(),
            theme: Some("dark".into()),
            scheme: "dark".into(),
            platform: Some("linux".into()),
        }
    }

    fn data_at(customer: &str, checking: bool, port: u16) -> Value {
        serde_json::json!({
            "status": {
                "activeProfileId": "sandbox", "checking": checking, "recovering": false,
                "profiles": [
                    { "id": "sandbox", "builtIn": true, "baseUrl": format!("http://127.0.0.1:{port}") },
                    { "id": "shop", "builtIn": false, "baseUrl": "https://payments.example/" },
                ],
            },
            "recent": [{ "customer": customer, "lastLookup": 1, "cardCount": 2 }],
        })
    }

    fn data(customer: &str, checking: bool) -> Value {
        data_at(customer, checking, 41234)
    }

    #[test]
    fn the_key_follows_the_data_and_the_page_but_not_the_chain_check_or_the_sandbox_port() {
        let k = key(PAGE.as_bytes(), &data("1234", true));
        assert_eq!(k.len(), 64);
        assert_eq!(
            k,
            key(PAGE.as_bytes(), &data("1234", false)),
            "checking is not drawn"
        );
        let next_start = data_at("1234", true, 45891);
        assert_eq!(k, key(PAGE.as_bytes(), &next_start), "the sandbox's port");
        let mut moved = data("1234", true);
        moved["status"]["profiles"][1]["baseUrl"] = "https://other.example/".into();
        assert_ne!(
            k,
            key(PAGE.as_bytes(), &moved),
            "a profile of the merchant's own"
        );
        assert_ne!(
            k,
            key(PAGE.as_bytes(), &data("1235", true)),
            "another customer"
        );
        let other_build = PAGE.replace("index-A1", "index-B2");
        assert_ne!(
            k,
            key(other_build.as_bytes(), &data("1234", true)),
            "another build"
        );
    }

    #[test]
    fn a_frame_goes_into_the_empty_app_element_with_its_root_attributes() {
        let frame = Frame::checked(
            key(PAGE.as_bytes(), &data("1234", false)),
            root(),
            r#"<main><h1>Поиск</h1><span class="customer">1234</span></main>"#.into(),
        )
        .unwrap();
        let page = frame.onto(PAGE).unwrap();
        assert_eq!(
            page,
            r#"<!doctype html><html lang="ru" data-scheme="dark" data-theme="dark" data-platform="linux" data-first-frame><head><script type="module" src="/assets/index-A1.js"></script></head><body><div id="app"><main><h1>Поиск</h1><span class="customer">1234</span></main></div></body></html>"#
        );
        let no_app = PAGE.replace(r#"<div id="app"></div>"#, "");
        assert_eq!(
            frame.onto(&no_app),
            None,
            "a page without the app's element"
        );
    }

    #[test]
    fn a_frame_with_script_unknown_attributes_or_too_much_markup_is_refused_by_field() {
        let k = key(PAGE.as_bytes(), &data("1234", false));
        let refused = |key: &str, root: Root, markup: &str| {
            Frame::checked(key.into(), root, markup.into())
                .unwrap_err()
                .field
                .unwrap()
        };
        assert_eq!(refused("abc", root(), "<p>x</p>"), "key");
        let mut bad = root();
        bad.lang = "en\" onload=\"x".into();
        assert_eq!(refused(&k, bad, "<p>x</p>"), "root");
        let mut bad = root();
        bad.theme = Some("sepia".into());
        assert_eq!(refused(&k, bad, "<p>x</p>"), "root");
        assert_eq!(
            refused(&k, root(), "<p>x</p><SCRIPT>alert(1)</SCRIPT>"),
            "markup"
        );
        assert_eq!(refused(&k, root(), "<p>x</p></body><p>"), "markup");
        assert_eq!(refused(&k, root(), &"x".repeat(MAX_MARKUP + 1)), "markup");
    }

    #[test]
    fn a_kept_frame_reads_back_and_a_damaged_one_does_not() {
        let frame = Frame::checked(
            key(PAGE.as_bytes(), &data("1234", false)),
            root(),
            "<p>1234</p>".into(),
        )
        .unwrap();
        let bytes = frame.to_bytes().unwrap();
        assert_eq!(Frame::read(&bytes), Some(frame));
        assert_eq!(Frame::read(&bytes[..bytes.len() / 2]), None);
        let tampered = String::from_utf8(bytes)
            .unwrap()
            .replace("<p>1234</p>", "<script>x</script>");
        assert_eq!(Frame::read(tampered.as_bytes()), None);
    }
}

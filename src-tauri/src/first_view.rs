//! Why: the window's first view needs the desk's status and the active profile's recent
//! customers. Asked for over IPC once the page's script runs, they arrive a round trip later
//! (50–80 ms at start on two cores, while the window's main loop is busy drawing), and the view
//! waits for them (docs/benchmarks.md, "Start-up"). The desk opens while the page is requested
//! (opening.rs), so both are prepared as soon as it is open, and the page's HTML waits for them
//! and carries them, once, as a JSON data block (`<script type="application/json"
//! id="carddesk-first">`, not run, so the content security policy is unchanged;
//! `ui/src/lib/earlyAsk.ts` reads it). Later loads of the page, or a start where they are not
//! ready in time, ask over IPC as before. Nothing here is a secret: it is exactly what
//! `desk_status` and `recent_customers("")` answer. With them comes the first view as the window
//! last drew it from the same data, when it did (first_frame.rs).

use std::borrow::Cow;
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::Duration;

use desk::{Desk, DeskError, lock};
use serde::Serialize;
use serde_json::Value;

use crate::first_frame::{self, Frame};
use tauri::utils::assets::{AssetKey, AssetsIter, CspHash};
use tauri::{Assets, Runtime};

/// How long the page's HTML may wait for the first view's data before it goes without.
const WAITS_AT_MOST: Duration = Duration::from_millis(400);

/// The id of the data block in the page (read by `ui/src/lib/earlyAsk.ts`).
const BLOCK_ID: &str = "carddesk-first";

#[derive(Default)]
enum Slot {
    /// Not asked for yet: the HTML does not wait.
    #[default]
    Idle,
    /// Being prepared: the HTML waits for it (briefly).
    Preparing,
    /// Ready for the first load of the page: the data, and the frame last drawn, if any.
    Ready(Value, Option<Box<Frame>>),
    /// Served, failed or gave up on: every later load asks over IPC.
    Spent,
}

/// The first view's data, shared by the shell (which prepares it) and the assets (which serve it).
#[derive(Clone, Default)]
pub struct FirstView {
    slot: Arc<(Mutex<Slot>, Condvar)>,
    /// The app's page as served (without the data), which a frame's key names.
    page: Arc<OnceLock<Vec<u8>>>,
}

/// The first view's data as the page carries it, and the key a frame drawn from it is kept under.
#[derive(Serialize)]
pub struct FrameData {
    key: String,
    #[serde(flatten)]
    data: Value,
}

/// The first view's data: `{status, recent}`, as `desk_status` and `recent_customers("")` answer.
pub async fn view_data(desk: Arc<Desk>) -> Result<Value, DeskError> {
    let status = desk.status().await?;
    let recent = tauri::async_runtime::spawn_blocking(move || desk.recent(""))
        .await
        .map_err(|e| DeskError::internal(format!("a background task failed: {e}")))??;
    Ok(serde_json::json!({ "status": status, "recent": recent }))
}

impl FirstView {
    /// The desk is opening: the page's HTML, if asked for meanwhile, waits for its data.
    pub fn expect(&self) {
        let mut slot = lock(&self.slot.0);
        if matches!(*slot, Slot::Idle) {
            *slot = Slot::Preparing;
        }
    }

    /// The desk did not open: the page goes without its data.
    pub fn give_up(&self) {
        self.settle(Slot::Spent);
    }

    /// Prepares the data on `desk` in the background, while the page loads (this is also
    /// what first reads a large profile's recent index from the cache), with the frame last
    /// drawn; the page's HTML waits for them.
    pub fn prepare(&self, desk: Arc<Desk>) {
        self.expect();
        let me = self.clone();
        tauri::async_runtime::spawn(async move {
            let kept = desk.clone();
            let frame = tauri::async_runtime::spawn_blocking(move || kept.first_frame());
            let data = view_data(desk).await.ok();
            let frame = frame
                .await
                .ok()
                .flatten()
                .and_then(|f| Frame::read(&f))
                .map(Box::new);
            me.settle(data.map_or(Slot::Spent, |data| Slot::Ready(data, frame)));
        });
    }

    /// The first view's data now, with the key a frame drawn from it is kept under; refused
    /// until the page was served (a frame names the page it was drawn on).
    pub async fn frame_data(&self, desk: Arc<Desk>) -> Result<FrameData, DeskError> {
        let data = view_data(desk).await?;
        let page = self
            .page
            .get()
            .ok_or_else(|| DeskError::internal("the first view's page is not served yet"))?;
        Ok(FrameData {
            key: first_frame::key(page, &data),
            data,
        })
    }

    fn settle(&self, to: Slot) {
        let (slot, ready) = &*self.slot;
        let mut slot = lock(slot);
        if matches!(*slot, Slot::Preparing) {
            *slot = to;
        }
        ready.notify_all();
    }

    /// The data for the page's first load, once; waits for it while it is being prepared.
    fn take(&self) -> Option<(Value, Option<Box<Frame>>)> {
        let (slot, ready) = &*self.slot;
        let slot = lock(slot);
        let (mut slot, _) = ready
            .wait_timeout_while(slot, WAITS_AT_MOST, |s| matches!(s, Slot::Preparing))
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match std::mem::replace(&mut *slot, Slot::Spent) {
            Slot::Ready(data, frame) => Some((data, frame)),
            Slot::Idle => {
                *slot = Slot::Idle;
                None
            }
            Slot::Preparing | Slot::Spent => None,
        }
    }
}

/// `html` with the first view's data `json` as a data block at the end of its head.
fn with_block(html: &[u8], json: &str) -> Option<Vec<u8>> {
    let html = std::str::from_utf8(html).ok()?;
    let at = html.find("</head>")?;
    // `<` escaped, so nothing in the data (a customer id) can end the block early.
    let json = json.replace('<', "\\u003c");
    let block = format!(r#"<script type="application/json" id="{BLOCK_ID}">{json}</script>"#);
    let mut out = String::with_capacity(html.len() + block.len());
    out.push_str(&html[..at]);
    out.push_str(&block);
    out.push_str(&html[at..]);
    Some(out.into_bytes())
}

/// The page's first load: `page` with the first view's `data` and, when it was drawn from
/// exactly that data on exactly this page, the `frame` last drawn (first_frame.rs).
fn served(page: &[u8], data: &Value, frame: Option<&Frame>) -> Option<Vec<u8>> {
    let framed = frame
        .filter(|f| f.key == first_frame::key(page, data))
        .and_then(|f| f.onto(std::str::from_utf8(page).ok()?));
    with_block(
        framed.as_deref().map_or(page, str::as_bytes),
        &data.to_string(),
    )
}

fn is_page(key: &AssetKey) -> bool {
    key.as_ref().trim_start_matches('/') == "index.html"
}

/// No assets: held for a moment while the app's own are wrapped in [`FirstViewAssets`].
pub struct NoAssets;

impl<R: Runtime> Assets<R> for NoAssets {
    fn get(&self, _key: &AssetKey) -> Option<Cow<'_, [u8]>> {
        None
    }

    fn iter(&self) -> Box<AssetsIter<'_>> {
        Box::new(std::iter::empty())
    }

    fn csp_hashes(&self, _html_path: &AssetKey) -> Box<dyn Iterator<Item = CspHash<'_>> + '_> {
        Box::new(std::iter::empty())
    }
}

/// The app's own assets, with the first view's data in the page's first load.
pub struct FirstViewAssets<R: Runtime> {
    pub inner: Box<dyn Assets<R>>,
    pub first: FirstView,
}

impl<R: Runtime> Assets<R> for FirstViewAssets<R> {
    fn setup(&self, app: &tauri::App<R>) {
        self.inner.setup(app);
    }

    fn get(&self, key: &AssetKey) -> Option<Cow<'_, [u8]>> {
        let asset = self.inner.get(key)?;
        if !is_page(key) {
            return Some(asset);
        }
        self.first.page.get_or_init(|| asset.to_vec());
        match self.first.take() {
            Some((data, frame)) => Some(Cow::Owned(
                served(&asset, &data, frame.as_deref()).unwrap_or_else(|| asset.to_vec()),
            )),
            None => Some(asset),
        }
    }

    fn iter(&self) -> Box<AssetsIter<'_>> {
        self.inner.iter()
    }

    fn csp_hashes(&self, html_path: &AssetKey) -> Box<dyn Iterator<Item = CspHash<'_>> + '_> {
        self.inner.csp_hashes(html_path)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::first_frame::Root;

    #[test]
    fn the_block_goes_at_the_end_of_the_head_and_cannot_be_closed_by_the_data() {
        let page = b"<html><head><title>x</title></head><body></body></html>";
        let out = with_block(page, r#"{"customer":"</script><b>"}"#).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains(
            r#"<script type="application/json" id="carddesk-first">{"customer":"\u003c/script>\u003cb>"}</script></head>"#
        ));
        assert_eq!(out.matches("</script>").count(), 1);
    }

    #[test]
    fn a_frame_is_served_only_with_the_data_and_the_page_it_was_drawn_from() {
        let page = br#"<html lang="en"><head></head><body><div id="app"></div></body></html>"#;
        let data = |customer: &str| serde_json::json!({ "status": {}, "recent": [{ "customer": customer }] });
        let root = Root {
            lang: "en".into(),
            theme: None,
            scheme: "light".into(),
            platform: None,
        };
        let frame = Frame::checked(
            first_frame::key(page, &data("1234")),
            root,
            "<p>1234</p>".into(),
        )
        .unwrap();
        let text = |b: Vec<u8>| String::from_utf8(b).unwrap();

        let now = text(served(page, &data("1234"), Some(&frame)).unwrap());
        assert!(now.contains(r#"<div id="app"><p>1234</p></div>"#), "{now}");
        assert!(now.contains("data-first-frame"), "{now}");
        assert!(
            now.contains(r#"{"status":{},"recent":[{"customer":"1234"}]}"#),
            "{now}"
        );

        // Another customer since: the page carries the new data and no frame.
        let later = text(served(page, &data("5678"), Some(&frame)).unwrap());
        assert!(later.contains(r#"<div id="app"></div>"#), "{later}");
        assert!(!later.contains("data-first-frame") && !later.contains("<p>1234</p>"));
        assert!(later.contains(r#""customer":"5678""#));

        // Another build of the page: no frame either.
        let rebuilt = br#"<html lang="en"><head><title>new</title></head><body><div id="app"></div></body></html>"#;
        let other = text(served(rebuilt, &data("1234"), Some(&frame)).unwrap());
        assert!(!other.contains("<p>1234</p>"), "{other}");
    }

    #[test]
    fn the_data_is_served_once_and_not_waited_for_when_nobody_prepares_it() {
        let first = FirstView::default();
        assert_eq!(first.take(), None, "idle: nothing to wait for");
        *lock(&first.slot.0) = Slot::Preparing;
        first.settle(Slot::Ready(serde_json::json!({}), None));
        assert_eq!(first.take(), Some((serde_json::json!({}), None)));
        assert_eq!(first.take(), None, "a reload asks over IPC");
    }

    #[test]
    fn a_page_waits_for_data_being_prepared_but_not_forever() {
        let first = FirstView::default();
        *lock(&first.slot.0) = Slot::Preparing;
        let started = std::time::Instant::now();
        assert_eq!(first.take(), None);
        assert!(started.elapsed() >= WAITS_AT_MOST);
        first.settle(Slot::Ready(serde_json::json!({}), None));
        assert_eq!(first.take(), None, "given up on: spent");
    }
}

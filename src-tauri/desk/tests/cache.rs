//! The encrypted sled cache on real temporary directories: round trips, nothing sensitive on
//! disk in the clear, forget and clear, a wrong key, and the single-open rule.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use assist::{Card, Expiry};
use desk::cache::{CACHE_DIR_NAME, CARDS, Cache, CacheError, FORMAT_VERSION, Media, now_ms};
use desk::crypto::{CacheKey, KeyOrigin};
use desk::recent::RecentCustomer;
use desk::secrets::{CACHE_KEY_ACCOUNT, MemoryStore, SecretStore};

const PROFILE: &str = "6f1c2a9e-0000-4000-8000-000000000001";
const CUSTOMER: &str = "ZEBRA-CUSTOMER-7731";
const BANK: &str = "Canary Plaintext Bank of Nowhere";
const TOKEN: &str = "8f3a9c21-77b4-4e1d-9a0c-5d2e6b7f1a39";
const LAST4: &str = "9917";

fn card(token: &str, last4: &str, bank: &str) -> Card {
    Card {
        token: token.into(),
        bin: "412362".into(),
        last4: last4.into(),
        brand: "VISA".into(),
        bank: bank.into(),
        expiry: Expiry::parse("12/2031"),
        active: true,
        need_cvc: false,
        assets: Vec::new(),
    }
}

/// What a lookup caches for one customer: the number and the cards as the gateway sent them.
#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct CardList {
    customer: String,
    cards: Vec<Card>,
}

fn card_list() -> CardList {
    let cards = vec![
        card(TOKEN, LAST4, BANK),
        card("0a1b2c3d-0000-4000-8000-00000000beef", "0028", ""),
    ];
    CardList {
        customer: CUSTOMER.into(),
        cards,
    }
}

struct Dirs {
    _tmp: tempfile::TempDir,
    data: PathBuf,
    cache: PathBuf,
}

fn dirs() -> Dirs {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let cache = data.join(CACHE_DIR_NAME);
    Dirs {
        _tmp: tmp,
        data,
        cache,
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p))
        } else {
            out.push(p)
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn card_lists_round_trip_with_fetch_time() {
    let d = dirs();
    let secrets = MemoryStore::new();
    let cache = Cache::open(&d.cache, &secrets).unwrap();
    assert_eq!(cache.key_origin(), KeyOrigin::Created);
    let list = card_list();
    let before = now_ms();
    cache.put(CARDS, PROFILE, CUSTOMER, &list).unwrap();
    let got = cache
        .get::<CardList>(CARDS, PROFILE, CUSTOMER)
        .unwrap()
        .unwrap();
    assert_eq!(got.value, list);
    assert!(
        got.fetched_at >= before && got.fetched_at <= now_ms(),
        "{}",
        got.fetched_at
    );

    // Typed payloads round-trip too, and kinds do not collide.
    let cards = vec![card(TOKEN, LAST4, BANK)];
    cache
        .put_at("raw-cards", PROFILE, CUSTOMER, &cards, 1_700_000_000_123)
        .unwrap();
    let typed = cache
        .get::<Vec<Card>>("raw-cards", PROFILE, CUSTOMER)
        .unwrap()
        .unwrap();
    assert_eq!(typed.value, cards);
    assert_eq!(typed.fetched_at, 1_700_000_000_123);
    assert!(
        cache
            .get::<serde_json::Value>(CARDS, PROFILE, CUSTOMER)
            .unwrap()
            .is_some()
    );

    // Another profile or customer is another slot.
    assert!(
        cache
            .get::<serde_json::Value>(CARDS, "other-profile", CUSTOMER)
            .unwrap()
            .is_none()
    );
    assert!(
        cache
            .get::<serde_json::Value>(CARDS, PROFILE, "1234")
            .unwrap()
            .is_none()
    );
    assert_eq!(cache.unreadable(), 0);
    drop(cache);

    // Reopened with the key from the store: still there.
    let cache = Cache::open(&d.cache, &secrets).unwrap();
    assert_eq!(cache.key_origin(), KeyOrigin::Loaded);
    assert!(cache.key_matches_data());
    let again = cache
        .get::<Vec<Card>>("raw-cards", PROFILE, CUSTOMER)
        .unwrap()
        .unwrap();
    assert_eq!(again, typed);
}

#[test]
fn media_and_recent_round_trip() {
    let d = dirs();
    let cache = Cache::open(&d.cache, &MemoryStore::new()).unwrap();
    let url = "https://payments.demo.paysecure.ru/art/visa-gold.png";
    let media = Media {
        content_type: "image/png".into(),
        bytes: vec![0x89, b'P', b'N', b'G', 0, 1, 2],
    };
    cache.put_media(url, &media).unwrap();
    let got = cache.get_media(url).unwrap().unwrap();
    assert_eq!(got.value, media);
    assert!(format!("{:?}", got.value).contains("len: 7"));
    assert!(
        cache
            .get_media("https://elsewhere.example/x.png")
            .unwrap()
            .is_none()
    );

    let a = cache.record_lookup(PROFILE, CUSTOMER, 2).unwrap();
    cache
        .put_recent(
            PROFILE,
            &RecentCustomer {
                customer: "1234".into(),
                last_lookup: 5,
                card_count: 3,
            },
        )
        .unwrap();
    cache
        .put_recent(
            "other-profile",
            &RecentCustomer {
                customer: "999".into(),
                last_lookup: 5,
                card_count: 0,
            },
        )
        .unwrap();
    let mut recent = cache.recent_customers(PROFILE).unwrap();
    recent.sort_by(|x, y| x.customer.cmp(&y.customer));
    assert_eq!(recent.len(), 2);
    assert_eq!(recent[0].customer, "1234");
    assert_eq!(recent[1], a);
    // A second lookup of the same customer replaces the entry.
    cache.record_lookup(PROFILE, CUSTOMER, 1).unwrap();
    let recent = cache.recent_customers(PROFILE).unwrap();
    assert_eq!(recent.len(), 2);
    assert!(
        recent
            .iter()
            .any(|r| r.customer == CUSTOMER && r.card_count == 1)
    );
}

#[test]
fn nothing_sensitive_is_on_disk_in_the_clear_and_keys_are_hashes() {
    let d = dirs();
    let cache = Cache::open(&d.cache, &MemoryStore::new()).unwrap();
    cache.put(CARDS, PROFILE, CUSTOMER, &card_list()).unwrap();
    cache.record_lookup(PROFILE, CUSTOMER, 2).unwrap();
    cache
        .put_media(
            "https://art.example/zebra.png",
            &Media {
                content_type: "image/png".into(),
                bytes: b"ZEBRA-ART-BYTES".to_vec(),
            },
        )
        .unwrap();
    cache.flush().unwrap();
    drop(cache);

    let files = files_under(&d.cache);
    let last4_json = format!("\"last4\":\"{LAST4}\"");
    assert!(!files.is_empty());
    let needles: [&[u8]; 6] = [
        CUSTOMER.as_bytes(),
        BANK.as_bytes(),
        TOKEN.as_bytes(),
        last4_json.as_bytes(),
        b"ZEBRA-ART-BYTES",
        b"art.example",
    ];
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        for n in needles {
            assert!(
                !contains(&bytes, n),
                "{} holds {:?} in the clear",
                f.display(),
                String::from_utf8_lossy(n)
            );
        }
        assert!(
            !contains(&bytes, LAST4.as_bytes()),
            "{} holds the last 4",
            f.display()
        );
    }

    // Raw look at the database: hashed keys of fixed length, version byte first.
    let db = sled::open(&d.cache).unwrap();
    for (tree, key_len) in [("cards", 56), ("recent", 48), ("media", 32)] {
        let t = db.open_tree(tree).unwrap();
        assert_eq!(t.len(), 1, "{tree}");
        for item in t.iter() {
            let (k, v) = item.unwrap();
            assert_eq!(k.len(), key_len, "{tree}");
            assert!(!contains(&k, CUSTOMER.as_bytes()));
            assert!(!contains(&k, PROFILE.as_bytes()));
            assert_eq!(v[0], FORMAT_VERSION, "{tree}");
            assert!(
                v.len() > 1 + 24 + 16 + 8,
                "{tree}: nonce, tag and fetched_at are there"
            );
        }
    }
    // Cards and recent of one customer share the 48-byte slot prefix (what forget relies on).
    let card_key = db
        .open_tree("cards")
        .unwrap()
        .iter()
        .next()
        .unwrap()
        .unwrap()
        .0;
    let recent_key = db
        .open_tree("recent")
        .unwrap()
        .iter()
        .next()
        .unwrap()
        .unwrap()
        .0;
    assert_eq!(&card_key[..48], &recent_key[..]);
}

#[test]
fn a_value_moved_to_another_slot_does_not_open() {
    let d = dirs();
    let secrets = MemoryStore::new();
    let cache = Cache::open(&d.cache, &secrets).unwrap();
    cache.put(CARDS, PROFILE, CUSTOMER, &card_list()).unwrap();
    cache
        .put(CARDS, PROFILE, "1234", &serde_json::json!({"cards": []}))
        .unwrap();
    cache.flush().unwrap();
    drop(cache);
    {
        // Copy customer A's sealed value over customer B's.
        let db = sled::open(&d.cache).unwrap();
        let t = db.open_tree("cards").unwrap();
        let entries: Vec<_> = t.iter().map(|i| i.unwrap()).collect();
        t.insert(&entries[1].0, entries[0].1.clone()).unwrap();
        db.flush().unwrap();
    }
    let cache = Cache::open(&d.cache, &secrets).unwrap();
    let a = cache
        .get::<serde_json::Value>(CARDS, PROFILE, CUSTOMER)
        .unwrap();
    let b = cache
        .get::<serde_json::Value>(CARDS, PROFILE, "1234")
        .unwrap();
    assert_eq!(
        u8::from(a.is_some()) + u8::from(b.is_some()),
        1,
        "exactly the moved one is refused"
    );
    assert_eq!(cache.unreadable(), 1);
}

#[test]
fn forget_customer_removes_every_trace_of_that_customer_only() {
    let d = dirs();
    let cache = Cache::open(&d.cache, &MemoryStore::new()).unwrap();
    let url = "https://art.example/shared.png";
    cache.put(CARDS, PROFILE, CUSTOMER, &card_list()).unwrap();
    cache.put("notes", PROFILE, CUSTOMER, &"ticket 42").unwrap();
    cache.record_lookup(PROFILE, CUSTOMER, 2).unwrap();
    cache
        .put(CARDS, PROFILE, "1234", &serde_json::json!([]))
        .unwrap();
    cache.record_lookup(PROFILE, "1234", 0).unwrap();
    cache
        .put(CARDS, "other-profile", CUSTOMER, &serde_json::json!([]))
        .unwrap();
    cache
        .put_media(
            url,
            &Media {
                content_type: "image/png".into(),
                bytes: vec![1],
            },
        )
        .unwrap();

    cache.forget_customer(PROFILE, CUSTOMER).unwrap();

    assert!(
        cache
            .get::<serde_json::Value>(CARDS, PROFILE, CUSTOMER)
            .unwrap()
            .is_none()
    );
    assert!(
        cache
            .get::<String>("notes", PROFILE, CUSTOMER)
            .unwrap()
            .is_none()
    );
    let recent = cache.recent_customers(PROFILE).unwrap();
    assert_eq!(
        recent
            .iter()
            .map(|r| r.customer.as_str())
            .collect::<Vec<_>>(),
        ["1234"]
    );
    assert!(
        cache
            .get::<serde_json::Value>(CARDS, PROFILE, "1234")
            .unwrap()
            .is_some()
    );
    assert!(
        cache
            .get::<serde_json::Value>(CARDS, "other-profile", CUSTOMER)
            .unwrap()
            .is_some()
    );
    assert!(
        cache.get_media(url).unwrap().is_some(),
        "media is shared and stays"
    );
    assert_eq!(cache.unreadable(), 0);
}

#[test]
fn clear_empties_the_cache_and_leaves_the_audit_log_and_profiles_alone() {
    let d = dirs();
    std::fs::create_dir_all(&d.data).unwrap();
    let audit_file = d.data.join("audit.jsonl");
    std::fs::write(&audit_file, b"{\"seq\":1}\n").unwrap();
    let profiles_file = d.data.join("profiles.json");
    std::fs::write(&profiles_file, b"{}").unwrap();
    let audit_db_dir = d.data.join("audit.sled");
    {
        let audit = sled::open(&audit_db_dir).unwrap();
        audit.insert(b"seq-1", b"removed".as_slice()).unwrap();
        audit.flush().unwrap();
    }

    let cache = Cache::open(&d.cache, &MemoryStore::new()).unwrap();
    cache.put(CARDS, PROFILE, CUSTOMER, &card_list()).unwrap();
    cache.record_lookup(PROFILE, CUSTOMER, 2).unwrap();
    cache
        .put_media(
            "https://art.example/a.png",
            &Media {
                content_type: "image/png".into(),
                bytes: vec![1],
            },
        )
        .unwrap();
    cache.clear().unwrap();

    assert!(
        cache
            .get::<serde_json::Value>(CARDS, PROFILE, CUSTOMER)
            .unwrap()
            .is_none()
    );
    assert!(cache.recent_customers(PROFILE).unwrap().is_empty());
    assert!(
        cache
            .get_media("https://art.example/a.png")
            .unwrap()
            .is_none()
    );
    // Still usable after clearing.
    cache.put(CARDS, PROFILE, CUSTOMER, &1).unwrap();
    assert_eq!(
        cache
            .get::<i32>(CARDS, PROFILE, CUSTOMER)
            .unwrap()
            .unwrap()
            .value,
        1
    );
    drop(cache);

    assert_eq!(std::fs::read(&audit_file).unwrap(), b"{\"seq\":1}\n");
    assert_eq!(std::fs::read(&profiles_file).unwrap(), b"{}");
    let audit = sled::open(&audit_db_dir).unwrap();
    assert_eq!(audit.get(b"seq-1").unwrap().unwrap().as_ref(), b"removed");
}

#[test]
fn a_reset_keyring_means_a_new_key_old_entries_missing_no_panic_and_clear_recovers() {
    let d = dirs();
    let first = MemoryStore::new();
    let cache = Cache::open(&d.cache, &first).unwrap();
    cache.put(CARDS, PROFILE, CUSTOMER, &card_list()).unwrap();
    cache.record_lookup(PROFILE, CUSTOMER, 2).unwrap();
    cache
        .put_media(
            "https://art.example/a.png",
            &Media {
                content_type: "image/png".into(),
                bytes: vec![1],
            },
        )
        .unwrap();
    drop(cache);

    // The keyring was reset: an empty store, so a new key is made.
    let reset = MemoryStore::new();
    let cache = Cache::open(&d.cache, &reset).unwrap();
    assert_eq!(cache.key_origin(), KeyOrigin::Created);
    assert!(!cache.key_matches_data());
    assert_eq!(
        cache.unreadable(),
        3,
        "every stored entry is reported as unreadable"
    );
    assert!(
        cache
            .get::<serde_json::Value>(CARDS, PROFILE, CUSTOMER)
            .unwrap()
            .is_none()
    );
    assert!(cache.recent_customers(PROFILE).unwrap().is_empty());
    assert!(
        cache
            .get_media("https://art.example/a.png")
            .unwrap()
            .is_none()
    );

    cache.clear().unwrap();
    assert!(cache.key_matches_data());
    assert_eq!(cache.unreadable(), 0);
    cache.put(CARDS, PROFILE, CUSTOMER, &card_list()).unwrap();
    drop(cache);
    let cache = Cache::open(&d.cache, &reset).unwrap();
    assert!(cache.key_matches_data());
    assert!(
        cache
            .get::<serde_json::Value>(CARDS, PROFILE, CUSTOMER)
            .unwrap()
            .is_some()
    );
}

#[test]
fn a_replaced_or_garbled_key_is_handled_without_panic() {
    let d = dirs();
    let store = MemoryStore::new();
    let cache = Cache::open(&d.cache, &store).unwrap();
    cache.put(CARDS, PROFILE, CUSTOMER, &card_list()).unwrap();
    drop(cache);

    // Another valid key under the same account (e.g. restored from another machine).
    let other = CacheKey::generate().unwrap();
    store.put(CACHE_KEY_ACCOUNT, &other.to_hex()).unwrap();
    let cache = Cache::open(&d.cache, &store).unwrap();
    assert_eq!(cache.key_origin(), KeyOrigin::Loaded);
    assert!(!cache.key_matches_data());
    assert!(
        cache
            .get::<serde_json::Value>(CARDS, PROFILE, CUSTOMER)
            .unwrap()
            .is_none()
    );
    drop(cache);

    // Not a key at all: replaced by a fresh one.
    store.put(CACHE_KEY_ACCOUNT, "not hex at all").unwrap();
    let cache = Cache::open(&d.cache, &store).unwrap();
    assert_eq!(cache.key_origin(), KeyOrigin::Replaced);
    assert!(CacheKey::from_hex(&store.get(CACHE_KEY_ACCOUNT).unwrap().unwrap()).is_some());
    assert!(
        cache
            .get::<serde_json::Value>(CARDS, PROFILE, CUSTOMER)
            .unwrap()
            .is_none()
    );
}

#[test]
fn the_cache_key_is_stored_as_hex_and_never_shown() {
    let d = dirs();
    let store = MemoryStore::new();
    let cache = Cache::open(&d.cache, &store).unwrap();
    let hex = store.get(CACHE_KEY_ACCOUNT).unwrap().unwrap();
    assert_eq!(hex.len(), 64);
    assert!(hex.bytes().all(|b| b.is_ascii_hexdigit()));
    let key = CacheKey::from_hex(&hex).unwrap();
    assert_eq!(format!("{key:?}"), "CacheKey(<redacted>)");
    let shown = format!("{cache:?} {store:?}");
    assert!(!shown.contains(hex.as_str()), "{shown}");
    // The key never reaches the data directory either.
    for f in files_under(&d.cache) {
        assert!(
            !contains(&std::fs::read(&f).unwrap(), hex.as_bytes()),
            "{}",
            f.display()
        );
    }
}

#[test]
fn a_second_open_of_the_same_directory_is_a_clear_error() {
    let d = dirs();
    let store = MemoryStore::new();
    let first = Cache::open(&d.cache, &store).unwrap();
    let err = Cache::open(&d.cache, &store).unwrap_err();
    assert!(matches!(err, CacheError::AlreadyOpen { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("Card Desk is already running with this data directory"),
        "{err}"
    );
    let desk_err = desk::DeskError::from(err);
    assert_eq!(desk_err.code, desk::ErrorCode::Internal);
    drop(first);
    // Once the first is closed the directory opens again.
    Cache::open(&d.cache, &store).unwrap();
}

#[test]
fn freshness_is_judged_from_fetched_at() {
    let c = desk::cache::Cached {
        value: (),
        fetched_at: 1_000_000,
    };
    let fifteen = std::time::Duration::from_secs(15 * 60);
    assert!(c.is_fresh(fifteen, 1_000_000 + 15 * 60 * 1000));
    assert!(!c.is_fresh(fifteen, 1_000_000 + 15 * 60 * 1000 + 1));
}

#[test]
fn the_stores_can_be_shared_across_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Cache>();
    shared::<desk::recent::RecentIndex>();
    shared::<desk::profiles::Profiles>();
    shared::<desk::secrets::KeyringStore>();
    shared::<MemoryStore>();
}

#[test]
fn the_first_view_is_kept_sealed_and_goes_with_a_forgotten_customer_or_a_cleared_cache() {
    let d = dirs();
    let secrets = MemoryStore::new();
    let frame = format!(r#"<ul><li><span class="customer">{CUSTOMER}</span></li></ul>"#);
    {
        let cache = Cache::open(&d.cache, &secrets).unwrap();
        assert_eq!(cache.first_frame().unwrap(), None, "none kept yet");
        cache.put_first_frame(frame.as_bytes()).unwrap();
        assert_eq!(
            cache.first_frame().unwrap().as_deref(),
            Some(frame.as_bytes())
        );
        cache.flush().unwrap();
    }
    for f in files_under(&d.cache) {
        let bytes = std::fs::read(&f).unwrap();
        assert!(
            !contains(&bytes, CUSTOMER.as_bytes()),
            "{} holds the customer in the clear",
            f.display()
        );
    }

    let cache = Cache::open(&d.cache, &secrets).unwrap();
    assert_eq!(
        cache.first_frame().unwrap().as_deref(),
        Some(frame.as_bytes()),
        "kept across a restart"
    );
    cache.forget_customer(PROFILE, CUSTOMER).unwrap();
    assert_eq!(
        cache.first_frame().unwrap(),
        None,
        "forgetting a customer drops it"
    );

    cache.put_first_frame(frame.as_bytes()).unwrap();
    cache.clear().unwrap();
    assert_eq!(
        cache.first_frame().unwrap(),
        None,
        "clearing the cache drops it"
    );
}

//! The in-memory recent-customer index: substring filter, case-insensitive, newest first,
//! loaded from the encrypted cache.
#![allow(clippy::unwrap_used)]

use desk::cache::Cache;
use desk::recent::{RecentCustomer, RecentIndex};
use desk::secrets::MemoryStore;

fn rc(customer: &str, last_lookup: i64) -> RecentCustomer {
    RecentCustomer {
        customer: customer.into(),
        last_lookup,
        card_count: 1,
    }
}

fn names(found: &[RecentCustomer]) -> Vec<&str> {
    found.iter().map(|r| r.customer.as_str()).collect()
}

#[test]
fn filters_by_substring_case_insensitively_newest_first() {
    let index = RecentIndex::new(vec![
        rc("ABC-100", 1),
        rc("abc-200", 3),
        rc("Клиент-42", 2),
        rc("zzz", 4),
    ]);
    assert_eq!(index.len(), 4);
    assert_eq!(names(&index.filter("abc", 10)), ["abc-200", "ABC-100"]);
    assert_eq!(names(&index.filter(" BC-1 ", 10)), ["ABC-100"]);
    assert_eq!(names(&index.filter("КЛИЕНТ", 10)), ["Клиент-42"]);
    assert_eq!(names(&index.filter("", 2)), ["zzz", "abc-200"]);
    assert!(index.filter("nothing", 10).is_empty());
    assert!(index.filter("abc", 0).is_empty());
}

#[test]
fn duplicates_keep_the_newest_and_touch_moves_to_front() {
    let mut index = RecentIndex::new(vec![rc("1234", 5), rc("1234", 9), rc("777", 7)]);
    assert_eq!(index.len(), 2);
    assert_eq!(index.filter("1234", 5)[0].last_lookup, 9);
    assert_eq!(names(&index.filter("", 5)), ["1234", "777"]);
    index.touch(rc("777", 10));
    assert_eq!(names(&index.filter("", 5)), ["777", "1234"]);
    index.touch(rc("new", 11));
    assert_eq!(names(&index.filter("", 5)), ["new", "777", "1234"]);
    assert!(index.remove("777"));
    assert!(!index.remove("777"));
    assert_eq!(names(&index.filter("", 5)), ["new", "1234"]);
    index.clear();
    assert!(index.is_empty());
}

#[test]
fn loads_from_the_cache_per_profile() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(&dir.path().join("cache.sled"), &MemoryStore::new()).unwrap();
    cache.put_recent("p1", &rc("old", 1)).unwrap();
    cache.put_recent("p1", &rc("new", 2)).unwrap();
    cache.put_recent("p2", &rc("elsewhere", 3)).unwrap();
    let index = RecentIndex::load(&cache, "p1").unwrap();
    assert_eq!(names(&index.filter("", 10)), ["new", "old"]);
}

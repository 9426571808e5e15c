//! Why: the search box filters the customers this desk looked up before as the agent types,
//! with no gateway call and no disk access: docs/design.md §7 budgets 30 ms at the 95th percentile
//! over 100,000 customers. The index is loaded once from the (encrypted) cache and kept in
//! memory; a filter is a plain linear scan over customer numbers lowercased in advance, newest
//! first, stopping at `limit` — measured in `benches/recent_filter.rs`.

use crate::cache::{Cache, CacheError};

/// One customer this profile looked up before (stored in the cache, which defines it).
pub use crate::cache::RecentCustomer;

#[derive(Debug)]
struct Entry {
    lower: String,
    customer: RecentCustomer,
}

/// The recent customers of one profile, oldest first in memory (so a new lookup is a push)
/// and read back newest first.
#[derive(Debug, Default)]
pub struct RecentIndex {
    entries: Vec<Entry>,
}

impl RecentIndex {
    /// Builds the index; one entry per customer number (the newest wins).
    pub fn new(mut customers: Vec<RecentCustomer>) -> RecentIndex {
        customers.sort_by(|a, b| (a.last_lookup, &a.customer).cmp(&(b.last_lookup, &b.customer)));
        let mut index = RecentIndex {
            entries: Vec::with_capacity(customers.len()),
        };
        let mut seen = std::collections::HashSet::with_capacity(customers.len());
        // Walk newest first so the newest entry of a duplicated number is the one kept.
        for c in customers.into_iter().rev() {
            if seen.insert(c.customer.clone()) {
                index.entries.push(Entry {
                    lower: c.customer.to_lowercase(),
                    customer: c,
                });
            }
        }
        index.entries.reverse();
        index
    }

    /// Loads the index of `profile` from the cache (unreadable entries are skipped). Blocking.
    pub fn load(cache: &Cache, profile: &str) -> Result<RecentIndex, CacheError> {
        Ok(RecentIndex::new(cache.recent_customers(profile)?))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Up to `limit` customers whose number contains `query` (case-insensitive, surrounding
    /// spaces ignored), newest first. An empty query lists the newest.
    pub fn filter(&self, query: &str, limit: usize) -> Vec<RecentCustomer> {
        let needle = query.trim().to_lowercase();
        self.entries
            .iter()
            .rev()
            .filter(|e| e.lower.contains(needle.as_str()))
            .take(limit)
            .map(|e| e.customer.clone())
            .collect()
    }

    /// Records a lookup: the customer moves to the front (newest).
    pub fn touch(&mut self, customer: RecentCustomer) {
        self.remove(&customer.customer);
        self.entries.push(Entry {
            lower: customer.customer.to_lowercase(),
            customer,
        });
    }

    /// Forgets one customer (after "Forget this customer"); `true` if it was there.
    pub fn remove(&mut self, customer: &str) -> bool {
        match self
            .entries
            .iter()
            .rposition(|e| e.customer.customer == customer)
        {
            Some(i) => {
                self.entries.remove(i);
                true
            }
            None => false,
        }
    }

    /// Empties the index (after "Clear cache").
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

//! Why: how a lookup works, in one file: cache first while fresh, else the gateway (caching
//! the answer), the cached cards flagged offline when it cannot be reached; the card views and
//! the art keys the URI scheme may serve; the recent-customer indexes; the `viewed_customer`
//! audit entry.

use std::time::Duration;

use assist::{Card, CustomerNumber};

use crate::audit::{Shown, ShownFrom};
use crate::lookup::Freshness;

use super::*;

impl Desk {
    pub(super) fn remember_art(&self, views: &[CardView]) {
        let mut keys = lock(&self.art_keys);
        for v in views {
            for a in [
                &v.art.combined,
                &v.art.background,
                &v.art.brand_logo,
                &v.art.issuer_logo,
                &v.art.co_brand_logo,
                &v.art.icon,
                &v.art.terms,
            ]
            .into_iter()
            .flatten()
            {
                keys.insert(a.key.clone(), a.media_type.clone());
            }
        }
    }

    pub(super) fn view(
        &self,
        record: &ProfileRecord,
        customer: &str,
        cached: &Cached<Vec<Card>>,
        source: Source,
        stale: bool,
        offline_reason: Option<String>,
    ) -> Lookup {
        let today = today(now_ms());
        let cards: Vec<CardView> = cached
            .value
            .iter()
            .map(|c| CardView::new(&record.id, c, today))
            .collect();
        self.remember_art(&cards);
        Lookup {
            profile_id: record.id.clone(),
            profile_name: record.name.clone(),
            environment: record.environment,
            customer: customer.to_owned(),
            cards,
            fetched_at: rfc3339(cached.fetched_at),
            source,
            stale,
            offline_reason,
        }
    }

    /// Looks a customer up in the active profile: the cache while fresh, or (`refresh`) the
    /// gateway.
    pub async fn lookup(&self, customer: &str, refresh: bool) -> Result<Lookup, DeskError> {
        let want = if refresh {
            Freshness::Live
        } else {
            Freshness::Fresh
        };
        self.lookup_as(customer, want).await
    }

    /// Looks a customer up in the active profile, taking a cached list as `want` says.
    pub async fn lookup_as(&self, customer: &str, want: Freshness) -> Result<Lookup, DeskError> {
        let id = self.active_id()?;
        self.lookup_in(&id, customer, want).await
    }

    /// The window's lookup: from a request when one is given, else a plain one.
    pub async fn lookup_from(
        &self,
        customer: &str,
        want: Freshness,
        request: Option<&str>,
    ) -> Result<Lookup, DeskError> {
        match request {
            Some(id) => self.lookup_for_request(customer, want, id).await,
            None => self.lookup_as(customer, want).await,
        }
    }

    /// A lookup made from request `request` (in the active profile): refused unless the
    /// request names this customer, and always written to the audit log under the request
    /// (with its ticket), whatever the "record every view" setting says — what the agent saw
    /// while working a request is part of its record.
    pub async fn lookup_for_request(
        &self,
        customer: &str,
        want: Freshness,
        request: &str,
    ) -> Result<Lookup, DeskError> {
        let request = self.request_naming(request, customer).await?;
        let id = self.active_id()?;
        self.lookup_with(&id, customer, want, Some(&request)).await
    }

    /// Cache first while fresh enough for `want`; else the gateway, caching the answer; when
    /// the gateway cannot be reached, the cached cards flagged as offline.
    pub async fn lookup_in(
        &self,
        profile_id: &str,
        customer: &str,
        want: Freshness,
    ) -> Result<Lookup, DeskError> {
        self.lookup_with(profile_id, customer, want, None).await
    }

    async fn lookup_with(
        &self,
        profile_id: &str,
        customer: &str,
        want: Freshness,
        request: Option<&desk_requests::Request>,
    ) -> Result<Lookup, DeskError> {
        let (record, built_in) = self.record(profile_id)?;
        let customer = CustomerNumber::new(customer.trim())?;
        let settings = self.settings();
        let max_age = Duration::from_secs(u64::from(settings.freshness_minutes) * 60);
        let accepted = match want {
            Freshness::Fresh => Some(max_age),
            Freshness::Typed => Some(max_age.min(Duration::from_secs(u64::from(
                settings.typed_search_seconds,
            )))),
            Freshness::Live => None,
        };
        let cached: Option<Cached<Vec<Card>>> = self
            .cache
            .get(CARDS, &record.id, customer.as_str())
            .unwrap_or(None);
        if let Some(age) = accepted
            && let Some(c) = cached.as_ref().filter(|c| c.is_fresh(age, now_ms()))
        {
            let view = self.view(&record, customer.as_str(), c, Source::Cache, false, None);
            return self.seen(&record, &settings, view, request).await;
        }
        let client = self.client(&record, built_in).await?;
        match client.list_cards(&customer).await {
            Ok(cards) => {
                let fetched = Cached {
                    value: cards,
                    fetched_at: now_ms(),
                };
                self.cache.put_at(
                    CARDS,
                    &record.id,
                    customer.as_str(),
                    &fetched.value,
                    fetched.fetched_at,
                )?;
                if settings.record_lookups {
                    let count = u32::try_from(fetched.value.len()).unwrap_or(u32::MAX);
                    let entry = self
                        .cache
                        .record_lookup(&record.id, customer.as_str(), count)?;
                    self.with_recent(&record.id, |r| r.touch(entry));
                }
                let view = self.view(
                    &record,
                    customer.as_str(),
                    &fetched,
                    Source::Live,
                    false,
                    None,
                );
                self.seen(&record, &settings, view, request).await
            }
            Err(
                e @ (assist::Error::Transport { .. } | assist::Error::UnexpectedResponse { .. }),
            ) => match cached {
                Some(c) => {
                    let stale = !c.is_fresh(max_age, now_ms());
                    let view = self.view(
                        &record,
                        customer.as_str(),
                        &c,
                        Source::Cache,
                        stale,
                        Some(e.to_string()),
                    );
                    self.seen(&record, &settings, view, request).await
                }
                None => Err(e.into()),
            },
            Err(e) => Err(e.into()),
        }
    }

    /// The same customer number in every profile that can be asked, side by side.
    pub async fn lookup_all(&self, customer: &str) -> Vec<ProfileLookup> {
        self.lookup_all_with(customer, None).await
    }

    /// The window's lookup across profiles: from a request when one is given (checked and
    /// logged per profile as `lookup_for_request` does for one), else a plain one. Refused as
    /// a whole when the request does not name the customer; else one answer per profile.
    pub async fn lookup_all_from(
        &self,
        customer: &str,
        request: Option<&str>,
    ) -> Result<Vec<ProfileLookup>, DeskError> {
        let request = match request {
            Some(id) => Some(self.request_naming(id, customer).await?),
            None => None,
        };
        Ok(self.lookup_all_with(customer, request.as_ref()).await)
    }

    async fn lookup_all_with(
        &self,
        customer: &str,
        request: Option<&desk_requests::Request>,
    ) -> Vec<ProfileLookup> {
        let records = self.all_records();
        let lookups = records
            .iter()
            .map(|(r, _)| self.lookup_with(&r.id, customer, Freshness::Live, request));
        let results = futures_util::future::join_all(lookups).await;
        records
            .into_iter()
            .zip(results)
            .map(|((r, _), result)| {
                let (lookup, error) = match result {
                    Ok(l) => (Some(l), None),
                    Err(e) => (None, Some(e)),
                };
                ProfileLookup {
                    profile_id: r.id,
                    profile_name: r.name,
                    environment: r.environment,
                    lookup,
                    error,
                }
            })
            .collect()
    }

    /// Runs `f` on a profile's recent index, loading it from the cache on first use.
    pub(super) fn with_recent<T>(
        &self,
        profile_id: &str,
        f: impl FnOnce(&mut RecentIndex) -> T,
    ) -> T {
        let mut all = lock(&self.recent);
        let index = all
            .entry(profile_id.to_owned())
            .or_insert_with(|| RecentIndex::load(&self.cache, profile_id).unwrap_or_default());
        f(index)
    }

    /// Removals changed card counts in the cache's recent entries (see `Revoker`): the
    /// profile's index is read again on next use.
    pub(super) fn recent_changed(&self, profile_id: &str) {
        lock(&self.recent).remove(profile_id);
    }

    /// Recent customers of the active profile whose number contains `query`, newest first.
    pub fn recent(&self, query: &str) -> Result<Vec<RecentCustomer>, DeskError> {
        let id = self.active_id()?;
        Ok(self.with_recent(&id, |r| r.filter(query, RECENT_LIMIT)))
    }

    /// The window's first view as it last drew it (opaque here; the shell's `first_view.rs`
    /// says when it may be shown), if one is kept and opens.
    pub fn first_frame(&self) -> Option<Vec<u8>> {
        self.cache.first_frame().ok().flatten()
    }

    /// Keeps the window's first view as drawn, sealed in the cache: it lists customers.
    pub fn keep_first_frame(&self, frame: &[u8]) -> Result<(), DeskError> {
        self.cache.put_first_frame(frame)?;
        self.cache.flush()?;
        Ok(())
    }

    /// Removes every trace of one customer of the active profile from the cache.
    pub fn forget_customer(&self, customer: &str) -> Result<(), DeskError> {
        let id = self.active_id()?;
        let customer = customer.trim();
        self.cache.forget_customer(&id, customer)?;
        self.with_recent(&id, |r| r.remove(customer));
        self.cache.flush()?;
        Ok(())
    }

    /// Empties the cache (cards, media, recent customers); profiles and the audit log stay.
    pub fn clear_cache(&self) -> Result<(), DeskError> {
        self.cache.clear()?;
        lock(&self.recent).clear();
        Ok(())
    }

    /// Card art for an art key handed out with a card list: from the cache, else fetched by
    /// the Rust side under the profile's policy (loopback only for the built-in sandbox).
    pub async fn art(&self, key: &str) -> Result<Media, DeskError> {
        let declared = lock(&self.art_keys).get(key).cloned();
        let (Some(declared), Some((profile_id, url))) = (declared, parse_art_key(key)) else {
            return Err(DeskError::new(ErrorCode::NotFound, "card art: unknown key")
                .ru("изображение карты: неизвестный ключ"));
        };
        if let Ok(Some(m)) = self.cache.get_media(&url) {
            return Ok(m.value);
        }
        let (_, built_in) = self.record(&profile_id)?;
        let policy = if built_in {
            ArtPolicy::sandbox()
        } else {
            ArtPolicy::production()
        };
        let art = self
            .art
            .fetch_declared(&url, Some(&declared), &policy)
            .await
            .map_err(|e| {
                DeskError::new(ErrorCode::Transport, format!("card art: {e}"))
                    .ru(format!("изображение карты: {e}"))
            })?;
        let media = Media {
            content_type: art.content_type.to_owned(),
            bytes: art.bytes,
        };
        self.cache.put_media(&url, &media)?;
        Ok(media)
    }

    /// Records a `viewed_customer` entry (when the setting is on, or the view is made for a
    /// request) before the view is shown.
    pub(super) async fn seen(
        &self,
        record: &ProfileRecord,
        settings: &Settings,
        view: Lookup,
        request: Option<&desk_requests::Request>,
    ) -> Result<Lookup, DeskError> {
        if !settings.record_views && request.is_none() {
            return Ok(view);
        }
        let audit = self.audit_log()?;
        let mut draft = EntryDraft::new(Self::operator(settings), AuditAction::ViewedCustomer);
        if let Some(request) = request {
            draft.request = Some(request.id().to_string());
            draft.ticket = request.ticket().map(str::to_owned);
        }
        draft.profile = Some(profile_ref(record));
        draft.customer = Some(view.customer.clone());
        let n = view.cards.len();
        let from = match (view.source, view.offline_reason.is_some()) {
            (Source::Live, _) => ShownFrom::Gateway,
            (Source::Cache, false) => ShownFrom::Cache,
            (Source::Cache, true) => ShownFrom::CacheOffline,
        };
        let source = match from {
            ShownFrom::Gateway => "fetched from the gateway",
            ShownFrom::Cache => "from the cache",
            ShownFrom::CacheOffline => "from the cache (the gateway could not be reached)",
        };
        draft.detail = Some(format!(
            "{n} card{} shown, {source}",
            if n == 1 { "" } else { "s" }
        ));
        draft.shown = Some(Shown {
            cards: u32::try_from(n).unwrap_or(u32::MAX),
            from,
        });
        blocking(move || audit.append(draft).map_err(DeskError::from)).await?;
        Ok(view)
    }
}

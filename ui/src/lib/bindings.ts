// Generated from the Rust types by src-tauri/desk/tests/bindings.rs. Do not edit:
// run `CARDDESK_BLESS=1 cargo test -p desk --test bindings` after changing them.

export type ErrorCode = "validation" | "gateway_fault" | "transport" | "internal" | "secret_store_unavailable" | "not_found" | "credentials_missing";

export type DeskError = { code: ErrorCode, message: string, };

export type Environment = "sandbox" | "test" | "production";

export type StoreKind = "keyring" | "memory";

export type SecretStoreStatus = { kind: StoreKind, reason: string | null, };

export type ProfileView = { id: string, name: string, environment: Environment, baseUrl: string, merchantId: string, login: string, language: string, colour: string, 
/**
 * The built-in sandbox profile: not editable, always there.
 */
builtIn: boolean, hasPassword: boolean, };

export type PresetView = { baseUrl: string, label: string, environment: Environment, };

export type Settings = { 
/**
 * Cached card lists younger than this are shown without a refetch; 0 always refetches.
 */
freshnessMinutes: number, 
/**
 * Whether looked-up customers are remembered in the recent list.
 */
recordLookups: boolean, };

export type DeskStatus = { version: string, secretStore: SecretStoreStatus, activeProfileId: string, profiles: Array<ProfileView>, settings: Settings, presets: Array<PresetView>, };

export type ProfileDraft = { name: string, 
/**
 * `sandbox`, `test` or `production` (any case).
 */
environment: string, baseUrl: string, merchantId: string, login: string, 
/**
 * `RU` or `EN` (any case).
 */
language: string, 
/**
 * `#rrggbb`.
 */
colour: string, };

export type ArtFormat = "image" | "pdf" | "text" | "html" | "other";

export type ArtRef = { key: string, format: ArtFormat, mediaType: string, alt: string | null, width: number | null, height: number | null, };

export type CardArt = { combined: ArtRef | null, background: ArtRef | null, brandLogo: ArtRef | null, issuerLogo: ArtRef | null, coBrandLogo: ArtRef | null, icon: ArtRef | null, terms: ArtRef | null, };

export type ExpiryView = { month: number, year: number, };

export type CardView = { token: string, bin: string, last4: string, masked: string, brand: string, bank: string, expiry: ExpiryView | null, 
/**
 * `MM/YYYY`, or the gateway's text when it could not be read.
 */
expiryText: string, active: boolean, needCvc: boolean, expired: boolean, 
/**
 * Expires this month or next.
 */
expiresSoon: boolean, art: CardArt, };

export type Source = "live" | "cache";

export type Lookup = { profileId: string, profileName: string, environment: Environment, customer: string, cards: Array<CardView>, 
/**
 * RFC 3339, UTC: when these cards were fetched from the gateway.
 */
fetchedAt: string, source: Source, 
/**
 * Older than the freshness setting.
 */
stale: boolean, 
/**
 * Set when the gateway could not be reached and cached data is shown instead.
 */
offlineReason: string | null, };

export type ProfileLookup = { profileId: string, profileName: string, environment: Environment, lookup: Lookup | null, error: DeskError | null, };

export type Verdict = "ok" | "bad_credentials" | "no_access" | "unreachable" | "no_password" | "failed";

export type ConnectionCheck = { verdict: Verdict, message: string, };

export type RecentCustomer = { customer: string, 
/**
 * When it was last looked up, unix ms UTC.
 */
lastLookup: number, 
/**
 * How many cards that lookup found.
 */
cardCount: number, };

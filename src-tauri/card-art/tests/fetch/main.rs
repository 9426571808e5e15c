//! Why: docs/design.md §5 lists what card-art fetching must refuse, and docs/assist-api.md §4.2
//! lists the media types the gateway declares (including its `image/pdf` vs `application/pdf`
//! contradiction). These tests prove each rule end to end over real HTTP on loopback; nothing
//! here sends a packet to a non-loopback address — such URLs must be refused before connecting.

#![allow(clippy::unwrap_used)]

mod server;

use std::time::{Duration, Instant};

use card_art::{Art, ArtError, ArtFetcher, ArtKind, ArtPolicy, RedirectProblem, UnsupportedReason};
use server::{ArtServer, PDF, PNG, RawReply, TERMS, Tripwire, raw_server};

fn sandbox() -> ArtPolicy {
    ArtPolicy::sandbox()
}

fn strict() -> ArtPolicy {
    ArtPolicy::production()
}

async fn fetched(url: &str, declared: Option<&str>, policy: &ArtPolicy) -> Art {
    match ArtFetcher::new()
        .fetch_declared(url, declared, policy)
        .await
    {
        Ok(art) => art,
        Err(e) => panic!("{url}: {e:?}"),
    }
}

async fn refused(url: &str, declared: Option<&str>, policy: &ArtPolicy) -> ArtError {
    match ArtFetcher::new()
        .fetch_declared(url, declared, policy)
        .await
    {
        Ok(art) => panic!("{url} was accepted: {art:?}"),
        Err(e) => e,
    }
}

fn unsupported(reason: UnsupportedReason) -> ArtError {
    ArtError::Unsupported { reason }
}

// --- accepted art -------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_fetcher_has_at_most_six_fetches_in_flight_and_the_rest_wait_their_turn() {
    let server = ArtServer::start().await;
    let fetcher = ArtFetcher::new();
    let url = server.url("/held.png");
    let fetches: Vec<_> = (0..20)
        .map(|_| {
            let (fetcher, url) = (fetcher.clone(), url.clone());
            tokio::spawn(async move { fetcher.fetch(&url, &ArtPolicy::sandbox()).await })
        })
        .collect();
    for f in fetches {
        assert_eq!(f.await.unwrap().unwrap().kind, ArtKind::Png);
    }
    let peak = server.held.peak.load(std::sync::atomic::Ordering::SeqCst);
    assert!(
        (2..=card_art::MAX_FETCHES).contains(&peak),
        "{peak} fetches at once"
    );
}

#[tokio::test]
async fn png_is_fetched_and_served_as_png() {
    let s = ArtServer::start().await;
    let art = fetched(&s.url("/card.png"), Some("image/png"), &sandbox()).await;
    assert_eq!(art.kind, ArtKind::Png);
    assert_eq!(art.content_type, "image/png");
    assert_eq!(art.bytes, PNG);
    // No declared type at all is fine for an image.
    let art = ArtFetcher::new()
        .fetch(&s.url("/card.png"), &sandbox())
        .await
        .unwrap();
    assert_eq!(art.kind, ArtKind::Png);
}

#[tokio::test]
async fn the_servers_content_type_is_ignored() {
    let s = ArtServer::start().await;
    let art = fetched(&s.url("/png-as-html"), None, &sandbox()).await;
    assert_eq!(art.content_type, "image/png");
}

#[tokio::test]
async fn pdf_is_fetched_under_either_declared_spelling() {
    let s = ArtServer::start().await;
    for declared in [None, Some("application/pdf"), Some("image/pdf")] {
        let art = fetched(&s.url("/brand.pdf"), declared, &sandbox()).await;
        assert_eq!(art.kind, ArtKind::Pdf, "{declared:?}");
        assert_eq!(art.content_type, "application/pdf");
        assert_eq!(art.bytes, PDF);
    }
}

#[tokio::test]
async fn plain_text_terms_need_the_text_plain_hint() {
    let s = ArtServer::start().await;
    let art = fetched(&s.url("/terms.txt"), Some("text/plain"), &sandbox()).await;
    assert_eq!(art.kind, ArtKind::Text);
    assert_eq!(art.content_type, "text/plain; charset=utf-8");
    assert_eq!(art.bytes, TERMS.as_bytes());
    let e = refused(&s.url("/terms.txt"), None, &sandbox()).await;
    assert_eq!(e, unsupported(UnsupportedReason::Unrecognised));
}

// --- refused content ----------------------------------------------------------------------

#[tokio::test]
async fn html_served_as_png_is_refused() {
    let s = ArtServer::start().await;
    for declared in [
        Some("image/png"),
        Some("image/pdf"),
        Some("text/plain"),
        None,
    ] {
        let e = refused(&s.url("/page.png"), declared, &sandbox()).await;
        assert_eq!(e, unsupported(UnsupportedReason::Html), "{declared:?}");
        assert_eq!(e.code(), "unsupported");
    }
}

#[tokio::test]
async fn declared_text_html_is_refused_whatever_the_bytes() {
    let s = ArtServer::start().await;
    let e = refused(&s.url("/card.png"), Some("text/html"), &sandbox()).await;
    assert_eq!(e, unsupported(UnsupportedReason::Html));
}

#[tokio::test]
async fn svg_is_refused() {
    let s = ArtServer::start().await;
    for declared in [None, Some("image/svg+xml"), Some("image/png")] {
        let e = refused(&s.url("/art.svg"), declared, &sandbox()).await;
        assert_eq!(e, unsupported(UnsupportedReason::Svg), "{declared:?}");
    }
}

#[tokio::test]
async fn a_pdf_declared_as_png_and_an_empty_body_are_refused() {
    let s = ArtServer::start().await;
    let e = refused(&s.url("/brand.pdf"), Some("image/png"), &sandbox()).await;
    assert_eq!(e, unsupported(UnsupportedReason::Mismatch));
    let e = refused(&s.url("/empty.png"), Some("image/png"), &sandbox()).await;
    assert_eq!(e, unsupported(UnsupportedReason::Empty));
}

#[tokio::test]
async fn an_error_status_is_http() {
    let s = ArtServer::start().await;
    let e = refused(&s.url("/gone.png"), None, &sandbox()).await;
    assert_eq!(e, ArtError::Http { status: 404 });
    assert_eq!(e.code(), "http_status");
}

// --- size cap -----------------------------------------------------------------------------

const TWO_MIB: usize = 2 * 1024 * 1024;

#[tokio::test]
async fn a_three_mib_body_is_too_large() {
    let s = ArtServer::start().await;
    let e = refused(&s.url("/huge.png"), None, &sandbox()).await;
    assert_eq!(e, ArtError::TooLarge { limit: TWO_MIB });
}

#[tokio::test]
async fn a_body_without_length_is_capped_while_streaming() {
    let addr = raw_server(RawReply::ChunkedThreeMib).await;
    let e = refused(&format!("http://{addr}/x.png"), None, &sandbox()).await;
    assert_eq!(e, ArtError::TooLarge { limit: TWO_MIB });
}

#[tokio::test]
async fn an_endless_body_is_abandoned_at_the_cap_not_at_the_deadline() {
    let addr = raw_server(RawReply::EndlessUntilClose).await;
    let policy = ArtPolicy {
        timeout: Duration::from_secs(30),
        ..sandbox()
    };
    let started = Instant::now();
    let e = refused(&format!("http://{addr}/x.png"), None, &policy).await;
    assert_eq!(e, ArtError::TooLarge { limit: TWO_MIB });
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn a_lying_content_length_is_not_trusted() {
    // `Content-Length: 100` beside a chunked 3 MiB body: a length under the cap must not let
    // the body through. hyper follows the chunking (RFC 9112 §6.3: Transfer-Encoding wins),
    // so the streaming cap is what stops it.
    let addr = raw_server(RawReply::LyingContentLength).await;
    let e = refused(&format!("http://{addr}/x.png"), None, &sandbox()).await;
    assert_eq!(e, ArtError::TooLarge { limit: TWO_MIB });
}

#[tokio::test]
async fn the_cap_is_inclusive() {
    let s = ArtServer::start().await;
    let exact = ArtPolicy {
        max_bytes: PNG.len(),
        ..sandbox()
    };
    fetched(&s.url("/card.png"), None, &exact).await;
    let one_less = ArtPolicy {
        max_bytes: PNG.len() - 1,
        ..sandbox()
    };
    let e = refused(&s.url("/card.png"), None, &one_less).await;
    assert_eq!(
        e,
        ArtError::TooLarge {
            limit: PNG.len() - 1
        }
    );
}

// --- time limit ---------------------------------------------------------------------------

fn one_second() -> ArtPolicy {
    ArtPolicy {
        timeout: Duration::from_secs(1),
        ..sandbox()
    }
}

#[tokio::test]
async fn a_trickling_body_times_out() {
    let addr = raw_server(RawReply::TrickleBody).await;
    let started = Instant::now();
    let e = refused(&format!("http://{addr}/x.png"), None, &one_second()).await;
    assert_eq!(e, ArtError::Timeout);
    assert_eq!(e.code(), "timeout");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn slow_headers_time_out() {
    let s = ArtServer::start().await;
    let started = Instant::now();
    let e = refused(&s.url("/slow-headers.png"), None, &one_second()).await;
    assert_eq!(e, ArtError::Timeout);
    assert!(started.elapsed() < Duration::from_secs(5));
}

// --- redirects ----------------------------------------------------------------------------

#[tokio::test]
async fn up_to_three_redirects_are_followed_and_a_fourth_is_refused() {
    let s = ArtServer::start().await;
    for n in 0..=3 {
        let art = fetched(&s.url(&format!("/hop/{n}")), None, &sandbox()).await;
        assert_eq!(art.kind, ArtKind::Png);
    }
    let e = refused(&s.url("/hop/4"), None, &sandbox()).await;
    assert_eq!(
        e,
        ArtError::Redirect {
            problem: RedirectProblem::TooMany
        }
    );
}

#[tokio::test]
async fn relative_redirects_resolve_against_the_current_url() {
    let s = ArtServer::start().await;
    fetched(&s.url("/to-relative"), None, &sandbox()).await;
}

#[tokio::test]
async fn redirect_targets_are_checked_like_the_first_url() {
    let s = ArtServer::start().await;
    // None of these targets is contacted: each is refused before a connection is made.
    let cases = [
        (
            "/to-http-public",
            ArtError::NotHttps {
                host: "example.com".into(),
            },
        ),
        (
            "/to-private",
            ArtError::PrivateAddress {
                host: "10.0.0.1".into(),
            },
        ),
        (
            "/to-metadata",
            ArtError::PrivateAddress {
                host: "169.254.169.254".into(),
            },
        ),
        ("/to-userinfo", ArtError::BadUrl),
        (
            "/to-file",
            ArtError::Redirect {
                problem: RedirectProblem::BadLocation,
            },
        ),
        (
            "/no-location",
            ArtError::Redirect {
                problem: RedirectProblem::BadLocation,
            },
        ),
    ];
    for (path, expected) in cases {
        assert_eq!(
            refused(&s.url(path), None, &sandbox()).await,
            expected,
            "{path}"
        );
    }
}

// --- where art may come from --------------------------------------------------------------

#[tokio::test]
async fn plain_http_to_loopback_only_under_the_sandbox_policy() {
    let s = ArtServer::start().await;
    fetched(&s.url("/card.png"), None, &sandbox()).await;
    let by_name = format!("http://localhost:{}/card.png", s.port());
    fetched(&by_name, None, &sandbox()).await;

    let wire = Tripwire::start().await;
    let e = refused(
        &format!("http://127.0.0.1:{}/x.png", wire.port),
        None,
        &strict(),
    )
    .await;
    assert_eq!(
        e,
        ArtError::NotHttps {
            host: "127.0.0.1".into()
        }
    );
    let e = refused(
        &format!("https://127.0.0.1:{}/x.png", wire.port),
        None,
        &strict(),
    )
    .await;
    assert_eq!(
        e,
        ArtError::PrivateAddress {
            host: "127.0.0.1".into()
        }
    );
    assert_eq!(wire.connections().await, 0);
}

#[tokio::test]
async fn a_name_resolving_to_loopback_is_refused_by_the_resolver() {
    // `localhost` passes the URL check (it is a name, not an IP literal); only the resolver,
    // looking at the addresses about to be dialled, can refuse it.
    let wire = Tripwire::start().await;
    let url = format!("https://localhost:{}/x.png", wire.port);
    let e = refused(&url, None, &strict()).await;
    assert_eq!(
        e,
        ArtError::PrivateAddress {
            host: "localhost".into()
        }
    );
    assert_eq!(e.code(), "private_address");
    assert_eq!(wire.connections().await, 0);
}

#[tokio::test]
async fn one_fetcher_keeps_the_policies_apart() {
    // The sandbox policy's permissive client must never serve a production-policy fetch.
    let s = ArtServer::start().await;
    let wire = Tripwire::start().await;
    let fetcher = ArtFetcher::new();
    let shared = fetcher.clone();
    let by_name = format!("http://localhost:{}/card.png", s.port());
    shared.fetch(&by_name, &sandbox()).await.unwrap();
    let url = format!("https://localhost:{}/x.png", wire.port);
    let e = fetcher.fetch(&url, &strict()).await.unwrap_err();
    assert_eq!(e.code(), "private_address");
    shared.fetch(&by_name, &sandbox()).await.unwrap();
    assert_eq!(wire.connections().await, 0);
}

#[tokio::test]
async fn private_ip_literals_are_refused_before_any_connection() {
    // An IP literal bypasses the resolver, so `PrivateAddress` here can only come from the
    // check made before connecting; a connection attempt would end in Timeout or Transport.
    let fetcher = ArtFetcher::new();
    let cases = [
        ("https://10.0.0.1/x.png", "10.0.0.1"),
        ("https://192.168.1.1/", "192.168.1.1"),
        ("https://[::1]/", "[::1]"),
        (
            "https://169.254.169.254/latest/meta-data/",
            "169.254.169.254",
        ),
        ("https://[::ffff:172.16.0.1]/", "[::ffff:ac10:1]"),
        ("https://100.64.1.1/", "100.64.1.1"),
        ("https://[fd00::1]/", "[fd00::1]"),
        ("https://0x0a.0.0.1/", "10.0.0.1"),
    ];
    for (url, host) in cases {
        let e = fetcher.fetch(url, &strict()).await.unwrap_err();
        assert_eq!(e, ArtError::PrivateAddress { host: host.into() }, "{url}");
        assert!(!e.to_string().contains("meta-data"), "{e}");
    }
    // The sandbox exception covers loopback only.
    for url in ["https://10.0.0.1/x.png", "https://169.254.169.254/"] {
        let e = fetcher.fetch(url, &sandbox()).await.unwrap_err();
        assert_eq!(e.code(), "private_address", "{url}");
    }
}

#[tokio::test]
async fn bad_urls_and_other_schemes_are_refused_before_any_connection() {
    let fetcher = ArtFetcher::new();
    let e = fetcher
        .fetch("https://user:secret@example.com/x.png", &strict())
        .await
        .unwrap_err();
    assert_eq!(e, ArtError::BadUrl);
    assert!(!e.to_string().contains("secret"));
    let e = fetcher
        .fetch("ftp://example.com/x.png", &strict())
        .await
        .unwrap_err();
    assert_eq!(
        e,
        ArtError::NotHttps {
            host: "example.com".into()
        }
    );
    let e = fetcher
        .fetch("http://example.com/x.png", &sandbox())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "not_https");
}

//! A gateway whose TLS certificate is not trusted (a self-signed one here, as a proxy that
//! intercepts traffic would present) is named as such — not as "could not be reached" — and
//! nothing is sent: the TLS handshake fails before the request leaves the machine.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use assist::{Client, Error};
use common::{CANARY, assert_no_leak, config, customer};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// Serves TLS on loopback with a fresh self-signed certificate for 127.0.0.1; counts the
/// handshakes that completed (a request could only follow one).
async fn self_signed_server() -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    let cert = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(cert.signing_key.serialize_der()));
    let tls = ServerConfig::builder_with_provider(Arc::new(
        tokio_rustls::rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![cert.cert.der().clone()], key)
    .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(tls));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://127.0.0.1:{}/",
        listener.local_addr().unwrap().port()
    );
    let handshakes = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = handshakes.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let counted = counted.clone();
            tokio::spawn(async move {
                if acceptor.accept(socket).await.is_ok() {
                    counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            });
        }
    });
    (url, handshakes)
}

#[tokio::test]
async fn a_certificate_nobody_trusts_is_named_and_nothing_is_sent() {
    let (url, handshakes) = self_signed_server().await;
    let client = Client::new(config(&url, CANARY)).unwrap();
    let err = client.list_cards(&customer("1234")).await.unwrap_err();
    assert_no_leak(&err);
    assert!(err.is_untrusted_certificate(), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("the server's certificate is not trusted (possible interception)"),
        "{text}"
    );
    assert!(text.contains("do not proceed on production"), "{text}");
    assert!(!text.contains("could not connect"), "{text}");
    // Like an unreachable host, nothing was sent (a bulk job stops rather than fail row after
    // row); unlike one, asking again cannot help, so the listing was not retried.
    assert!(err.is_unreachable());
    assert!(!err.is_retryable());
    assert!(matches!(err, Error::Transport { status: None, .. }));
    assert_eq!(handshakes.load(std::sync::atomic::Ordering::SeqCst), 0);
}

//! Integration tests: a real sandbox on 127.0.0.1:0, driven over HTTP with reqwest.
//! One test binary (modules below) keeps link time down on small machines.
#![allow(clippy::unwrap_used)]

mod common;
mod control_api;
mod doc_fixtures;
mod fault_shape;
mod faults_table;
mod injection;
mod lifecycle;
mod removal;
mod request_keys;
mod seed_data;
mod web_pages;

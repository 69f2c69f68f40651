//! yibao-recon — monthly reconciliation of hardship rosters against the
//! urban-rural resident medical-insurance ledger (城乡居民医保 困难群体参保对账).
//!
//! The data path: [`ingest`] (decode, match headers, validate) → [`policy`]
//! (the region's contribution rules, from TOML) → [`rules`] (R1–R9) →
//! [`report`] (CSV lists and the summary). [`pipeline`] runs them in order;
//! [`cli`] turns command lines into a [`pipeline::RunConfig`].

pub mod cli;
pub mod domain;
pub mod error;
pub mod findings;
pub mod forecast;
pub mod generate;
pub mod i18n;
pub mod ingest;
pub mod job;
pub mod ledger;
pub mod memory;
pub mod owner_only;
pub mod pipeline;
pub mod policy;
pub mod progress;
pub mod report;
pub mod rules;

pub use error::{Error, Result};

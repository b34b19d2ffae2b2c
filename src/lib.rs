//! # landclust
//!
//! Unsupervised land-surface types from gridded satellite climatologies (netCDF).
//!
//! The modules follow the pipeline, and data flows one way:
//! file ([`io`]) -> grid and land table ([`dataset`]) -> features ([`features`]) ->
//! reduced space ([`reduce`]) -> labels ([`cluster`]) -> scores ([`metrics`]) ->
//! pictures ([`plot`]) and report ([`report`]). [`pipeline`] chains them for `landclust run`.
//!
//! Imports go the other way, downwards only, layer by layer: [`par`] and [`progress`] ->
//! [`dataset`] (the grid, the cell table and the [`dataset::BlockReader`] every file reader
//! implements) -> [`io`] -> the algorithms ([`features`], [`reduce`], [`cluster`], [`metrics`],
//! which read and write no files) -> [`synth`] -> [`plot`] -> [`report`] -> [`pipeline`] ->
//! [`cli`]. `tests/layers.rs` checks it. The library prints nothing itself: progress and notes
//! go to the [`progress::Reporter`] a caller registers (the CLI draws bars and prints notes).
//!
//! Every algorithm has a parameter builder that validates, its own error type, a `fit` that
//! returns a fitted model carrying its diagnostics, and `predict`/`transform` where it makes sense.

pub mod cli;
pub mod cluster;
pub mod dataset;
pub mod error;
pub mod features;
pub mod io;
pub mod metrics;
pub mod par;
pub mod pipeline;
pub mod plot;
pub mod progress;
pub mod reduce;
pub mod report;
pub mod synth;

pub use error::{Error, Result};

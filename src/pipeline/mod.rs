//! The pipelines of the CLI's commands. [`mod@run`] is the chain behind `landclust run`: file ->
//! table -> features -> reduced space -> labels -> scores -> files, figures and report.
//! [`commands`] holds every other subcommand (elbow, stability, export, import/assign, encode,
//! bench, demo, mnist, vae-mnist, plot), each built on the run chain's stages.
//! The settings of a run ([`config`]), its memory plan ([`memory`]) and its output folder
//! ([`outdir`]) are shared by both.

pub mod commands;
pub mod config;
pub mod labels_nc;
pub mod memory;
pub mod naming;
pub mod options;
pub mod outdir;
pub mod run;
pub mod vector_settings;

pub use commands::elbow::elbow;
pub use config::{KChoice, Method, Reduce, RunConfig, STUDY_VARIABLES, VaeSettings};
pub use run::{Analysed, Computed, RunSummary, analyse, compute, run};

// The command modules named from outside the pipeline (the CLI's option defaults, the crate
// error, the Parquet reader, the MNIST tests) keep their short paths.
pub use commands::{export, mnist, stability};

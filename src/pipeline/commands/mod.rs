//! The subcommands other than `run`, each on the stages of [`super::run`]: one module per
//! command (the demo's monthly study and its comparison table beside [`study`], the stability
//! figures beside [`stability`]).

pub mod bench;
pub mod compare_runs;
pub mod compare_runs_grid;
pub mod compare_runs_outputs;
pub mod comparison;
pub mod deep_mnist;
pub mod elbow;
pub mod encode;
pub mod export;
pub mod import;
pub mod mnist;
pub mod replot;
pub mod stability;
pub mod stability_figures;
pub mod study;
pub mod study_monthly;
pub mod study_regions;
pub mod study_weights;

//! The end-to-end pipeline behind `landclust run`.

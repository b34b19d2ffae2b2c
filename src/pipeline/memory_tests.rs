use super::*;
use crate::pipeline::config::{KChoice, Method};

#[test]
fn a_mixture_plans_its_responsibilities_per_cell_at_the_largest_k() {
    let mut cfg = RunConfig::new("x.nc");
    cfg.max_memory = Some("1GB".parse().unwrap());
    let kmeans = plan(&cfg, 7, 0).per_cell;
    cfg.method = Method::Gmm;
    cfg.k = KChoice::Fixed(6);
    let gmm6 = plan(&cfg, 7, 0).per_cell;
    // 8 bytes per component and 24 for the assignment, with the plan's 25 % margin.
    assert_eq!(gmm6 - kmeans, (8 * 6 + 24) * 5 / 4);
    cfg.k = KChoice::Auto;
    cfg.k_max = 20;
    assert_eq!(plan(&cfg, 7, 0).per_cell - kmeans, (8 * 20 + 24) * 5 / 4);
}

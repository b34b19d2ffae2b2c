use super::*;

const ALL: [Reduce; 5] = [
    Reduce::None,
    Reduce::Pca(3),
    Reduce::Vae(2),
    Reduce::Tt(36, 4),
    Reduce::TtCell(3, 12),
];

#[test]
fn every_reduction_is_built_for_its_own_spelling() {
    for r in ALL {
        assert_eq!(reduction(r).spec(), r);
    }
}

#[test]
fn dimensions_follow_the_ranks_the_space_is_embedded_in() {
    let dims: Vec<usize> = ALL.iter().map(|&r| reduction(r).dims(7)).collect();
    assert_eq!(dims, vec![7, 3, 2, 4, 3]);
}

#[test]
fn window_memory_is_the_memory_plans_tensor_train_term() {
    for r in ALL {
        let mut cfg = crate::pipeline::config::RunConfig::new("x.nc");
        cfg.reduce = r;
        let planned = crate::pipeline::memory::plan(&cfg, 7, 0).per_window_cell;
        assert_eq!(planned, (20 + reduction(r).memory(7).per_window_cell) * 5 / 4, "{r}");
    }
    assert_eq!(reduction(Reduce::Tt(36, 3)).memory(7).per_window_cell, 33 * 7 + 8 * 3);
}

#[test]
fn cell_memory_counts_the_coordinates_and_tt_cells_tensor_copies() {
    assert_eq!(reduction(Reduce::None).memory(7).per_cell, 56);
    assert_eq!(reduction(Reduce::Pca(3)).memory(7).per_cell, 24);
    assert_eq!(reduction(Reduce::TtCell(3, 12)).memory(7).per_cell, 24 + 24 * 7);
}

#[test]
fn descriptions_name_the_space() {
    assert_eq!(reduction(Reduce::None).describe(), "standardized variables (z-scores)");
    assert_eq!(
        reduction(Reduce::Pca(3)).describe(),
        "first 3 principal components of the z-scores"
    );
    assert_eq!(
        reduction(Reduce::Vae(2)).describe(),
        "2-D VAE latent means of the z-scores"
    );
    assert!(
        reduction(Reduce::TtCell(3, 12))
            .describe()
            .contains("(cell, variable, month)")
    );
}

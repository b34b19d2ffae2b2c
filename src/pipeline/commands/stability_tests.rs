use super::*;

fn all(labels: Vec<usize>) -> Labeling {
    Labeling { cells: None, labels }
}

#[test]
fn subsamples_are_sorted_distinct_and_repeatable() {
    let a = subsample_indices(100, 0.8, 7, 1000);
    assert_eq!(a.len(), 80);
    assert!(a.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(a, subsample_indices(100, 0.8, 7, 1000));
    assert_ne!(a, subsample_indices(100, 0.8, 7, 1001));
    assert_eq!(subsample_indices(10, 1.0, 7, 3), (0..10).collect::<Vec<_>>());
}

#[test]
fn pairwise_ari_summarizes_every_pair() {
    let runs = vec![all(vec![0, 0, 1, 1]), all(vec![1, 1, 0, 0]), all(vec![0, 0, 1, 1])];
    assert_eq!(pairwise_ari(&runs, 4).unwrap(), (1.0, 0.0, 1.0));
    let runs = vec![all(vec![0, 0, 1, 1]), all(vec![0, 1, 0, 1])];
    let (mean, std, min) = pairwise_ari(&runs, 4).unwrap();
    assert_eq!((mean, std), (min, 0.0));
    assert!(mean < 0.0);
}

#[test]
fn subsamples_are_compared_on_shared_cells() {
    // Cells 0..6; a holds 0..4, b holds 2..6; on the shared cells 2, 3, 4 they agree.
    let a = Labeling {
        cells: Some(vec![0, 1, 2, 3, 4]),
        labels: vec![5, 5, 0, 0, 1],
    };
    let b = Labeling {
        cells: Some(vec![2, 3, 4, 5]),
        labels: vec![1, 1, 0, 0],
    };
    assert_eq!(shared_ari(&a, &b, 6).unwrap(), 1.0);
}

#[test]
fn confidence_counts_co_assignments_within_the_reference_cluster() {
    let reference = vec![0, 0, 0, 1, 1];
    // Run 1 splits cell 2 from cells 0 and 1; run 2 holds cells 0, 2, 3, 4 only and agrees.
    let runs = vec![
        all(vec![0, 0, 1, 1, 1]),
        Labeling {
            cells: Some(vec![0, 2, 3, 4]),
            labels: vec![0, 0, 1, 1],
        },
    ];
    let c = consensus_confidence(&reference, 2, &runs);
    // Cell 0: run 1 -> 1 of 2 (cell 1 yes, cell 2 no); run 2 -> 1 of 1 (cell 2): 2 / 3.
    assert!((c[0] - 2.0 / 3.0).abs() < 1e-15, "{c:?}");
    // Cell 1: run 1 -> 1 of 2; not in run 2: 1 / 2.
    assert_eq!(c[1], 0.5);
    // Cell 2: run 1 -> 0 of 2; run 2 -> 1 of 1: 1 / 3.
    assert!((c[2] - 1.0 / 3.0).abs() < 1e-15);
    assert_eq!((c[3], c[4]), (1.0, 1.0));
    assert!(consensus_confidence(&[0, 1], 2, &runs[..0]).iter().all(|v| v.is_nan()));
}

#[test]
fn params_are_checked() {
    assert!(StabilityParams::new(2, 10).build().is_ok());
    assert!(StabilityParams::new(1, 10).build().is_err());
    assert!(StabilityParams::new(5, 4).build().is_err());
    assert!(StabilityParams::new(2, 4).runs(1).build().is_err());
    assert!(StabilityParams::new(2, 4).subsample(0.0).build().is_err());
    assert!(StabilityParams::new(2, 4).subsample(1.5).build().is_err());
    assert!(StabilityParams::new(2, 4).confidence_k(Some(7)).build().is_err());
}

/// A 1 x 12 land grid with one variable in two groups.
fn two_groups() -> (RunConfig, Prepared, Space) {
    use crate::dataset::{CellTable, Grid, GridDataset, GridVariable, Selection, TableRequest};
    use crate::features::{Standardizer, correlation};
    let var = |name: &str, values: Vec<f64>| GridVariable {
        name: name.into(),
        units: None,
        long_name: None,
        values,
    };
    let values: Vec<f64> = (0..12)
        .map(|i| if i < 6 { i as f64 } else { 50.0 + i as f64 })
        .collect();
    let dataset = GridDataset {
        path: "mem".into(),
        grid: Grid::regular(1, 12, 0.0, 0.0, 1.0),
        variables: vec![var("LandPercentage", vec![100.0; 12]), var("A", values)],
    };
    let names = ["A".to_string()];
    let sel = Selection::default();
    let table = CellTable::read(&dataset, &TableRequest::new(&names, &sel)).unwrap();
    let scaler = Standardizer::fit(table.values.view(), &table.names).unwrap();
    let z = scaler.transform(table.values.view()).unwrap();
    let prepared = Prepared {
        path: dataset.path.clone(),
        correlation: correlation(z.view()),
        weights: None,
        input_stack: Vec::new(),
        truth_classes: Default::default(),
        table,
        scaler,
        z,
    };
    let space = analysis::space_from(crate::pipeline::Reduce::None, &prepared, None).unwrap();
    (RunConfig::new("mem"), prepared, space)
}

/// Two clusters split at 0 with a made-up membership per row: a method that gives one.
struct SoftSplit;

impl Clusterer for SoftSplit {
    fn name(&self) -> &str {
        "soft-split"
    }
    fn fit(
        &self,
        x: ndarray::ArrayView2<f64>,
        _k: usize,
        _seed: u64,
    ) -> std::result::Result<crate::cluster::method::ClusterFit, crate::cluster::method::MethodError> {
        let labels: Vec<usize> = x.column(0).iter().map(|&v| usize::from(v > 0.0)).collect();
        let membership = (0..x.nrows()).map(|i| 0.5 + i as f64 / 100.0).collect();
        Ok(crate::cluster::method::ClusterFit {
            labels,
            membership: Some(membership),
            ..Default::default()
        })
    }
}

#[test]
fn a_methods_membership_is_the_confidence_map() {
    let (cfg, prepared, space) = two_groups();
    let params = StabilityParams::new(2, 2).runs(2);
    let s = analyse_with(&SoftSplit, &cfg, &prepared, &space, &params, false).unwrap();
    assert_eq!(s.confidence_source, ConfidenceSource::Membership);
    let expected: Vec<f64> = (0..12).map(|i| 0.5 + i as f64 / 100.0).collect();
    assert_eq!(s.confidence, expected);
    // The repetitions still agree (the split is the same on every subsample).
    assert!(s.rows.iter().all(|r| r.ari_mean == 1.0), "{:?}", s.rows);
}

#[test]
fn without_a_membership_the_confidence_is_the_consensus() {
    let (cfg, prepared, space) = two_groups();
    let params = StabilityParams::new(2, 2).runs(2);
    let s = analyse(&cfg, &prepared, &space, &params, false).unwrap();
    assert_eq!(s.confidence_source, ConfidenceSource::Consensus);
    // Two well separated groups: every run puts each cell with its whole group.
    assert!(s.confidence.iter().all(|&c| c == 1.0), "{:?}", s.confidence);
}

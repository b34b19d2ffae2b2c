use super::*;
use crate::dataset::{CellTable, Grid, GridDataset, GridVariable, Selection, TableRequest};
use crate::features::{Standardizer, correlation};

/// A 1 x 4 land grid with one variable `A` and a truth `T` missing on the third cell.
fn prepared() -> Prepared {
    let var = |name: &str, values: Vec<f64>| GridVariable {
        name: name.into(),
        units: None,
        long_name: None,
        values,
    };
    let dataset = GridDataset {
        path: "mem".into(),
        grid: Grid::regular(1, 4, 0.0, 0.0, 1.0),
        variables: vec![
            var("LandPercentage", vec![100.0; 4]),
            var("A", vec![1.0, 2.0, 3.0, 4.0]),
            var("T", vec![1.0, 1.0, f64::NAN, 2.0]),
        ],
    };
    let names = ["A".to_string()];
    let sel = Selection::default();
    let request = TableRequest {
        extras: vec!["T".into()],
        ..TableRequest::new(&names, &sel)
    };
    let table = CellTable::read(&dataset, &request).unwrap();
    let scaler = Standardizer::fit(table.values.view(), &table.names).unwrap();
    let z = scaler.transform(table.values.view()).unwrap();
    let correlation = correlation(z.view());
    Prepared {
        path: dataset.path.clone(),
        table,
        scaler,
        z,
        correlation,
        weights: None,
        input_stack: Vec::new(),
        truth_classes: Default::default(),
    }
}

#[test]
fn contingency_rows_are_the_real_cluster_ids() {
    // Cluster 1 holds only the cell without truth: its row must stay, empty, as row 1.
    let t = compare_truth(&prepared(), "T", &[0, 0, 1, 2]).unwrap();
    assert_eq!(t.classes, vec![1, 2]);
    assert_eq!(t.contingency, vec![vec![2, 0], vec![0, 0], vec![0, 1]]);
    assert_eq!(t.n_compared, 3);
    assert_eq!(t.n_missing_truth, 1);
}

#[test]
fn k_auto_without_a_gap_choice_names_the_rule_it_took_never_two() {
    let mut cfg = RunConfig::new("x.nc");
    cfg.k = KChoice::Auto;
    let elbow = ElbowSweep {
        ks: vec![1, 2, 3],
        wcss: vec![3.0, 2.0, 1.0],
        silhouette: vec![None, Some(0.4), Some(0.5)],
        knee: None,
        criteria: None,
    };
    let mut gap = GapStatistic {
        ks: vec![1, 2, 3],
        log_w: vec![0.0; 3],
        log_w_ref: vec![0.0; 3],
        gap: vec![0.1, 0.2, 0.3],
        s_k: vec![0.0; 3],
        n_refs: 10,
        k: None,
    };
    // No gap choice and no knee: the best silhouette (k = 3), named as the rule, not k = 2.
    let (k, choice) = resolve_k(&cfg, Some(&elbow), Some(&gap)).unwrap();
    assert_eq!(k, 3);
    assert!(choice.unwrap().rule.starts_with("best silhouette"));
    // Nothing at all: an error naming the gap statistic.
    let flat = ElbowSweep {
        silhouette: vec![None; 3],
        ..elbow.clone()
    };
    let e = resolve_k(&cfg, Some(&flat), Some(&gap)).unwrap_err().to_string();
    assert!(e.contains("gap statistic"), "{e}");
    gap.k = Some(2);
    let (k, choice) = resolve_k(&cfg, Some(&elbow), Some(&gap)).unwrap();
    let choice = choice.unwrap();
    assert_eq!(
        (k, choice.gap_k, choice.elbow_k, choice.silhouette_k),
        (2, Some(2), None, Some(3))
    );
    assert!(choice.disagreement().unwrap().contains("best silhouette k = 3"));
}

#[test]
fn k_rule_bic_takes_the_smallest_criterion_and_refuses_k_one() {
    use crate::pipeline::config::KRule;
    let mut cfg = RunConfig::new("x.nc");
    cfg.k = KChoice::Auto;
    cfg.k_rule = KRule::Bic;
    let mut elbow = ElbowSweep {
        ks: vec![1, 2, 3, 4],
        wcss: vec![4.0, 3.0, 2.0, 1.0],
        silhouette: vec![None, Some(0.6), Some(0.5), Some(0.4)],
        knee: Some(2),
        criteria: Some(InformationCriteria {
            bic: vec![10.0, 7.0, 5.0, 5.0],
            aic: vec![9.0, 4.0, 4.5, 6.0],
        }),
    };
    // The smallest BIC, the first of two equal ones; no gap statistic is needed.
    let (k, report) = resolve_k(&cfg, Some(&elbow), None).unwrap();
    assert_eq!(k, 3);
    let report = report.unwrap();
    assert_eq!(
        (report.rule.as_str(), report.bic_k, report.aic_k),
        ("bic", Some(3), Some(2))
    );
    assert_eq!(report.gap_k, None);
    cfg.k_rule = KRule::Aic;
    assert_eq!(resolve_k(&cfg, Some(&elbow), None).unwrap().0, 2);
    // The smallest criterion at k = 1: no cluster structure, an error naming --k.
    elbow.criteria = Some(InformationCriteria {
        bic: vec![1.0, 2.0, 3.0, 4.0],
        aic: vec![1.0, 2.0, 3.0, 4.0],
    });
    let err = resolve_k(&cfg, Some(&elbow), None).unwrap_err().to_string();
    assert!(err.contains("--k") && err.contains("k = 1"), "{err}");
    // Without the sweep of criteria the rule cannot choose.
    elbow.criteria = None;
    let err = resolve_k(&cfg, Some(&elbow), None).unwrap_err().to_string();
    assert!(err.contains("--k-rule"), "{err}");
}

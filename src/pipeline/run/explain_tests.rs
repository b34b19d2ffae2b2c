use super::*;
use crate::dataset::{CellTable, Grid, GridDataset, GridVariable, Selection, TableRequest};
use crate::features::{Standardizer, correlation};
use crate::pipeline::run::analysis::compare_truth_named;

/// A 1 x 6 land grid (equal-area cells along the equator) with variables `A`, `B` and a truth
/// `T` named by its file.
fn prepared() -> Prepared {
    let var = |name: &str, values: Vec<f64>| GridVariable {
        name: name.into(),
        units: None,
        long_name: None,
        values,
    };
    let dataset = GridDataset {
        path: "mem".into(),
        grid: Grid::regular(1, 6, 0.0, 0.0, 1.0),
        variables: vec![
            var("LandPercentage", vec![100.0; 6]),
            var("A", vec![0.0, 0.0, 0.0, 10.0, 10.0, 10.0]),
            var("B", vec![1.0, 2.0, 3.0, 1.0, 2.0, 3.5]),
            var("T", vec![7.0, 7.0, 8.0, 9.0, 9.0, 9.0]),
        ],
    };
    let names = ["A".to_string(), "B".to_string()];
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
        input_stack: Vec::new(),
        weights: None,
        truth_classes: [("T".to_string(), vec![(7, "dry".to_string()), (9, "wet".to_string())])].into(),
    }
}

#[test]
fn a_cluster_is_its_dominant_class_and_the_variables_that_set_it_apart() {
    let p = prepared();
    let labels = [0, 0, 0, 1, 1, 1];
    let t = compare_truth_named(&p, "T", &labels, None).unwrap();
    // Class 8 has no name in the file: it keeps its value.
    assert_eq!(t.class_names, vec!["dry", "8", "wet"]);
    let profiles = profiles(&p, &labels, 2, std::slice::from_ref(&t));
    let c0 = &profiles[0];
    assert_eq!(c0.cells, 3);
    assert_eq!(c0.centre, vec![0.0, 2.0]);
    // A: mean 5, population std 5 -> cluster 0 sits at z = -1.
    assert!((c0.z_centre[0] + 1.0).abs() < 1e-12);
    assert_eq!(c0.distinguishing[0].variable, "A");
    assert_eq!(c0.distinguishing[0].word(), "low");
    let d = c0.dominant[0].as_ref().unwrap();
    assert_eq!((d.value, d.class.as_str()), (7, "dry"));
    // Equal cells on the equator: two thirds of the area.
    assert!((d.share - 2.0 / 3.0).abs() < 1e-6, "{}", d.share);
    assert_eq!(c0.proposed, "T dry 67 %, A low, B low");
    assert_eq!(profiles[1].proposed, "T wet 100 %, A high, B high");
    assert!((c0.area_share - 0.5).abs() < 1e-6);
}

#[test]
fn the_users_names_win_and_a_name_beyond_k_is_refused() {
    let p = prepared();
    let labels = [0, 0, 0, 1, 1, 1];
    let profiles = profiles(&p, &labels, 2, &[]);
    let mut cfg = RunConfig::new("x.nc");
    cfg.names.names.insert(1, "wetland".into());
    assert_eq!(cluster_names(&cfg, &profiles).unwrap(), vec!["A low, B low", "wetland"]);
    cfg.names.names.insert(2, "nowhere".into());
    let e = cluster_names(&cfg, &profiles).unwrap_err().to_string();
    assert!(e.contains("cluster 2") && e.contains("k = 2"), "{e}");
}

#[test]
fn given_class_names_win_over_the_files() {
    let p = prepared();
    let given = [(7, "arid".to_string())].into();
    let t = compare_truth_named(&p, "T", &[0, 0, 0, 1, 1, 1], Some(&given)).unwrap();
    assert_eq!(t.class_names, vec!["arid", "8", "wet"]);
}

use super::*;
use ndarray::{Array1, Array2};

fn blobs() -> (Array2<f64>, Vec<usize>) {
    let x = Array2::from_shape_fn((60, 3), |(i, j)| {
        let c = (i % 3) as f64;
        c * 4.0 + ((i * 7 + j * 13) % 11) as f64 * 0.3 - j as f64
    });
    let labels = (0..60).map(|i| i % 3).collect();
    (x, labels)
}

fn uneven(n: usize) -> Array1<f64> {
    Array1::from_shape_fn(n, |i| 1.0 + (i % 4) as f64)
}

#[test]
fn equal_weights_give_the_unweighted_scores() {
    let (x, labels) = blobs();
    let ones = Array1::from_elem(x.nrows(), 1.0);
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
    assert!(close(
        silhouette_weighted(x.view(), &labels, ones.view()).unwrap(),
        crate::metrics::silhouette(x.view(), &labels).unwrap()
    ));
    assert!(close(
        davies_bouldin_weighted(x.view(), &labels, ones.view()).unwrap(),
        crate::metrics::davies_bouldin(x.view(), &labels).unwrap()
    ));
    assert!(close(
        calinski_harabasz_weighted(x.view(), &labels, ones.view()).unwrap(),
        crate::metrics::calinski_harabasz(x.view(), &labels).unwrap()
    ));
}

/// Integer weights are repeated rows for the centroid-based indices.
#[test]
fn integer_weights_are_repeated_rows_for_db_and_ch() {
    let (x, labels) = blobs();
    let w = uneven(x.nrows());
    let mut rows = Vec::new();
    let mut rep_labels = Vec::new();
    for i in 0..x.nrows() {
        for _ in 0..w[i] as usize {
            rows.extend(x.row(i).iter().copied());
            rep_labels.push(labels[i]);
        }
    }
    let rep = Array2::from_shape_vec((rep_labels.len(), 3), rows).unwrap();
    let db = davies_bouldin_weighted(x.view(), &labels, w.view()).unwrap();
    let ch = calinski_harabasz_weighted(x.view(), &labels, w.view()).unwrap();
    assert!((db - crate::metrics::davies_bouldin(rep.view(), &rep_labels).unwrap()).abs() < 1e-12);
    let ch_rep = crate::metrics::calinski_harabasz(rep.view(), &rep_labels).unwrap();
    assert!((ch - ch_rep).abs() < 1e-9 * ch_rep, "{ch} vs {ch_rep}");
    // And the weights matter: not the unweighted values.
    assert!((db - crate::metrics::davies_bouldin(x.view(), &labels).unwrap()).abs() > 1e-6);
}

#[test]
fn the_subsample_of_all_rows_is_the_exact_score() {
    let (x, labels) = blobs();
    let w = uneven(x.nrows());
    let exact = silhouette_weighted(x.view(), &labels, w.view()).unwrap();
    let all = silhouette_weighted_subsample(x.view(), &labels, w.view(), 1000, 7).unwrap();
    assert_eq!(exact, all);
    let some = silhouette_weighted_subsample(x.view(), &labels, w.view(), 40, 7).unwrap();
    assert!((some - exact).abs() < 0.2, "{some} vs {exact}");
}

#[test]
fn bad_weights_are_refused() {
    let (x, labels) = blobs();
    let mut w = uneven(x.nrows());
    w[5] = 0.0;
    let e = silhouette_weighted(x.view(), &labels, w.view()).unwrap_err();
    assert!(e.to_string().contains("row 5"), "{e}");
    let short = Array1::from_elem(3, 1.0);
    assert!(davies_bouldin_weighted(x.view(), &labels, short.view()).is_err());
}

use super::*;
use ndarray::Array2;

/// A 6 x 8 grid whose values repeat in two far columns: unconstrained Ward would put the two
/// stripes together, contiguous Ward cannot.
fn striped() -> (Vec<(usize, usize)>, Array2<f64>) {
    let positions: Vec<(usize, usize)> = (0..6).flat_map(|r| (0..8).map(move |c| (r, c))).collect();
    let x = Array2::from_shape_fn((positions.len(), 1), |(i, _)| {
        let (r, c) = positions[i];
        let stripe = if c == 1 || c == 6 { 100.0 } else { 0.0 };
        stripe + 0.01 * (r * 8 + c) as f64
    });
    (positions, x)
}

#[test]
fn needs_the_rows_adjacency() {
    let (_, x) = striped();
    let method = ContiguousWardMethod::new(Neighbourhood::Four);
    let err = method.fit(x.view(), 3, 0).expect_err("no adjacency");
    assert!(err.to_string().contains("--contiguous"), "{err}");
}

#[test]
fn regions_do_not_join_separate_stripes_and_cuts_agree() {
    let (positions, x) = striped();
    let mut method = ContiguousWardMethod::new(Neighbourhood::Four);
    method.adjacency = Some(Arc::new(
        Adjacency::grid(&positions, 8, Neighbourhood::Four, false).expect("grid"),
    ));
    let fit = method.fit(x.view(), 5, 0).expect("fit");
    let stripe_a: Vec<usize> = (0..positions.len()).filter(|&i| positions[i].1 == 1).collect();
    let stripe_b: Vec<usize> = (0..positions.len()).filter(|&i| positions[i].1 == 6).collect();
    assert!(stripe_a.iter().all(|&i| fit.labels[i] == fit.labels[stripe_a[0]]));
    assert!(stripe_b.iter().all(|&i| fit.labels[i] == fit.labels[stripe_b[0]]));
    assert_ne!(fit.labels[stripe_a[0]], fit.labels[stripe_b[0]]);
    assert_eq!(fit.diagnostic("components"), Some(1.0));
    assert!(fit.scale_note.is_none());
    let each = method.fit_each_k(x.view(), &[2, 5], 0).expect("each");
    assert_eq!(each[1].labels, fit.labels);
    // With the dateline wrapping, the columns 0 and 7 touch: still a single piece.
    method.adjacency = Some(Arc::new(
        Adjacency::grid(&positions, 8, Neighbourhood::Eight, true).expect("grid"),
    ));
    assert_eq!(
        method.fit(x.view(), 2, 0).expect("fit").diagnostic("components"),
        Some(1.0)
    );
}

#[test]
fn islands_are_said_in_the_note() {
    let positions = [(0, 0), (0, 1), (0, 3), (0, 4)];
    let x = ndarray::array![[0.0], [1.0], [5.0], [6.0]];
    let mut method = ContiguousWardMethod::new(Neighbourhood::Four);
    method.adjacency = Some(Arc::new(
        Adjacency::grid(&positions, 5, Neighbourhood::Four, false).expect("grid"),
    ));
    method.join = ComponentJoin::NearestPoints;
    let fit = method.fit(x.view(), 2, 0).expect("fit");
    assert_eq!(fit.diagnostic("components"), Some(2.0));
    let note = fit.scale_note.expect("note");
    assert!(
        note.contains("2 separate pieces") && note.contains("as scikit-learn does"),
        "{note}"
    );
    method.join = ComponentJoin::Centroids;
    let fit = method.fit(x.view(), 2, 0).expect("fit");
    assert_eq!(fit.diagnostic("unconstrained_merges"), Some(1.0));
    assert!(
        fit.scale_note
            .expect("note")
            .contains("unconstrained Ward on their centroids")
    );
}

use super::*;

fn fixture() -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/agreement.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn labels(v: &serde_json::Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as usize)
        .collect()
}

fn close(what: &str, got: f64, want: &serde_json::Value) {
    let want = want.as_f64().unwrap();
    assert!(
        (got - want).abs() <= 1e-12,
        "{what}: {got} vs scikit-learn/scipy {want}"
    );
}

fn check(case: &str, got: &Agreement, want: &serde_json::Value) {
    close(&format!("{case} homogeneity"), got.homogeneity, &want["homogeneity"]);
    close(&format!("{case} completeness"), got.completeness, &want["completeness"]);
    close(&format!("{case} v_measure"), got.v_measure, &want["v_measure"]);
    close(&format!("{case} cramers_v"), got.cramers_v, &want["cramers_v"]);
    close(
        &format!("{case} overall_accuracy"),
        got.overall_accuracy,
        &want["overall_accuracy"],
    );
    close(&format!("{case} kappa"), got.kappa, &want["kappa"]);
    assert_eq!(
        got.majority_class,
        labels(&want["majority_class"]),
        "{case} majority classes"
    );
}

#[test]
fn equals_scikit_learn_and_scipy_unweighted_and_weighted() {
    let f = fixture();
    let cases = f["cases"].as_array().unwrap();
    assert!(cases.len() >= 5);
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let (classes, clusters) = (labels(&c["classes"]), labels(&c["clusters"]));
        let weights: Vec<f64> = labels(&c["weights"]).iter().map(|&w| w as f64).collect();
        check(name, &agreement(&classes, &clusters, None).unwrap(), &c["unweighted"]);
        let weighted = agreement(&classes, &clusters, Some(&weights)).unwrap();
        check(&format!("{name} (weighted)"), &weighted, &c["weighted"]);
        close(
            &format!("{name} accuracy with sample_weight"),
            weighted.overall_accuracy,
            &c["weighted"]["accuracy_sample_weight"],
        );
        close(
            &format!("{name} kappa with sample_weight"),
            weighted.kappa,
            &c["weighted"]["kappa_sample_weight"],
        );
    }
}

#[test]
fn equal_weights_give_the_unweighted_measures_bit_for_bit() {
    let f = fixture();
    let c = &f["cases"][0];
    let (classes, clusters) = (labels(&c["classes"]), labels(&c["clusters"]));
    let ones = vec![1.0; classes.len()];
    assert_eq!(
        agreement(&classes, &clusters, Some(&ones)).unwrap(),
        agreement(&classes, &clusters, None).unwrap()
    );
}

#[test]
fn identical_partitions_agree_perfectly_whatever_their_numbers() {
    let classes = [4, 4, 7, 7, 9, 9, 9];
    let clusters = [2, 2, 0, 0, 1, 1, 1];
    let a = agreement(&classes, &clusters, None).unwrap();
    for v in [
        a.homogeneity,
        a.completeness,
        a.v_measure,
        a.cramers_v,
        a.overall_accuracy,
        a.kappa,
    ] {
        assert!((v - 1.0).abs() < 1e-15, "{a:?}");
    }
    assert_eq!(a.majority_class, vec![1, 2, 0]);
}

#[test]
fn bad_input_is_refused_with_what_is_wrong() {
    assert!(matches!(
        agreement(&[0, 1], &[0], None),
        Err(MetricsError::LengthMismatch { .. })
    ));
    let e = agreement(&[0, 1], &[0, 1], Some(&[1.0, f64::NAN])).unwrap_err();
    assert!(e.to_string().contains("point 1"), "{e}");
    assert!(agreement(&[], &[], None).is_err());
    assert!(agreement(&[0, 1], &[0, 1], Some(&[0.0, 0.0])).is_err());
}

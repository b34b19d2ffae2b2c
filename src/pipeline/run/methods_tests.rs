use super::*;
use crate::cluster::kmeans::KMeansParams;
use crate::cluster::minibatch::MiniBatchKMeansParams;
use ndarray::Array2;

/// 40 points in three loose groups, deterministic.
fn points() -> Array2<f64> {
    Array2::from_shape_fn((40, 2), |(i, j)| {
        let group = (i % 3) as f64 * 4.0;
        group + ((i * 7 + j * 13) % 10) as f64 / 10.0
    })
}

fn config(method: Method) -> RunConfig {
    let mut cfg = RunConfig::new("unused.nc");
    cfg.method = method;
    cfg.n_init = 3;
    cfg
}

#[test]
fn kmeans_of_the_factory_is_the_runs_kmeans() {
    let x = points();
    let cfg = config(Method::Kmeans);
    let fit = clusterer(&cfg).unwrap().fit(x.view(), 3, 11).unwrap();
    let direct = KMeansParams::new(3).n_init(3).seed(11).fit(x.view()).unwrap();
    assert_eq!(fit.labels, direct.labels);
    assert_eq!(fit.diagnostic("inertia"), Some(direct.inertia));
}

#[test]
fn minibatch_kmeans_and_the_scale_switch_come_from_the_settings() {
    let x = points();
    let mut cfg = config(Method::MiniBatchKmeans);
    let method = clusterer(&cfg).unwrap();
    assert_eq!(method.name(), "minibatch-kmeans");
    let fit = method.fit(x.view(), 3, 2).unwrap();
    let direct = MiniBatchKMeansParams::new(3).n_init(3).seed(2).fit(x.view()).unwrap();
    assert_eq!(fit.labels, direct.labels);
    assert!(fit.scale_note.is_none(), "asked for, not switched to");
    cfg.method = Method::Kmeans;
    cfg.scale.minibatch_above = 10;
    let fit = clusterer(&cfg).unwrap().fit(x.view(), 3, 2).unwrap();
    assert_eq!(fit.labels, direct.labels);
    assert!(fit.scale_note.is_some());
}

#[test]
fn ward_of_the_factory_follows_ward_exact_max() {
    let x = points();
    let mut cfg = config(Method::Ward);
    let exact = clusterer(&cfg).unwrap().fit(x.view(), 3, 0).unwrap();
    assert!(exact.scale_note.is_none());
    assert_eq!(exact.tree.map(|t| t.linkage.len()), Some(39));
    cfg.scale.ward_exact_max = 20;
    cfg.scale.ward_micro = 8;
    let micro = clusterer(&cfg).unwrap().fit(x.view(), 3, 0).unwrap();
    assert!(micro.scale_note.is_some_and(|n| n.contains("8 K-Means micro-clusters")));
    assert_eq!(micro.tree.map(|t| t.linkage.len()), Some(7));
}

#[test]
fn bad_deep_options_are_refused_when_the_method_is_built() {
    let mut cfg = config(Method::Idec);
    cfg.deep.latent = 0;
    let err = clusterer(&cfg).err().expect("latent 0 is refused").to_string();
    assert!(err.contains("--method idec"), "{err}");
}

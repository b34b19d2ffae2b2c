use super::*;
use ndarray::array;

#[test]
fn inertia_about_cluster_means() {
    let x = array![[0.0, 0.0], [2.0, 0.0], [10.0, 10.0]];
    let labels = [0, 0, 1];
    let m = cluster_means(x.view(), &labels, 2);
    assert_eq!(m, array![[1.0, 0.0], [10.0, 10.0]]);
    assert_eq!(inertia(x.view(), &labels, &m), 2.0);
}

#[test]
fn centres_file_with_wrong_dimensions_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("centers.json");
    std::fs::write(
        &p,
        r#"{"vars":["NDVI","DHR443"],"mean":[0.1,0.2],"std":[1.0,2.0],"centers_z":[[0.0,1.0],[1.0]]}"#,
    )
    .unwrap();
    let err = CentresFile::read(&p).unwrap_err().to_string();
    assert!(err.contains("centre 1 has 1 coordinates for the 2 variables"), "{err}");
    std::fs::write(
        &p,
        r#"{"vars":["NDVI","DHR443"],"mean":[0.1],"std":[1.0,2.0],"centers_z":[[0.0,1.0],[1.0,0.0]]}"#,
    )
    .unwrap();
    let err = CentresFile::read(&p).unwrap_err().to_string();
    assert!(err.contains("2 variables but 1 means"), "{err}");
}

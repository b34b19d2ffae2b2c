//! `landclust stability` end to end: outputs, same bits on 1 and 2 threads, Ward and PCA, and
//! `landclust plot` on its folder.

mod common;
use common::{bin, demo_file, run_ok as run};

#[test]
fn stability_is_the_same_bits_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let file = demo_file().to_str().unwrap();
    let mut outputs = Vec::new();
    for threads in [1, 2] {
        let out = dir.path().join(format!("st{threads}"));
        let args = [
            "stability",
            file,
            "--k",
            "2..4",
            "--runs",
            "3",
            "--n-init",
            "2",
            "--confidence-k",
            "3",
        ];
        let extra = ["--out", out.to_str().unwrap(), "--no-figures"];
        run(&[&args[..], &extra[..]].concat(), threads);
        let csv = std::fs::read_to_string(out.join("stability.csv")).unwrap();
        let conf = std::fs::read_to_string(out.join("confidence.csv")).unwrap();
        outputs.push((csv, conf));
    }
    assert_eq!(
        outputs[0].0, outputs[1].0,
        "stability.csv differs between 1 and 2 threads"
    );
    assert_eq!(
        outputs[0].1, outputs[1].1,
        "confidence.csv differs between 1 and 2 threads"
    );
    let csv = &outputs[0].0;
    assert!(csv.starts_with("k,kind,runs,ari_mean,ari_std,ari_min\n"), "{csv}");
    assert_eq!(csv.lines().count(), 1 + 3 * 2);
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        assert!(f[1] == "seeds" || f[1] == "subsamples");
        assert_eq!(f[2], "3");
        let (mean, std, min): (f64, f64, f64) = (f[3].parse().unwrap(), f[4].parse().unwrap(), f[5].parse().unwrap());
        assert!(mean <= 1.0 && min <= mean && std >= 0.0, "{line}");
    }
    let conf = &outputs[0].1;
    assert!(conf.starts_with("row,col,lat,lon,cluster,confidence\n"));
    let values: Vec<f64> = conf
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().parse().unwrap())
        .collect();
    assert!(values.iter().all(|v| (0.0..=1.0).contains(v)));
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("st1/metrics.json")).unwrap()).unwrap();
    assert_eq!(m["command"], "stability");
    assert_eq!(m["confidence_k"], 3);
}

#[test]
fn stability_runs_ward_in_pca_space_with_figures_and_plot_redraws_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ward");
    let o = run(
        &[
            "stability",
            demo_file().to_str().unwrap(),
            "--method",
            "ward",
            "--reduce",
            "pca:3",
            "--k",
            "2..3",
            "--runs",
            "2",
            "--subsample",
            "0.5",
            "--out",
            out.to_str().unwrap(),
        ],
        2,
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("Ward is deterministic"), "{stdout}");
    for f in [
        "stability.csv",
        "stability.png",
        "confidence.csv",
        "confidence.png",
        "report.html",
        "metrics.json",
    ] {
        assert!(out.join(f).exists(), "{f} missing");
    }
    let csv = std::fs::read_to_string(out.join("stability.csv")).unwrap();
    assert!(csv.contains("2,seeds,2,1,0,1"), "Ward seed runs are identical: {csv}");
    std::fs::remove_file(out.join("stability.png")).unwrap();
    let o = bin().args(["plot", out.to_str().unwrap()]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.join("stability.png").exists());
}

/// confidence.nc: the confidence as a CF variable on the grid (units 1, valid_range 0..1,
/// _FillValue), the reference run's cluster, labels.nc's global attributes; every cell of
/// confidence.csv reads back the same from it.
#[test]
fn confidence_nc_reads_back_as_confidence_csv() {
    use netcdf_reader::{NcAttrValue, NcFile};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("st");
    run(
        &[
            "stability",
            demo_file().to_str().unwrap(),
            "--k",
            "2..3",
            "--runs",
            "2",
            "--n-init",
            "1",
            "--no-figures",
            "--out",
            out.to_str().unwrap(),
        ],
        2,
    );
    let f = NcFile::open(out.join("confidence.nc")).unwrap();
    let read = |name: &str| -> Vec<f64> { f.read_variable_as_f64(name).unwrap().iter().copied().collect() };
    let attr = |var: &str, name: &str| f.variable(var).unwrap().attribute(name).unwrap().value.clone();
    let (lat, lon) = (read("lat"), read("lon"));
    assert_eq!((lat.len(), lon.len()), (180, 360), "the demo's whole grid");
    let (confidence, cluster) = (read("confidence"), read("cluster"));
    assert_eq!(
        f.variable("confidence").unwrap().dtype(),
        &netcdf_reader::NcType::Double
    );
    assert_eq!(attr("confidence", "units").as_string().as_deref(), Some("1"));
    assert_eq!(attr("confidence", "valid_range"), NcAttrValue::Doubles(vec![0.0, 1.0]));
    assert_eq!(attr("confidence", "_FillValue"), NcAttrValue::Doubles(vec![-9999.0]));
    assert!(
        attr("confidence", "long_name")
            .as_string()
            .unwrap()
            .contains("confidence")
    );
    assert_eq!(attr("confidence", "grid_mapping").as_string().as_deref(), Some("crs"));
    let globals = f.global_attributes().unwrap();
    let global = |name: &str| {
        globals
            .iter()
            .find(|a| a.name == name)
            .and_then(|a| a.value.as_string())
            .unwrap_or_else(|| panic!("no global {name}"))
    };
    assert_eq!(global("Conventions"), "CF-1.8");
    assert_eq!(global("landclust_method"), "kmeans");
    assert_eq!(global("landclust_confidence_source"), "consensus");
    let m = common::metrics(&out);
    assert_eq!(global("landclust_k"), m["confidence_k"].to_string());
    let csv = std::fs::read_to_string(out.join("confidence.csv")).unwrap();
    let mut cells = 0;
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (row, col): (usize, usize) = (f[0].parse().unwrap(), f[1].parse().unwrap());
        assert_eq!((lat[row], lon[col]), (f[2].parse().unwrap(), f[3].parse().unwrap()));
        let i = row * 360 + col;
        assert_eq!(cluster[i], f[4].parse::<f64>().unwrap(), "cluster at {row},{col}");
        let expected = if f[5].is_empty() {
            -9999.0
        } else {
            f[5].parse().unwrap()
        };
        assert_eq!(confidence[i], expected, "confidence at {row},{col}");
        cells += 1;
    }
    assert_eq!(cells, m["n_points"].as_u64().unwrap() as usize);
    // Cells outside the selection are fill values in both layers.
    let filled = confidence.iter().filter(|&&v| v == -9999.0).count();
    assert!(filled >= 180 * 360 - cells);
    assert_eq!(cluster.iter().filter(|&&v| v == -1.0).count(), 180 * 360 - cells);
}

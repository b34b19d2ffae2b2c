//! The MNIST check of the VAE (study 3.3.1): the IDX reader on hand-made files and bad
//! headers, the library result's wiring (ARI, chosen point), and a small `vae-mnist` CLI run.

use landclust::metrics::adjusted_rand_index;
use landclust::pipeline::mnist::{
    MnistData, embedded_mnist, parse_idx_images, parse_idx_labels, read_idx_images, vae_mnist,
};
use landclust::reduce::vae::VaeParams;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

/// An IDX file: big-endian magic, one big-endian u32 per dimension, then the bytes.
fn idx(magic: u32, dims: &[u32], data: &[u8]) -> Vec<u8> {
    let mut out = magic.to_be_bytes().to_vec();
    for d in dims {
        out.extend(d.to_be_bytes());
    }
    out.extend(data);
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn src() -> &'static Path {
    Path::new("test.idx")
}

#[test]
fn idx_images_are_read_row_major_plain_and_gzipped() {
    let pixels: Vec<u8> = (0..12).collect();
    let raw = idx(0x0803, &[2, 2, 3], &pixels);
    for bytes in [raw.clone(), gzip(&raw)] {
        let img = parse_idx_images(src(), bytes).unwrap();
        assert_eq!((img.n, img.rows, img.cols), (2, 2, 3));
        assert_eq!(img.pixels, pixels);
        let m = img.to_unit_matrix();
        assert_eq!(m.dim(), (2, 6));
        assert_eq!(m[[1, 0]], 6.0 / 255.0);
        assert_eq!(m[[1, 5]], 11.0 / 255.0);
    }
    let labels = parse_idx_labels(src(), gzip(&idx(0x0801, &[3], &[7, 0, 9]))).unwrap();
    assert_eq!(labels, vec![7, 0, 9]);
}

#[test]
fn bad_idx_headers_are_clear_errors() {
    let err = |r: Result<_, landclust::pipeline::mnist::MnistError>| {
        r.map(|_: landclust::pipeline::mnist::IdxImages| ())
            .unwrap_err()
            .to_string()
    };
    let wrong_magic = err(parse_idx_images(src(), idx(0x0801, &[1, 1, 1], &[0])));
    assert!(
        wrong_magic.contains("test.idx") && wrong_magic.contains("magic"),
        "{wrong_magic}"
    );
    let short = err(parse_idx_images(src(), vec![0, 0]));
    assert!(short.contains("too short"), "{short}");
    let truncated = err(parse_idx_images(src(), idx(0x0803, &[1, 2], &[])));
    assert!(truncated.contains("truncated"), "{truncated}");
    let missing = err(parse_idx_images(src(), idx(0x0803, &[2, 2, 2], &[0; 7])));
    assert!(
        missing.contains("need 8 bytes") && missing.contains("has 7"),
        "{missing}"
    );
    let huge = err(parse_idx_images(src(), idx(0x0803, &[u32::MAX, u32::MAX, 28], &[])));
    assert!(huge.contains("too large"), "{huge}");
    let zero = err(parse_idx_images(src(), idx(0x0803, &[0, 28, 28], &[])));
    assert!(zero.contains("zero"), "{zero}");
    let bad_gzip = err(parse_idx_images(src(), vec![0x1f, 0x8b, 1, 2, 3]));
    assert!(bad_gzip.contains("gzip"), "{bad_gzip}");
    let absent = read_idx_images(Path::new("/nonexistent/images.idx"))
        .unwrap_err()
        .to_string();
    assert!(absent.contains("/nonexistent/images.idx"), "{absent}");
}

#[test]
fn labels_must_match_images_and_be_digits() {
    let images = parse_idx_images(src(), idx(0x0803, &[2, 1, 1], &[0, 255])).unwrap();
    let count = MnistData::new(images.clone(), vec![1], src()).unwrap_err().to_string();
    assert!(count.contains("1 labels for 2 images"), "{count}");
    let digit = MnistData::new(images.clone(), vec![1, 10], src())
        .unwrap_err()
        .to_string();
    assert!(digit.contains("label 10 at item 1"), "{digit}");
    let data = MnistData::new(images, vec![3, 4], src()).unwrap().head(1);
    assert_eq!(
        (data.len(), data.labels.as_slice(), data.images.pixels.as_slice()),
        (1, &[3u8][..], &[0u8][..])
    );
}

#[test]
fn embedded_digits_equal_the_asset_files() {
    let embedded = embedded_mnist().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = MnistData::load(
        &root.join(landclust::pipeline::mnist::IMAGES_PATH),
        &root.join(landclust::pipeline::mnist::LABELS_PATH),
    )
    .unwrap();
    assert_eq!(embedded, files);
    assert_eq!(
        (embedded.len(), embedded.images.rows, embedded.images.cols),
        (10_000, 28, 28)
    );
    // Every digit is present, roughly 1,000 times each (the MNIST test set).
    for d in 0..10u8 {
        let n = embedded.labels.iter().filter(|&&l| l == d).count();
        assert!((800..1200).contains(&n), "digit {d}: {n}");
    }
}

#[test]
fn vae_mnist_scores_and_decodes_its_own_latent() {
    let data = embedded_mnist().unwrap().head(300);
    let params = VaeParams::new(2).hidden(32).epochs(2).batch_size(32).seed(3);
    let r = vae_mnist(&data, &params, None).unwrap();
    assert_eq!(r.latent.dim(), (300, 2));
    assert_eq!(r.pca2.dim(), (300, 2));
    assert_eq!(r.decoded_image.dim(), (28, 28));
    let digits: Vec<usize> = data.labels.iter().map(|&l| l as usize).collect();
    assert_eq!(
        r.ari_kmeans_latent,
        adjusted_rand_index(&digits, &r.kmeans_latent).unwrap()
    );
    assert_eq!(r.ari_kmeans_pca, adjusted_rand_index(&digits, &r.kmeans_pca).unwrap());
    assert_eq!(r.kmeans_latent.iter().max(), Some(&9));
    // The chosen point is the midpoint of the latent centroids of the 5s and the 9s.
    let centroid = |d: u8| {
        let rows: Vec<_> = (0..300).filter(|&i| data.labels[i] == d).collect();
        let mean = |c: usize| rows.iter().map(|&i| r.latent[[i, c]]).sum::<f64>() / rows.len() as f64;
        [mean(0), mean(1)]
    };
    let (c5, c9) = (centroid(5), centroid(9));
    for c in 0..2 {
        assert!((r.chosen_point[c] - (c5[c] + c9[c]) / 2.0).abs() < 1e-12);
    }
    assert_eq!(r.history.epochs.len(), 2);
    assert!(r.r2_vae.is_finite() && r.r2_vae <= 1.0);
    // PCA R2 of 2 components on pixels is well inside (0, 1).
    assert!(r.r2_pca > 0.2 && r.r2_pca < 0.8, "{}", r.r2_pca);
    let bad = vae_mnist(&data, &params.clone().latent(3), None)
        .unwrap_err()
        .to_string();
    assert!(bad.contains("latent = 2"), "{bad}");
}

fn landclust(args: &[&str], threads: usize) -> Output {
    Command::new(env!("CARGO_BIN_EXE_landclust"))
        .env("RAYON_NUM_THREADS", threads.to_string())
        .args(args)
        .output()
        .unwrap()
}

fn summary(dir: &Path) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("mnist.json")).unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("seconds");
    v
}

#[test]
fn vae_mnist_command_writes_figures_report_and_is_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let out = |n: usize| tmp.path().join(format!("m{n}"));
    let args = |dir: &Path| -> Vec<String> {
        [
            "vae-mnist",
            "--limit",
            "500",
            "--epochs",
            "3",
            "--out",
            dir.to_str().unwrap(),
        ]
        .map(String::from)
        .to_vec()
    };
    for (n, threads) in [(1, 1), (2, 2)] {
        let a = args(&out(n));
        let o = landclust(&a.iter().map(String::as_str).collect::<Vec<_>>(), threads);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(stdout.contains("ARI") && stdout.contains("report.html"), "{stdout}");
    }
    let dir = out(1);
    for f in [
        "mnist_latent.png",
        "mnist_pca.png",
        "mnist_decoded.png",
        "mnist_training.png",
        "training.csv",
        "report.html",
    ] {
        assert!(dir.join(f).is_file(), "missing {f}");
    }
    let s = summary(&dir);
    assert_eq!(s["n"], 500);
    assert_eq!(s["epochs"], 3);
    for key in ["ari_kmeans_latent", "ari_kmeans_pca"] {
        let ari = s[key].as_f64().unwrap();
        assert!((-1.0..=1.0).contains(&ari), "{key} = {ari}");
    }
    assert!(s["r2_vae"].as_f64().unwrap() <= 1.0);
    assert_eq!(s["chosen_point"].as_array().unwrap().len(), 2);
    let csv = std::fs::read_to_string(dir.join("training.csv")).unwrap();
    assert_eq!(csv.lines().count(), 4, "{csv}");
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("The VAE on MNIST digits"));
    assert!(html.matches("data:image/").count() >= 3);
    assert_eq!(s, summary(&out(2)), "same seed, other thread count");
}

#[test]
fn vae_mnist_reads_idx_files_and_rejects_bad_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let images = root.join(landclust::pipeline::mnist::IMAGES_PATH);
    let labels = root.join(landclust::pipeline::mnist::LABELS_PATH);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("files");
    let ok = landclust(
        &[
            "-q",
            "vae-mnist",
            "--images",
            images.to_str().unwrap(),
            "--labels",
            labels.to_str().unwrap(),
            "--limit",
            "200",
            "--epochs",
            "1",
            "--out",
            dir.to_str().unwrap(),
        ],
        2,
    );
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(
        summary(&dir)["images"]
            .as_str()
            .unwrap()
            .ends_with("mnist10k-images-idx3-ubyte.gz")
    );
    let bad = tmp.path().join("bad.idx");
    std::fs::write(&bad, idx(0x0801, &[1], &[0])).unwrap();
    let failed_dir = tmp.path().join("failed");
    let o = landclust(
        &[
            "vae-mnist",
            "--images",
            bad.to_str().unwrap(),
            "--labels",
            labels.to_str().unwrap(),
            "--out",
            failed_dir.to_str().unwrap(),
        ],
        2,
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("bad.idx") && stderr.contains("magic"), "{stderr}");
    assert!(!failed_dir.exists(), "a failed run leaves no folder");
}

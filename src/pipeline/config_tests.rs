use super::*;

#[test]
fn parses_options() {
    assert_eq!("pca:3".parse::<Reduce>().unwrap(), Reduce::Pca(3));
    assert_eq!("vae:1".parse::<Reduce>().unwrap(), Reduce::Vae(1));
    assert!("pca:0".parse::<Reduce>().is_err());
    assert!("tsne:2".parse::<Reduce>().is_err());
    assert_eq!("tt:4,3".parse::<Reduce>().unwrap(), Reduce::Tt(4, 3));
    assert_eq!("tt: 4, 3".parse::<Reduce>().unwrap().to_string(), "tt:4,3");
    for bad in ["tt:4", "tt:0,3", "tt:4,0", "tt:4,3,2", "tt:", "tt:x,y"] {
        assert!(bad.parse::<Reduce>().is_err(), "{bad}");
    }
    assert_eq!("auto".parse::<KChoice>().unwrap(), KChoice::Auto);
    let e = "0".parse::<KChoice>().unwrap_err().to_string();
    assert!(e.contains("--k") && e.contains("k = 0"), "{e}");
    assert_eq!("ward".parse::<Method>().unwrap(), Method::Ward);
}

#[test]
fn config_file_applies_and_rejects_unknown_keys() {
    let file: ConfigFile = toml::from_str("k = 7\nreduce = \"pca:3\"\nvars = [\"NDVI\"]\nbatch-size = 128").unwrap();
    let mut cfg = RunConfig::new("x.nc");
    file.apply(&mut cfg).unwrap();
    assert_eq!(cfg.k, KChoice::Fixed(7));
    assert_eq!(cfg.reduce, Reduce::Pca(3));
    assert_eq!(cfg.vars, vec!["NDVI"]);
    assert_eq!(cfg.vae.batch_size, 128);
    assert!(toml::from_str::<ConfigFile>("kk = 7").is_err());
}

#[test]
fn names_are_canonical_once_parsed() {
    let file: ConfigFile =
        toml::from_str("vars = [\" NDVI\", \"AOD565[ 3 ]\", \"AOD865 : mean\"]\ntruth = \" SurfaceClass \"").unwrap();
    let mut cfg = RunConfig::new("x.nc");
    file.apply(&mut cfg).unwrap();
    assert_eq!(cfg.vars, vec!["NDVI", "AOD565[3]", "AOD865:mean"]);
    assert_eq!(cfg.truth.as_deref(), Some("SurfaceClass"));
    let bad: ConfigFile = toml::from_str("vars = [\"NDVI[x]\"]").unwrap();
    assert!(bad.apply(&mut cfg).unwrap_err().to_string().contains("NDVI[x]"));
}

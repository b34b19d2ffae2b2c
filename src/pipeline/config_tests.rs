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
    assert_eq!("gmm".parse::<Method>().unwrap(), Method::Gmm);
    assert_eq!(Method::Gmm.to_string(), "gmm");
    assert_eq!("bic".parse::<KRule>().unwrap(), KRule::Bic);
    assert_eq!(" aic ".parse::<KRule>().unwrap().to_string(), "aic");
    assert_eq!(
        "bic2".parse::<KRule>().unwrap_err().to_string(),
        "option --k-rule: 'bic2': expected gap, bic or aic"
    );
    assert_eq!("diag".parse::<GmmCovariance>().unwrap(), GmmCovariance::Diag);
    assert!("spherical".parse::<GmmCovariance>().is_err());
}

#[test]
fn region_is_parsed_once_and_recorded_as_given() {
    let r: Region = " 170,-170,-20,0 ".parse().unwrap();
    assert_eq!(r.to_string(), "170,-170,-20,0");
    assert_eq!((r.bbox().lon_min, r.bbox().lon_max), (170.0, -170.0));
    let africa: Region = "africa".parse().unwrap();
    assert!(africa.bbox().lat_min < 0.0 && africa.bbox().lat_max > 0.0);
    for bad in ["1,2,3", "10,20,95,0", "atlantis"] {
        let e = bad.parse::<Region>().unwrap_err().to_string();
        assert!(e.starts_with("option --region: "), "{bad}: {e}");
    }
    // Serialized as the text (metrics.json), read back to the same box.
    let json = serde_json::to_string(&africa).unwrap();
    assert_eq!(json, "\"africa\"");
    assert_eq!(serde_json::from_str::<Region>(&json).unwrap(), africa);
}

#[test]
fn memory_limit_is_bytes() {
    assert_eq!("4GB".parse::<MemoryLimit>().unwrap().bytes(), 4_000_000_000);
    assert_eq!("1KiB".parse::<MemoryLimit>().unwrap().bytes(), 1024);
    let e = "12XB".parse::<MemoryLimit>().unwrap_err().to_string();
    assert!(e.starts_with("option --max-memory: '12XB'"), "{e}");
    let limit: MemoryLimit = "512MB".parse().unwrap();
    assert_eq!(serde_json::to_string(&limit).unwrap(), "512000000");
}

#[test]
fn deep_values_keep_their_option_spelling() {
    use crate::cluster::deep::{Architecture, Membership};
    assert_eq!(parse_architecture(" paper ").unwrap(), Architecture::Paper);
    assert_eq!(
        parse_architecture("64, 32").unwrap(),
        Architecture::Custom(vec![64, 32])
    );
    assert!(parse_architecture("64,0").is_err());
    assert!(parse_architecture("wide").is_err());
    assert_eq!(parse_memberships("student-t").unwrap(), Membership::StudentT);
    assert!(parse_memberships("soft").is_err());
    let deep = DeepSettings {
        architecture: Architecture::Custom(vec![64, 32]),
        memberships: Membership::StudentT,
        ..DeepSettings::default()
    };
    let json = serde_json::to_value(&deep).unwrap();
    assert_eq!(json["architecture"], "64,32");
    assert_eq!(json["memberships"], "student-t");
    assert_eq!(serde_json::from_value::<DeepSettings>(json).unwrap(), deep);
}

#[test]
fn run_config_round_trips_through_its_json() {
    let mut cfg = RunConfig::new("x.nc");
    cfg.region = Some("europe".parse().unwrap());
    cfg.max_memory = Some("2GB".parse().unwrap());
    cfg.method = Method::MiniBatchKmeans;
    cfg.k_rule = KRule::Aic;
    let json = serde_json::to_value(&cfg).unwrap();
    assert_eq!(json["region"], "europe");
    assert_eq!(json["max_memory"], 2_000_000_000u64);
    assert_eq!(json["method"], "minibatch-kmeans");
    assert_eq!(json["k"], "6");
    assert_eq!(json["k_rule"], "aic");
    assert_eq!(json["gmm_covariance"], "full");
    assert_eq!(serde_json::from_value::<RunConfig>(json).unwrap(), cfg);
}

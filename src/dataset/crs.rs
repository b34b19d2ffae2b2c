//! Geographic coordinate reference systems: the datum, ellipsoid, prime meridian and angular
//! unit that a grid's latitudes and longitudes are measured in.
//!
//! Coordinates are always held in degrees (files in radians, grads or arc-seconds are converted
//! when read), east of Greenwich (a file's longitudes from another prime meridian are moved when
//! read, `io::grid::set_crs`, and back when written). landclust computes nothing with the
//! ellipsoid: at the grid sizes it clusters, a datum shift (tens to a few hundred metres) is far
//! below a cell. The CRS is carried so that outputs declare the input's system rather than
//! relabelling it WGS 84. Parameters follow the EPSG Geodetic Parameter Dataset; the small
//! tables here hold the systems that land products use (WGS 84, NAD27/NAD83, ETRS89, ED50,
//! WGS 72, the "not specified (based on ellipsoid X)" family GDAL writes for MODIS CMG and
//! other Clarke 1866 grids, and spheres).

use serde::{Deserialize, Serialize};
use std::fmt;

/// An ellipsoid: semi-major axis `a` in metres and inverse flattening `1/f` (0 for a sphere,
/// the EPSG and CF convention).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ellipsoid {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub epsg: Option<u16>,
    pub semi_major_axis: f64,
    pub inverse_flattening: f64,
}

/// A prime meridian: its longitude east of Greenwich in degrees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrimeMeridian {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub epsg: Option<u16>,
    pub longitude: f64,
}

/// A geographic CRS on one datum (see the module notes). Latitudes and longitudes of the grid
/// are in degrees whatever `angular_unit` the file used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeographicCrs {
    pub name: String,
    /// The geographic CRS's EPSG code (4326 for WGS 84), `None` for a user-defined one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub epsg: Option<u16>,
    pub datum: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub datum_epsg: Option<u16>,
    pub ellipsoid: Ellipsoid,
    pub prime_meridian: PrimeMeridian,
    /// The angular unit the file gave coordinates in (they were converted to degrees).
    pub angular_unit: String,
}

/// EPSG ellipsoids: `(code, name, a, 1/f)`.
const ELLIPSOIDS: &[(u16, &str, f64, f64)] = &[
    (7001, "Airy 1830", 6377563.396, 299.3249646),
    (7004, "Bessel 1841", 6377397.155, 299.1528128),
    (7008, "Clarke 1866", 6378206.4, 294.9786982),
    (7012, "Clarke 1880 (RGS)", 6378249.145, 293.465),
    (7019, "GRS 1980", 6378137.0, 298.257222101),
    (7022, "International 1924", 6378388.0, 297.0),
    (7024, "Krassowsky 1940", 6378245.0, 298.3),
    (7030, "WGS 84", 6378137.0, 298.257223563),
    (7035, "Sphere", 6371000.0, 0.0),
    (7043, "WGS 72", 6378135.0, 298.26),
    (7047, "GRS 1980 Authalic Sphere", 6370997.0, 0.0),
    (7048, "GRS 1980 Authalic Sphere", 6371007.0, 0.0),
];

/// EPSG geodetic datums: `(code, name, ellipsoid code)`.
const DATUMS: &[(u16, &str, u16)] = &[
    (6326, "World Geodetic System 1984", 7030),
    (6267, "North American Datum 1927", 7008),
    (6269, "North American Datum 1983", 7019),
    (6258, "European Terrestrial Reference System 1989", 7019),
    (6230, "European Datum 1950", 7022),
    (6277, "Ordnance Survey of Great Britain 1936", 7001),
    (6322, "World Geodetic System 1972", 7043),
    (6284, "Pulkovo 1942", 7024),
    (6674, "Sistema de Referencia Geocentrico para las AmericaS 2000", 7019),
];

/// EPSG geographic CRSs: `(code, name, datum code)`.
const GEOGRAPHIC: &[(u16, &str, u16)] = &[
    (4326, "WGS 84", 6326),
    (4267, "NAD27", 6267),
    (4269, "NAD83", 6269),
    (4258, "ETRS89", 6258),
    (4230, "ED50", 6230),
    (4277, "OSGB36", 6277),
    (4322, "WGS 72", 6322),
    (4284, "Pulkovo 1942", 6284),
    (4674, "SIRGAS 2000", 6674),
];

/// EPSG prime meridians: `(code, name, degrees east of Greenwich)`.
const MERIDIANS: &[(u16, &str, f64)] = &[
    (8901, "Greenwich", 0.0),
    (8902, "Lisbon", -9.0754862),
    (8903, "Paris", 2.33722917),
    (8904, "Bogota", -74.08091667),
    (8905, "Madrid", -3.68793889),
    (8906, "Rome", 12.45233333),
    (8907, "Bern", 7.43958333),
    (8908, "Jakarta", 106.80771944),
    (8909, "Ferro", -17.66666667),
    (8910, "Brussels", 4.36797083),
    (8911, "Stockholm", 18.05827778),
    (8912, "Athens", 23.7163375),
    (8913, "Oslo", 10.72291667),
];

/// EPSG angular units: `(code, name, degrees per unit)`. 9107/9108 (sexagesimal DMS) encode
/// numbers as packed digits, not a scale, and are refused.
const ANGULAR_UNITS: &[(u16, &str, f64)] = &[
    (9101, "radian", 180.0 / std::f64::consts::PI),
    (9102, "degree", 1.0),
    (9103, "arc-minute", 1.0 / 60.0),
    (9104, "arc-second", 1.0 / 3600.0),
    (9105, "grad", 0.9),
    (9106, "gon", 0.9),
    (9109, "microradian", 180.0e-6 / std::f64::consts::PI),
    (9122, "degree", 1.0),
];

/// The `(name, degrees per unit)` of an EPSG angular unit code.
pub fn angular_unit(code: u16) -> Option<(&'static str, f64)> {
    ANGULAR_UNITS.iter().find(|u| u.0 == code).map(|u| (u.1, u.2))
}

impl Ellipsoid {
    /// An EPSG ellipsoid by code.
    pub fn from_epsg(code: u16) -> Option<Ellipsoid> {
        ELLIPSOIDS.iter().find(|e| e.0 == code).map(|e| Ellipsoid {
            name: e.1.to_string(),
            epsg: Some(e.0),
            semi_major_axis: e.2,
            inverse_flattening: e.3,
        })
    }

    /// An ellipsoid given by its parameters, named after the EPSG one it matches (to 1 mm and
    /// 1e-6 in 1/f), "user-defined" otherwise.
    pub fn from_parameters(semi_major_axis: f64, inverse_flattening: f64) -> Ellipsoid {
        let known = ELLIPSOIDS
            .iter()
            .find(|e| (e.2 - semi_major_axis).abs() < 1e-3 && (e.3 - inverse_flattening).abs() < 1e-6);
        Ellipsoid {
            name: known.map_or("user-defined".to_string(), |e| e.1.to_string()),
            epsg: known.map(|e| e.0),
            semi_major_axis,
            inverse_flattening,
        }
    }

    /// The same figure of the Earth (to 1 mm and 1e-6 in 1/f), whatever the names.
    pub fn same_figure(&self, other: &Ellipsoid) -> bool {
        (self.semi_major_axis - other.semi_major_axis).abs() < 1e-3
            && (self.inverse_flattening - other.inverse_flattening).abs() < 1e-6
    }
}

impl PrimeMeridian {
    /// Greenwich (EPSG:8901).
    pub fn greenwich() -> PrimeMeridian {
        PrimeMeridian::from_epsg(8901).unwrap_or(PrimeMeridian {
            name: "Greenwich".into(),
            epsg: Some(8901),
            longitude: 0.0,
        })
    }

    /// An EPSG prime meridian by code.
    pub fn from_epsg(code: u16) -> Option<PrimeMeridian> {
        MERIDIANS.iter().find(|m| m.0 == code).map(|m| PrimeMeridian {
            name: m.1.to_string(),
            epsg: Some(m.0),
            longitude: m.2,
        })
    }

    /// A prime meridian at `longitude` degrees east of Greenwich, named after the EPSG one it
    /// matches (to 1e-6 degree).
    pub fn from_longitude(longitude: f64) -> PrimeMeridian {
        MERIDIANS
            .iter()
            .find(|m| (m.2 - longitude).abs() < 1e-6)
            .and_then(|m| PrimeMeridian::from_epsg(m.0))
            .unwrap_or(PrimeMeridian {
                name: "user-defined".into(),
                epsg: None,
                longitude,
            })
    }
}

impl Default for GeographicCrs {
    fn default() -> Self {
        GeographicCrs::wgs84()
    }
}

impl GeographicCrs {
    /// WGS 84 (EPSG:4326), the default of every grid that declares nothing else.
    pub fn wgs84() -> GeographicCrs {
        GeographicCrs::from_epsg(4326).unwrap_or_else(|| {
            GeographicCrs::on_ellipsoid("WGS 84", Ellipsoid::from_parameters(6378137.0, 298.257223563))
        })
    }

    /// An EPSG geographic CRS by code: the table above, and 4001-4048, GeoTIFF's and EPSG's
    /// "unknown datum based upon ellipsoid 7001-7048" (what GDAL writes for a CRS that is
    /// only an ellipsoid, e.g. MODIS CMG's Clarke 1866 = 4008).
    pub fn from_epsg(code: u16) -> Option<GeographicCrs> {
        if let Some(&(code, name, datum)) = GEOGRAPHIC.iter().find(|g| g.0 == code) {
            let mut crs = GeographicCrs::from_datum(datum)?;
            crs.name = name.to_string();
            crs.epsg = Some(code);
            return Some(crs);
        }
        if (4001..=4048).contains(&code) {
            let mut crs = GeographicCrs::from_datum(code + 2000)?;
            crs.epsg = Some(code);
            return Some(crs);
        }
        None
    }

    /// A user-defined geographic CRS on an EPSG datum (6001-6048: "not specified, based on
    /// ellipsoid 7001-7048").
    pub fn from_datum(datum: u16) -> Option<GeographicCrs> {
        if let Some(&(code, name, ellipsoid)) = DATUMS.iter().find(|d| d.0 == datum) {
            let mut crs = GeographicCrs::on_ellipsoid(name, Ellipsoid::from_epsg(ellipsoid)?);
            crs.datum = name.to_string();
            crs.datum_epsg = Some(code);
            return Some(crs);
        }
        if (6001..=6048).contains(&datum) {
            let ellipsoid = Ellipsoid::from_epsg(datum + 1000)?;
            let name = format!("Unknown datum based upon the {} ellipsoid", ellipsoid.name);
            let mut crs = GeographicCrs::on_ellipsoid(&name, ellipsoid);
            crs.datum = format!("Not specified (based on {} ellipsoid)", crs.ellipsoid.name);
            crs.datum_epsg = Some(datum);
            return Some(crs);
        }
        None
    }

    /// A user-defined geographic CRS with only an ellipsoid: datum unnamed, Greenwich, degrees.
    pub fn on_ellipsoid(name: &str, ellipsoid: Ellipsoid) -> GeographicCrs {
        GeographicCrs {
            name: name.to_string(),
            epsg: None,
            datum: format!("Not specified (based on {} ellipsoid)", ellipsoid.name),
            datum_epsg: None,
            ellipsoid,
            prime_meridian: PrimeMeridian::greenwich(),
            angular_unit: "degree".into(),
        }
    }

    /// True for WGS 84 itself (EPSG:4326 on Greenwich), the system written without a CRS note.
    pub fn is_wgs84(&self) -> bool {
        self.epsg == Some(4326) && self.prime_meridian.longitude == 0.0
    }

    /// The same geodetic datum: both name the same EPSG datum, or (one of them user-defined)
    /// they share the ellipsoid and prime meridian.
    pub fn same_datum(&self, other: &GeographicCrs) -> bool {
        if let (Some(a), Some(b)) = (self.datum_epsg, other.datum_epsg) {
            return a == b;
        }
        self.ellipsoid.same_figure(&other.ellipsoid)
            && (self.prime_meridian.longitude - other.prime_meridian.longitude).abs() < 1e-9
    }

    /// OGC WKT 1 (`GEOGCS[...]`, OGC 01-009 section 7, as GDAL writes it) for CF's `crs_wkt`
    /// and GDAL's `spatial_ref`; coordinates in degrees.
    pub fn to_wkt(&self) -> String {
        let authority = |code: Option<u16>| code.map_or(String::new(), |c| format!(",AUTHORITY[\"EPSG\",\"{c}\"]"));
        let e = &self.ellipsoid;
        let pm = &self.prime_meridian;
        format!(
            "GEOGCS[\"{}\",DATUM[\"{}\",SPHEROID[\"{}\",{},{}{}]{}],PRIMEM[\"{}\",{}{}],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST]{}]",
            wkt_text(&self.name),
            wkt_text(&self.datum),
            wkt_text(&e.name),
            e.semi_major_axis,
            e.inverse_flattening,
            authority(e.epsg),
            authority(self.datum_epsg),
            wkt_text(&pm.name),
            pm.longitude,
            authority(pm.epsg),
            authority(self.epsg),
        )
    }

    /// The CRS of an OGC WKT 1 (`GEOGCS`) or WKT 2 (`GEOGCRS`/`GEODCRS`) text: names, EPSG
    /// identifiers, ellipsoid and prime meridian. `Err` names what is missing or projected.
    pub fn from_wkt(text: &str) -> Result<GeographicCrs, String> {
        let root = wkt::parse(text).ok_or_else(|| "crs_wkt is not well-formed WKT".to_string())?;
        let kind = root.keyword.to_ascii_uppercase();
        if matches!(kind.as_str(), "PROJCS" | "PROJCRS") {
            return Err(format!(
                "projected coordinate system '{}' is not supported yet",
                root.text(0).unwrap_or("?")
            ));
        }
        if !matches!(
            kind.as_str(),
            "GEOGCS" | "GEOGCRS" | "GEODCRS" | "GEOGRAPHICCRS" | "GEODETICCRS"
        ) {
            return Err(format!(
                "crs_wkt {} is not a geographic coordinate system",
                root.keyword
            ));
        }
        let datum = root
            .child(&["DATUM", "GEODETICDATUM", "TRF"])
            .ok_or_else(|| "crs_wkt has no DATUM".to_string())?;
        let sph = datum
            .child(&["SPHEROID", "ELLIPSOID"])
            .ok_or_else(|| "crs_wkt has no SPHEROID/ELLIPSOID".to_string())?;
        let (Some(a), Some(rf)) = (sph.number(1), sph.number(2)) else {
            return Err("crs_wkt's ellipsoid lacks its semi-major axis or inverse flattening".into());
        };
        let mut ellipsoid = Ellipsoid::from_parameters(a, rf);
        if let Some(name) = sph.text(0) {
            ellipsoid.name = name.to_string();
        }
        ellipsoid.epsg = sph.epsg().or(ellipsoid.epsg);
        let prime_meridian = match root.child(&["PRIMEM", "PRIMEMERIDIAN"]) {
            Some(p) => {
                let mut pm = PrimeMeridian::from_longitude(p.number(1).unwrap_or(0.0));
                if let Some(name) = p.text(0) {
                    pm.name = name.to_string();
                }
                pm.epsg = p.epsg().or(pm.epsg);
                pm
            }
            None => PrimeMeridian::greenwich(),
        };
        let mut crs = GeographicCrs {
            name: root.text(0).unwrap_or("user-defined").to_string(),
            epsg: root.epsg(),
            datum: datum.text(0).unwrap_or("user-defined").to_string(),
            datum_epsg: datum.epsg(),
            ellipsoid,
            prime_meridian,
            angular_unit: "degree".into(),
        };
        // WKT without identifiers (some writers omit them) for WGS 84 itself.
        let squeezed: String = crs
            .datum
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if crs.epsg.is_none()
            && crs.ellipsoid.epsg == Some(7030)
            && crs.prime_meridian.longitude == 0.0
            && (squeezed == "wgs84" || squeezed == "wgs1984" || squeezed == "worldgeodeticsystem1984")
        {
            crs.epsg = Some(4326);
            crs.datum_epsg = Some(6326);
        }
        Ok(crs)
    }
}

/// A name inside WKT quotes (a quote is doubled, OGC 18-010r7 section 6.3.3).
fn wkt_text(s: &str) -> String {
    s.replace('"', "\"\"")
}

impl fmt::Display for GeographicCrs {
    /// `WGS 84 (EPSG:4326)`, or `NAD27 (EPSG:4267): North American Datum 1927, ellipsoid Clarke
    /// 1866 (a = 6378206.4 m, 1/f = 294.9786982)` and the prime meridian when not Greenwich.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name)?;
        if let Some(c) = self.epsg {
            write!(f, " (EPSG:{c})")?;
        }
        if self.is_wgs84() {
            return Ok(());
        }
        let e = &self.ellipsoid;
        write!(
            f,
            ": {}, ellipsoid {} (a = {} m, 1/f = {})",
            self.datum, e.name, e.semi_major_axis, e.inverse_flattening
        )?;
        if self.prime_meridian.longitude != 0.0 {
            write!(
                f,
                ", prime meridian {} ({} deg east of Greenwich)",
                self.prime_meridian.name, self.prime_meridian.longitude
            )?;
        }
        if self.angular_unit != "degree" {
            write!(f, ", read from {}s", self.angular_unit)?;
        }
        Ok(())
    }
}

/// A minimal WKT reader: a tree of `KEYWORD[arg, ...]` nodes whose leaves are quoted texts and
/// numbers (enough to pick out names, parameters and identifiers).
mod wkt {
    #[derive(Debug)]
    pub enum Arg {
        Text(String),
        Number(f64),
        Node(Node),
        Word,
    }

    #[derive(Debug)]
    pub struct Node {
        pub keyword: String,
        pub args: Vec<Arg>,
    }

    impl Node {
        /// The `i`-th argument as text.
        pub fn text(&self, i: usize) -> Option<&str> {
            match self.args.get(i) {
                Some(Arg::Text(s)) => Some(s),
                _ => None,
            }
        }

        /// The `i`-th argument as a number.
        pub fn number(&self, i: usize) -> Option<f64> {
            match self.args.get(i) {
                Some(Arg::Number(n)) => Some(*n),
                Some(Arg::Text(s)) => s.parse().ok(),
                _ => None,
            }
        }

        /// The first child node with one of these keywords (any case).
        pub fn child(&self, keywords: &[&str]) -> Option<&Node> {
            self.args.iter().find_map(|a| match a {
                Arg::Node(n) if keywords.iter().any(|k| n.keyword.eq_ignore_ascii_case(k)) => Some(n),
                _ => None,
            })
        }

        /// The EPSG code of an `AUTHORITY["EPSG","4326"]` or `ID["EPSG",4326]` child.
        pub fn epsg(&self) -> Option<u16> {
            let id = self.child(&["AUTHORITY", "ID"])?;
            if !id.text(0)?.eq_ignore_ascii_case("EPSG") {
                return None;
            }
            id.number(1)
                .filter(|c| c.fract() == 0.0 && (0.0..65536.0).contains(c))
                .map(|c| c as u16)
        }
    }

    /// Parse a whole WKT text.
    pub fn parse(text: &str) -> Option<Node> {
        let chars: Vec<char> = text.trim().chars().collect();
        let mut at = 0;
        let node = node(&chars, &mut at)?;
        Some(node)
    }

    fn skip_space(c: &[char], at: &mut usize) {
        while *at < c.len() && c[*at].is_whitespace() {
            *at += 1;
        }
    }

    fn node(c: &[char], at: &mut usize) -> Option<Node> {
        skip_space(c, at);
        let start = *at;
        while *at < c.len() && (c[*at].is_ascii_alphanumeric() || c[*at] == '_') {
            *at += 1;
        }
        let keyword: String = c[start..*at].iter().collect();
        skip_space(c, at);
        if keyword.is_empty() || !matches!(c.get(*at), Some('[' | '(')) {
            return None;
        }
        *at += 1;
        let mut args = Vec::new();
        loop {
            skip_space(c, at);
            match c.get(*at)? {
                ']' | ')' => {
                    *at += 1;
                    return Some(Node { keyword, args });
                }
                ',' => *at += 1,
                '"' => {
                    *at += 1;
                    let mut s = String::new();
                    loop {
                        match c.get(*at)? {
                            '"' if c.get(*at + 1) == Some(&'"') => {
                                s.push('"');
                                *at += 2;
                            }
                            '"' => {
                                *at += 1;
                                break;
                            }
                            ch => {
                                s.push(*ch);
                                *at += 1;
                            }
                        }
                    }
                    args.push(Arg::Text(s));
                }
                ch if ch.is_ascii_digit() || matches!(ch, '-' | '+' | '.') => {
                    let start = *at;
                    while *at < c.len() && (c[*at].is_ascii_alphanumeric() || matches!(c[*at], '-' | '+' | '.')) {
                        *at += 1;
                    }
                    let s: String = c[start..*at].iter().collect();
                    args.push(Arg::Number(s.parse().ok()?));
                }
                _ => {
                    let save = *at;
                    if let Some(n) = node(c, at) {
                        args.push(Arg::Node(n));
                    } else {
                        // A bare enumeration word (NORTH, EAST): skip it.
                        *at = save;
                        while *at < c.len() && (c[*at].is_ascii_alphanumeric() || c[*at] == '_') {
                            *at += 1;
                        }
                        if *at == save {
                            return None;
                        }
                        args.push(Arg::Word);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
#[path = "crs_tests.rs"]
mod tests;

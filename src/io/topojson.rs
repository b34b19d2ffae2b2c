//! Natural Earth land polygons as TopoJSON (embedded in the binary) and their arc decoder,
//! shared by the map coastlines (`plot`) and the fine-resolution land mask of the demo (`synth`).
//!
//! TopoJSON (Bostock, TopoJSON specification 1.0): geometries reference shared arcs; with a
//! `transform`, each arc is a list of delta-encoded integer positions, and the absolute
//! position is `cumulative sum * scale + translate`.

/// Natural Earth 1:110m land polygons (npm `world-atlas` 2.0.2, `land-110m.json`).
pub static LAND_110M: &[u8] = include_bytes!("../../assets/map/natural_earth_land_110m.topo.json");
/// Natural Earth 1:50m land polygons (npm `world-atlas` 2.0.2, `land-50m.json`).
pub static LAND_50M: &[u8] = include_bytes!("../../assets/map/natural_earth_land_50m.topo.json");

#[derive(serde::Deserialize)]
struct Topology {
    arcs: Vec<Vec<Vec<f64>>>,
    transform: Option<TopoTransform>,
}

#[derive(serde::Deserialize)]
struct TopoTransform {
    scale: [f64; 2],
    translate: [f64; 2],
}

/// Decode TopoJSON arcs to lon/lat polylines: quantized arcs are delta-encoded integers,
/// absolute position = cumulative sum * scale + translate.
pub fn decode_topojson_arcs(bytes: &[u8]) -> Result<Vec<Vec<(f64, f64)>>, String> {
    let topo: Topology = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let mut arcs = Vec::with_capacity(topo.arcs.len());
    for (a, arc) in topo.arcs.iter().enumerate() {
        let mut line = Vec::with_capacity(arc.len());
        let (mut qx, mut qy) = (0.0, 0.0);
        for p in arc {
            if p.len() < 2 {
                return Err(format!("arc {a}: position with fewer than 2 coordinates"));
            }
            match &topo.transform {
                Some(t) => {
                    qx += p[0];
                    qy += p[1];
                    line.push((qx * t.scale[0] + t.translate[0], qy * t.scale[1] + t.translate[1]));
                }
                None => line.push((p[0], p[1])),
            }
        }
        arcs.push(line);
    }
    Ok(arcs)
}

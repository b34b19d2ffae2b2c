//! Writes the scale issue's stress file: a CF netCDF-4 grid of `ROWS x COLS` cells (default
//! 18000 x 36000, 0.01 degree), deflate-compressed in 1000 x 1000 chunks, with one square block
//! of `BLOCK x BLOCK` land cells carrying values and nothing elsewhere:
//! `LandPercentage` (u8, 100 in the block, 0 elsewhere), `NDVI` and `DHR670` (i16 packed with
//! scale_factor, fill outside the block).
//!
//! ```sh
//! cargo run --release --example big_grid -- /tmp/big.nc [ROWS COLS BLOCK]
//! landclust run /tmp/big.nc --vars NDVI --k 2 --no-figures --out /tmp/big-out
//! landclust run /tmp/big.nc --vars NDVI --select all --out /tmp/x   # refused: does not fit
//! ```
//!
//! The writer crate encodes whole arrays in memory, so this generator needs about 3 bytes per
//! cell (1.9 GB at the default size); landclust reading it holds only row blocks.

use netcdf_writer::{NcAttrValue, NcFileBuilder, NcWriteFormat, NcWriteOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let out = args.get(1).ok_or("usage: big_grid OUT.nc [ROWS COLS BLOCK]")?;
    let rows: usize = args.get(2).map_or(Ok(18_000), |a| a.parse())?;
    let cols: usize = args.get(3).map_or(Ok(36_000), |a| a.parse())?;
    let block: usize = args.get(4).map_or(Ok(1_000), |a| a.parse())?;
    let step = 180.0 / rows as f64;
    let (r0, c0) = (rows / 3, cols / 2);
    let mut b = NcFileBuilder::new();
    let dlat = b.add_dimension("lat", rows as u64)?;
    let dlon = b.add_dimension("lon", cols as u64)?;
    let lat: Vec<f64> = (0..rows).map(|i| 90.0 - step * (i as f64 + 0.5)).collect();
    let lon: Vec<f64> = (0..cols).map(|j| -180.0 + step * (j as f64 + 0.5)).collect();
    let vlat = b.add_variable::<f64>("lat", &[dlat])?;
    b.write_variable(vlat, &lat)?;
    b.add_variable_attribute(vlat, "units", NcAttrValue::Chars("degrees_north".into()))?;
    let vlon = b.add_variable::<f64>("lon", &[dlon])?;
    b.write_variable(vlon, &lon)?;
    b.add_variable_attribute(vlon, "units", NcAttrValue::Chars("degrees_east".into()))?;
    let inside = |i: usize, j: usize| (r0..r0 + block).contains(&i) && (c0..c0 + block).contains(&j);
    let land: Vec<u8> = (0..rows * cols)
        .map(|k| if inside(k / cols, k % cols) { 100 } else { 0 })
        .collect();
    let vland = b.add_variable::<u8>("LandPercentage", &[dlat, dlon])?;
    b.write_variable(vland, &land)?;
    drop(land);
    b.set_variable_chunking(vland, vec![1000u64.min(rows as u64), 1000u64.min(cols as u64)])?;
    b.set_variable_deflate(vland, Some(4), true)?;
    for (name, f) in [
        (
            "NDVI",
            (|i: usize, j: usize| 0.2 + 0.6 * ((i + 2 * j) % 97) as f64 / 97.0) as fn(usize, usize) -> f64,
        ),
        ("DHR670", |i, j| 0.05 + 0.2 * ((3 * i + j) % 89) as f64 / 89.0),
    ] {
        let packed: Vec<i16> = (0..rows * cols)
            .map(|k| {
                let (i, j) = (k / cols, k % cols);
                if inside(i, j) {
                    (f(i, j) / 1e-4).round() as i16
                } else {
                    -32768
                }
            })
            .collect();
        let v = b.add_variable::<i16>(name, &[dlat, dlon])?;
        b.write_variable(v, &packed)?;
        b.set_variable_fill_value(v, -32768i16)?;
        b.add_variable_attribute(v, "scale_factor", NcAttrValue::Doubles(vec![1e-4]))?;
        b.set_variable_chunking(v, vec![1000u64.min(rows as u64), 1000u64.min(cols as u64)])?;
        b.set_variable_deflate(v, Some(4), true)?;
    }
    b.add_attribute("Conventions", NcAttrValue::Chars("CF-1.8".into()))?;
    let file = std::fs::File::create(out)?;
    b.write(
        std::io::BufWriter::new(file),
        NcWriteOptions {
            format: NcWriteFormat::Nc4,
        },
    )?;
    eprintln!("wrote {out}: {rows} x {cols} cells, a {block} x {block} land block at row {r0}, col {c0}");
    Ok(())
}

//! The command-line front end: parse arguments, call the library, print a short summary to
//! stdout, errors as one line on stderr with a non-zero exit code.

pub mod args;
pub mod bars;

use crate::dataset::varspec::{ECHO_MAX_CHARS, echo, echo_line};
use crate::error::{Error, Result};
use crate::io::netcdf::NcFile;
use args::{Cli, Command};
use clap::Parser;
use std::io::IsTerminal;

/// Parse the command line and run; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            if let Some(line) = bad_value_line(&e) {
                eprintln!("landclust: error: {line}");
                return 2;
            }
            let code = if e.use_stderr() { 2 } else { 0 };
            // clap echoes what it could not place (`unexpected argument '...'`); a runaway value
            // is shortened like every other echoed value.
            let plain = e.render().to_string();
            if plain
                .split_whitespace()
                .any(|w| w.chars().nth(ECHO_MAX_CHARS).is_some())
            {
                let shortened: Vec<String> = plain.lines().map(|l| echo_line(l, ECHO_MAX_CHARS)).collect();
                eprintln!("{}", shortened.join("\n").trim_end());
                return code;
            }
            let _ = e.print();
            return code;
        }
    };
    crate::progress::set_reporter(std::sync::Arc::new(bars::TerminalReporter::new(show_progress(
        cli.quiet,
    ))));
    match dispatch(cli) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("landclust: error: {}", echo_line(&one_line(&e.to_string()), PATH_MAX));
            1
        }
    }
}

/// A value clap could not parse (`--k-max x`) in the one-line form of every other bad option,
/// `option --k-max: 'x': invalid digit found in string`; `None` for other command-line errors,
/// which clap reports with their usage.
fn bad_value_line(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() != ErrorKind::ValueValidation {
        return None;
    }
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        _ => None,
    };
    let arg = text(ContextKind::InvalidArg)?;
    let value = text(ContextKind::InvalidValue)?;
    let reason = std::error::Error::source(e)?.to_string();
    // clap names the argument with its value placeholder: `--k-max <K_MAX>`.
    let option = arg.split_whitespace().next().unwrap_or(&arg);
    Some(one_line(&format!(
        "option {}: '{}': {}",
        echo(option),
        echo(&value),
        echo_line(&reason, ECHO_MAX_CHARS)
    )))
}

/// Longest path Linux opens: space-free runs up to this long stay whole in a final error line.
const PATH_MAX: usize = 4096;

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether progress bars should be drawn (stderr is a terminal and not `--quiet`).
pub fn show_progress(quiet: bool) -> bool {
    !quiet && std::io::stderr().is_terminal()
}

fn dispatch(cli: Cli) -> Result<()> {
    let progress = show_progress(cli.quiet);
    match cli.command {
        Command::Inspect { file, json, decode } => inspect(&file, json, &decode),
        Command::Synth {
            out,
            seed,
            classic,
            resolution,
            monthly,
        } => synth(&out, seed, classic, &resolution, monthly, progress),
        Command::Run(a) => commands::run(&a, progress),
        Command::Elbow(a) => commands::elbow(&a, progress),
        Command::Stability(a) => commands::stability(&a, progress),
        Command::Plot { dir } => commands::plot(&dir, progress),
        Command::Demo {
            out,
            seed,
            epochs,
            full,
        } => commands::demo(&out, seed, epochs, full, progress),
        Command::Bench(a) => commands::bench(&a),
        Command::VaeMnist(a) => commands::vae_mnist(&a, progress),
        Command::DeepMnist(a) => commands::deep_mnist(&a, progress),
        Command::Encode(a) => commands::encode(&a),
        Command::Export(a) => commands::export(&a, progress),
        Command::Import(a) => commands::import(&a),
        Command::Assign(a) => commands::assign(&a, progress),
        Command::Compare(a) => commands::compare(&a),
    }
}

/// `landclust inspect`: the summary of every file (the table, or JSON), with the user's
/// `--decode` applied, then, when a numeric variable or band could not be decoded, one error
/// line naming the file and the variable and a non-zero exit: the table still shows what could
/// be read, the exit status says the file is damaged.
fn inspect(file: &std::path::Path, json: bool, decode: &[String]) -> Result<()> {
    use crate::io::geotiff::composite;
    let decode = crate::dataset::DecodeOverrides::parse_all(decode).map_err(|e| Error::Option {
        option: "--decode".into(),
        message: e.to_string(),
    })?;
    if composite::is_composite(file) {
        let mut reader = composite::CompositeReader::open(file)?;
        reader.apply_decoding(&decode)?;
        let summaries: Vec<_> = reader.files().iter().map(|f| f.summary()).collect();
        for s in &summaries {
            print_summary(file, s, json)?;
        }
        return summaries.iter().try_for_each(undecodable_band);
    }
    if crate::io::stack::is_stack(file) {
        // A stack (a glob or a [FILE;FILE] list): every file's summary, in entry order.
        let (files, _, _) = crate::io::stack::files(file)?;
        return files.iter().try_for_each(|f| inspect_one(f, json, &decode));
    }
    inspect_one(file, json, &decode)
}

/// [`inspect`] of one file (a GeoTIFF or a netCDF file).
fn inspect_one(file: &std::path::Path, json: bool, decode: &crate::dataset::DecodeOverrides) -> Result<()> {
    use crate::io::geotiff::GeoTiffReader;
    if crate::io::geotiff::is_geotiff(file) {
        let mut reader = GeoTiffReader::open(file)?;
        reader.apply_decoding(decode)?;
        let summary = reader.summary();
        print_summary(file, &summary, json)?;
        return undecodable_band(&summary);
    }
    if crate::io::zarr::is_zarr(file) {
        let mut store = crate::io::zarr::ZarrStore::open(file)?;
        store.apply_decoding(&decode)?;
        let summary = store.summary();
        print_summary(file, &summary, json)?;
        return match summary.undecodable(&store) {
            None => Ok(()),
            Some((name, why)) => Err(Error::File {
                path: file.into(),
                message: format!("variable {name} cannot be decoded ({why})"),
            }),
        };
    }
    let mut nc = NcFile::open(file)?;
    nc.apply_decoding(decode)?;
    let summary = nc.summary();
    print_summary(file, &summary, json)?;
    let numeric = ["i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "f32", "f64"];
    match summary
        .variables
        .iter()
        .find(|v| v.n_valid.is_none() && numeric.contains(&v.dtype.as_str()))
    {
        None => Ok(()),
        Some(v) => {
            let why = nc
                .variables()
                .iter()
                .find(|var| var.name == v.name)
                .and_then(|var| nc.read_decoded(var).err())
                .map_or_else(
                    || "its data cannot be read".to_string(),
                    // The reader's error names the file again: once is enough.
                    |e| {
                        let text = e.to_string();
                        text.strip_prefix(&format!("{}: ", file.display()))
                            .map_or(text.clone(), str::to_string)
                    },
                );
            Err(Error::File {
                path: file.into(),
                message: format!("variable {} cannot be decoded ({why})", v.name),
            })
        }
    }
}

/// The first band of a GeoTIFF summary that could not be decoded, as an error. A band whose
/// valid cells were not counted on purpose (a strip too large to decode for a summary: the
/// summary's `note` says so) is not an error.
fn undecodable_band(s: &crate::io::geotiff::TiffSummary) -> Result<()> {
    if s.error.is_none() {
        return Ok(());
    }
    match s.bands.iter().find(|b| b.n_valid.is_none()) {
        None => Ok(()),
        Some(b) => Err(Error::File {
            path: s.path.clone().into(),
            message: format!(
                "band {} cannot be decoded ({})",
                b.name,
                s.error.as_deref().unwrap_or("its data cannot be read")
            ),
        }),
    }
}

/// A file summary as JSON or as the aligned text table.
fn print_summary<S: serde::Serialize + std::fmt::Display>(
    file: &std::path::Path,
    summary: &S,
    json: bool,
) -> Result<()> {
    if json {
        let text = serde_json::to_string_pretty(summary).map_err(|e| Error::File {
            path: file.into(),
            message: e.to_string(),
        })?;
        println!("{text}");
    } else {
        print!("{summary}");
    }
    Ok(())
}

fn synth(
    out: &std::path::Path,
    seed: u64,
    classic: bool,
    resolution: &str,
    monthly: bool,
    progress: bool,
) -> Result<()> {
    let res: crate::synth::Resolution =
        resolution
            .parse()
            .map_err(|e: crate::synth::InvalidResolution| Error::Option {
                option: "--resolution".into(),
                message: e.to_string(),
            })?;
    let format = if classic {
        crate::io::netcdf::write::NcFormat::Classic
    } else {
        crate::io::netcdf::write::NcFormat::Netcdf4
    };
    let params = crate::synth::SynthParams { seed, format };
    let summary = if monthly {
        if !res.is_one_degree() {
            return Err(Error::Option {
                option: "--monthly".into(),
                message: format!("the monthly demo is built at 1 degree only, not {resolution}"),
            });
        }
        crate::synth::monthly::write_monthly(out, &params)?
    } else {
        crate::synth::write_demo_at(out, &params, res, progress)?
    };
    println!(
        "wrote {} ({} cells, {} land cells with data, seed {})",
        out.display(),
        summary.n_cells,
        summary.n_land_cells,
        seed
    );
    Ok(())
}

mod commands;

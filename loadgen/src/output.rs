//! Writing a run's files: result.json, one .hgrm per histogram, and the histograms
//! serialized (HdrHistogram V2 + DEFLATE) so runs can be merged and re-reported later.
//! Every file is written to a temporary name and renamed, so a reader never sees half a file.

use std::io::Write;
use std::path::{Path, PathBuf};

use hdrhistogram::Histogram;
use hdrhistogram::serialization::interval_log::{IntervalLogWriterBuilder, Tag};
use hdrhistogram::serialization::{Deserializer, Serializer, V2DeflateSerializer};

use crate::engine::intervals::{INTERVAL, IntervalSeries};

use crate::result::RunResult;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {message}")]
    Read { path: PathBuf, message: String },
}

/// Checks, before any load is sent, that the results can be written to `dir`: creates it and
/// a probe file in it (removed again), so that a bad `--out` fails in a second, not after a
/// measurement that would then be lost.
pub fn check_writable(dir: &Path) -> Result<(), OutputError> {
    let io_error = |source| OutputError::Io {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(io_error)?;
    let probe = tempfile::Builder::new()
        .prefix(".loadgen-probe")
        .tempfile_in(dir)
        .map_err(io_error)?;
    probe.close().map_err(io_error)
}

/// Writes `bytes` to `path` atomically (temporary file in the same directory, then rename).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let io_error = |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io_error)?;
    let mut temporary = tempfile::NamedTempFile::new_in(dir).map_err(io_error)?;
    temporary.write_all(bytes).map_err(io_error)?;
    temporary.as_file().sync_all().map_err(io_error)?;
    temporary.persist(path).map_err(|e| io_error(e.error))?;
    Ok(())
}

/// A named histogram of the run (e.g. "latency", "service_time", "send_lag").
pub struct NamedHistogram<'a> {
    pub name: &'a str,
    pub histogram: &'a Histogram<u64>,
}

/// Writes the histograms (.hgrm text and .hdr binary) and then result.json, whose `files`
/// map names them. result.json is written last: its presence means the run's files are whole.
pub fn write_run(
    dir: &Path,
    result: &mut RunResult,
    histograms: &[NamedHistogram<'_>],
) -> Result<PathBuf, OutputError> {
    for named in histograms {
        let text_name = format!("{}.hgrm", named.name);
        write_atomically(
            &dir.join(&text_name),
            crate::hgrm::percentile_distribution(named.histogram).as_bytes(),
        )?;
        let binary_name = format!("{}.hdr", named.name);
        let mut bytes = Vec::new();
        V2DeflateSerializer::new()
            .serialize(named.histogram, &mut bytes)
            .map_err(|e| OutputError::Io {
                path: dir.join(&binary_name),
                source: std::io::Error::other(format!("{e:?}")),
            })?;
        write_atomically(&dir.join(&binary_name), &bytes)?;
        result
            .files
            .insert(format!("{}_hgrm", named.name), text_name);
        result
            .files
            .insert(format!("{}_hdr", named.name), binary_name);
    }
    let path = dir.join("result.json");
    let json = serde_json::to_vec_pretty(result).expect("results serialize");
    write_atomically(&path, &json)?;
    Ok(path)
}

/// Writes the run's 100 ms intervals as an HdrHistogram interval log (format 1.3, V2
/// compressed payloads: what the Java HistogramLogProcessor, HdrLogProcessing and the
/// Python `hdrh` package read), three histograms per interval tagged `latency`,
/// `service-time` and `send-lag`. StartTime and BaseTime are the window's start, and each
/// interval's timestamp is its offset from it. Names the file in `result.files`.
pub fn write_interval_log(
    dir: &Path,
    result: &mut RunResult,
    intervals: &IntervalSeries,
    window_start: std::time::SystemTime,
) -> Result<(), OutputError> {
    let name = "intervals.hlog";
    let path = dir.join(name);
    let failed = |e: String| OutputError::Io {
        path: path.clone(),
        source: std::io::Error::other(e),
    };
    let mut bytes = Vec::new();
    let mut serializer = V2DeflateSerializer::new();
    {
        let mut writer = IntervalLogWriterBuilder::new()
            .add_comment("loadgen interval log: 100 ms intervals of the measured window, in µs")
            .add_comment("tags: latency (from the intended send time), service-time, send-lag")
            .with_start_time(window_start)
            .with_base_time(window_start)
            .begin_log_with(&mut bytes, &mut serializer)
            .map_err(|e| failed(e.to_string()))?;
        for (offset, interval) in intervals.iter() {
            for (tag, histogram) in [
                ("latency", &interval.latency),
                ("service-time", &interval.service_time),
                ("send-lag", &interval.send_lag),
            ] {
                writer
                    .write_histogram(histogram, offset, INTERVAL, Tag::new(tag))
                    .map_err(|e| failed(format!("{e:?}")))?;
            }
        }
    }
    write_atomically(&path, &bytes)?;
    result
        .files
        .insert("intervals_hlog".to_string(), name.to_string());
    Ok(())
}

/// Reads a result.json.
pub fn read_result(path: &Path) -> Result<RunResult, OutputError> {
    let text = std::fs::read(path).map_err(|e| OutputError::Read {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    serde_json::from_slice(&text).map_err(|e| OutputError::Read {
        path: path.to_path_buf(),
        message: format!("not a loadgen result: {e}"),
    })
}

/// Reads a histogram written by `write_run`.
pub fn read_histogram(path: &Path) -> Result<Histogram<u64>, OutputError> {
    let bytes = std::fs::read(path).map_err(|e| OutputError::Read {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    Deserializer::new()
        .deserialize(&mut bytes.as_slice())
        .map_err(|e| OutputError::Read {
            path: path.to_path_buf(),
            message: format!("not a serialized histogram: {e:?}"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_directory_is_created_and_probed() {
        let root = tempfile::tempdir().unwrap();
        let nested = root.path().join("a/b");
        check_writable(&nested).unwrap();
        assert!(nested.is_dir());
        assert_eq!(
            std::fs::read_dir(&nested).unwrap().count(),
            0,
            "the probe is removed"
        );
        // A regular file where a directory is needed cannot hold results.
        let file = root.path().join("file");
        std::fs::write(&file, b"x").unwrap();
        let error = check_writable(&file.join("run")).unwrap_err();
        assert!(error.to_string().contains("cannot write"), "{error}");
    }
}

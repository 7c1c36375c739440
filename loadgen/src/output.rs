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
            for (tag, histogram) in interval.tagged() {
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

/// One interval of a run's latency, read back from its interval log.
#[derive(Debug, Clone, PartialEq)]
pub struct LatencyInterval {
    /// Seconds into the measured window.
    pub start_seconds: f64,
    pub end_seconds: f64,
    pub count: u64,
    pub p99_us: u64,
    pub max_us: u64,
}

/// An interval log read back: its StartTime (since the Unix epoch) and every interval's
/// (offset from the log's BaseTime, tag, histogram), in file order.
pub struct IntervalLog {
    pub start_time: Option<std::time::Duration>,
    pub intervals: Vec<(std::time::Duration, String, Histogram<u64>)>,
}

/// Reads an interval log written by [`write_interval_log`] (any log whose intervals are timed
/// from its BaseTime reads the same way).
pub fn read_interval_log(path: &Path) -> Result<IntervalLog, OutputError> {
    use base64::Engine;
    use hdrhistogram::serialization::interval_log::{IntervalLogIterator, LogEntry};
    let unreadable = |message: String| OutputError::Read {
        path: path.to_path_buf(),
        message,
    };
    let text = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
    let mut deserializer = Deserializer::new();
    let mut log = IntervalLog {
        start_time: None,
        intervals: Vec::new(),
    };
    for entry in IntervalLogIterator::new(&text) {
        let interval = match entry.map_err(|e| unreadable(format!("not an interval log: {e:?}")))? {
            LogEntry::StartTime(start) => {
                log.start_time = Some(start);
                continue;
            }
            LogEntry::BaseTime(_) => continue,
            LogEntry::Interval(interval) => interval,
        };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(interval.encoded_histogram())
            .map_err(|e| unreadable(format!("an interval's histogram is not base64: {e}")))?;
        let histogram: Histogram<u64> = deserializer
            .deserialize(&mut bytes.as_slice())
            .map_err(|e| unreadable(format!("an interval's histogram does not decode: {e:?}")))?;
        let tag = interval
            .tag()
            .map(|t| t.as_str().to_string())
            .unwrap_or_default();
        log.intervals
            .push((interval.start_timestamp(), tag, histogram));
    }
    Ok(log)
}

/// The "latency" intervals of an interval log, summarised for the over-time chart.
pub fn read_latency_intervals(path: &Path) -> Result<Vec<LatencyInterval>, OutputError> {
    Ok(read_interval_log(path)?
        .intervals
        .into_iter()
        .filter(|(_, tag, _)| tag == "latency")
        .map(|(start, _, histogram)| {
            let start = start.as_secs_f64();
            LatencyInterval {
                start_seconds: start,
                end_seconds: start + INTERVAL.as_secs_f64(),
                count: histogram.len(),
                p99_us: histogram.value_at_quantile(0.99),
                max_us: histogram.max(),
            }
        })
        .collect())
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

    #[test]
    fn latency_intervals_read_back_what_was_written() {
        let start = std::time::Instant::now();
        let mut series = IntervalSeries::new(start, start + std::time::Duration::from_secs(1));
        // Two requests in the first 100 ms, one in the fourth.
        series.record_success(start, 1_000, 900);
        series.record_success(start + std::time::Duration::from_millis(50), 30_000, 900);
        series.record_success(start + std::time::Duration::from_millis(350), 2_000, 900);
        let dir = tempfile::tempdir().unwrap();
        let mut result: RunResult =
            serde_json::from_str(include_str!("../tests/fixtures/result.example.json")).unwrap();
        write_interval_log(
            dir.path(),
            &mut result,
            &series,
            std::time::SystemTime::now(),
        )
        .unwrap();
        let intervals = read_latency_intervals(&dir.path().join("intervals.hlog")).unwrap();
        let with_requests: Vec<&LatencyInterval> =
            intervals.iter().filter(|i| i.count > 0).collect();
        assert_eq!(with_requests.len(), 2, "{intervals:?}");
        let first = with_requests[0];
        assert_eq!(first.count, 2);
        assert!((first.start_seconds - 0.0).abs() < 1e-6);
        assert!((first.end_seconds - 0.1).abs() < 1e-6);
        // 2 significant digits: within 1 %.
        assert!(first.max_us.abs_diff(30_000) <= 300, "{first:?}");
        assert!((with_requests[1].start_seconds - 0.3).abs() < 1e-6);
    }

    #[test]
    fn a_file_that_is_not_an_interval_log_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("intervals.hlog");
        std::fs::write(&path, "0.0,0.1,5.0,not-base64!\n").unwrap();
        assert!(read_latency_intervals(&path).is_err());
    }
}

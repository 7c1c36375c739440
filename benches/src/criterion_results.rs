//! Reading criterion's results: `<criterion dir>/<group>/<function>/<value>/new/estimates.json`,
//! criterion's documented output contract. Times in it are nanoseconds per iteration.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, io};

/// The part of `estimates.json` read here.
#[derive(Debug, Deserialize)]
struct Estimates {
    mean: Statistic,
    median: Statistic,
}

#[derive(Debug, Deserialize)]
struct Statistic {
    point_estimate: f64,
    confidence_interval: ConfidenceInterval,
}

#[derive(Debug, Deserialize)]
struct ConfidenceInterval {
    confidence_level: f64,
    lower_bound: f64,
    upper_bound: f64,
}

/// Criterion's estimate of one benchmark's time per iteration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// Median time per iteration.
    pub median_ns: f64,
    /// Lower bound of the median's bootstrap confidence interval.
    pub ci_low_ns: f64,
    /// Upper bound of the median's bootstrap confidence interval.
    pub ci_high_ns: f64,
    /// Confidence level of the interval (criterion's default 0.95).
    pub confidence_level: f64,
    /// Mean time per iteration.
    pub mean_ns: f64,
    /// Where it was read from.
    pub estimates_path: PathBuf,
    /// When the file was last written (seconds since the Unix epoch).
    pub estimates_modified_unix_s: u64,
}

/// Path of one benchmark's `estimates.json`.
pub fn estimates_path(criterion_dir: &Path, group: &str, function: &str, value: &str) -> PathBuf {
    criterion_dir
        .join(group)
        .join(function)
        .join(value)
        .join("new")
        .join("estimates.json")
}

/// Reads one benchmark's estimate; `Ok(None)` if criterion has not written it.
pub fn read(path: &Path) -> Result<Option<Estimate>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(path)(e)),
    };
    let estimates: Estimates = serde_json::from_str(&text).map_err(|e| Error::Parse {
        what: path.display().to_string(),
        detail: e.to_string(),
    })?;
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map_err(io(path))?
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Ok(Some(from_estimates(estimates, path, modified)))
}

fn from_estimates(e: Estimates, path: &Path, modified: u64) -> Estimate {
    Estimate {
        median_ns: e.median.point_estimate,
        ci_low_ns: e.median.confidence_interval.lower_bound,
        ci_high_ns: e.median.confidence_interval.upper_bound,
        confidence_level: e.median.confidence_interval.confidence_level,
        mean_ns: e.mean.point_estimate,
        estimates_path: path.to_path_buf(),
        estimates_modified_unix_s: modified,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An `estimates.json` as criterion 0.8 writes it (flat sampling: `slope` is null).
    const SAMPLE: &str = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":410.0,"upper_bound":430.0},"point_estimate":420.0,"standard_error":5.0},"median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":400.5,"upper_bound":425.25},"point_estimate":415.0,"standard_error":6.0},"median_abs_dev":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},"point_estimate":1.5,"standard_error":0.1},"slope":null,"std_dev":{"confidence_interval":{"confidence_level":0.95,"lower_bound":3.0,"upper_bound":4.0},"point_estimate":3.5,"standard_error":0.2}}"#;

    #[test]
    fn reads_median_and_interval() {
        let dir = tempfile::tempdir().unwrap();
        let path = estimates_path(dir.path(), "sum_i64", "sum_iter", "1024");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, SAMPLE).unwrap();
        let e = read(&path).unwrap().unwrap();
        assert_eq!(
            (e.median_ns, e.ci_low_ns, e.ci_high_ns),
            (415.0, 400.5, 425.25)
        );
        assert_eq!((e.confidence_level, e.mean_ns), (0.95, 420.0));
        assert!(e.estimates_modified_unix_s > 0);
    }

    #[test]
    fn missing_is_none_and_garbage_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read(&dir.path().join("nope.json")).unwrap().is_none());
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{}").unwrap();
        assert!(matches!(read(&bad), Err(Error::Parse { .. })));
    }
}

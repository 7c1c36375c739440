//! The end of a child's stderr, kept for error messages.

use std::io::{self, Read};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::Instant;

use crate::gctrace::GcTraceCollector;

/// How much of a server's stderr is kept.
const STDERR_TAIL_BYTES: usize = 8 * 1024;

/// Copies `stderr` into `tail` on its own thread, until the pipe closes; with `gc_trace`,
/// also hands every chunk, stamped with the time it was read, to the GC trace collector.
pub(crate) fn spawn_stderr_reader(
    mut stderr: impl Read + Send + 'static,
    tail: Arc<Mutex<Tail>>,
    gc_trace: Option<Arc<Mutex<GcTraceCollector>>>,
) -> JoinHandle<()> {
    thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        loop {
            match stderr.read(&mut chunk) {
                Ok(0) => return,
                Ok(n) => {
                    let read_at = Instant::now();
                    if let Some(collector) = &gc_trace {
                        lock(collector).push(&chunk[..n], read_at);
                    }
                    lock(&tail).push(&chunk[..n]);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return,
            }
        }
    })
}

/// Locks what the stderr reader writes to.
pub(crate) fn lock<T>(shared: &Mutex<T>) -> MutexGuard<'_, T> {
    // A poisoned tail is still a tail (and a trace still a trace): the reader panicking
    // between two pushes cannot leave either inconsistent.
    shared
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The last [`STDERR_TAIL_BYTES`] of a stream.
#[derive(Default)]
pub(crate) struct Tail {
    bytes: Vec<u8>,
    truncated: bool,
}

impl Tail {
    pub(crate) fn push(&mut self, chunk: &[u8]) {
        self.bytes.extend_from_slice(chunk);
        if self.bytes.len() > STDERR_TAIL_BYTES {
            let excess = self.bytes.len() - STDERR_TAIL_BYTES;
            self.bytes.drain(..excess);
            self.truncated = true;
        }
    }

    pub(crate) fn text(&self) -> String {
        let text = String::from_utf8_lossy(&self.bytes);
        if self.truncated {
            format!("[...]{text}")
        } else {
            text.into_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_keeps_the_end() {
        let mut tail = Tail::default();
        tail.push(b"hello\n");
        assert_eq!(tail.text(), "hello\n");
        tail.push(&vec![b'x'; STDERR_TAIL_BYTES]);
        tail.push(b"end");
        let text = tail.text();
        assert!(text.starts_with("[...]x"));
        assert!(text.ends_with("xend"));
        assert_eq!(text.len(), "[...]".len() + STDERR_TAIL_BYTES);
    }
}

//! Process-wide resource limits loadgen sets at start-up.

/// Raises the soft limit on open files to the hard limit: each connection is a file, and
/// Debian's default soft limit (1024) would turn `-c 1000` into connect errors. Go's runtime
/// does the same for go-server; rust-server does it too. Best effort.
pub fn raise_open_file_limit() {
    // SAFETY: getrlimit/setrlimit read and write only the struct we pass.
    unsafe {
        let mut limit: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max
        {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

//! The process groups of the servers loadgen started (reference servers, nginx), so that a
//! second Ctrl-C, which exits at once without running destructors, can still kill them.

use std::sync::atomic::{AtomicI32, Ordering};

const SLOTS: usize = 16;
static GROUPS: [AtomicI32; SLOTS] = [const { AtomicI32::new(0) }; SLOTS];

/// Remembers a child that leads its own process group (spawned with `process_group(0)`).
pub fn register(pid: u32) {
    let pid = pid as i32;
    for slot in &GROUPS {
        if slot
            .compare_exchange(0, pid, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
        {
            return;
        }
    }
}

/// Forgets a child once it has been stopped.
pub fn unregister(pid: u32) {
    let pid = pid as i32;
    for slot in &GROUPS {
        let _ = slot.compare_exchange(pid, 0, Ordering::SeqCst, Ordering::SeqCst);
    }
}

/// SIGKILL to every registered process group. Only atomics and kill(2): async-signal-safe.
pub fn kill_all_from_signal_handler() {
    for slot in &GROUPS {
        let pid = slot.load(Ordering::SeqCst);
        if pid > 0 {
            // SAFETY: kill(2) with a negative pid signals that process group.
            unsafe { libc::kill(-pid, libc::SIGKILL) };
        }
    }
}

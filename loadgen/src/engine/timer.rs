//! A per-worker timer with microsecond resolution, for constant-rate pacing.
//!
//! Why not tokio's timer: it rounds every deadline up to the next millisecond, which would add
//! up to 1 ms of send lag to each request; the earlier fix (sleep, then yield in a loop for the
//! last 1.5 ms) kept the lag small but burnt 100 % of loadgen's core at any rate, so its CPU
//! could no longer tell whether it was the bottleneck.
//!
//! Design: one Linux timerfd per worker thread, armed at the earliest pending deadline as an
//! absolute CLOCK_MONOTONIC time (the clock behind `std::time::Instant` on Linux) and watched
//! by the worker's tokio runtime through `AsyncFd`. When it fires, [`drive`] wakes every
//! connection whose send time has come, then re-arms for the next one. A worker therefore
//! sleeps in `epoll_wait` between sends and pays about two system calls per wake-up, and the
//! requests that fall due together are woken together. timerfd expirations are hrtimers
//! without the 50 µs timer slack that `epoll_wait`'s own timeout gets.

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::future::Future;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use tokio::io::unix::AsyncFd;

/// A worker's timer: cheap to clone (one per connection task), single-threaded.
#[derive(Clone)]
pub struct PreciseTimer {
    shared: Rc<RefCell<Shared>>,
}

struct Shared {
    fd: OwnedFd,
    /// `Instant` and CLOCK_MONOTONIC read together: converts one to the other.
    clock_base: (Instant, libc::timespec),
    pending: BinaryHeap<Reverse<Entry>>,
    /// The deadline the timerfd is armed for, if any.
    armed: Option<Instant>,
    next_entry_id: u64,
}

struct Entry {
    deadline: Instant,
    /// Breaks ties so that equal deadlines wake in registration order.
    id: u64,
    waker: Waker,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        (self.deadline, self.id) == (other.deadline, other.id)
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.deadline, self.id).cmp(&(other.deadline, other.id))
    }
}

impl PreciseTimer {
    /// Creates the timerfd. Call [`drive`] on the same worker's runtime.
    pub fn new() -> io::Result<Self> {
        // SAFETY: timerfd_create has no memory effects; the result is checked.
        let raw = unsafe {
            libc::timerfd_create(
                libc::CLOCK_MONOTONIC,
                libc::TFD_NONBLOCK | libc::TFD_CLOEXEC,
            )
        };
        if raw < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `raw` is a fresh descriptor that nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        let clock_base = (Instant::now(), monotonic_now());
        Ok(Self {
            shared: Rc::new(RefCell::new(Shared {
                fd,
                clock_base,
                pending: BinaryHeap::new(),
                armed: None,
                next_entry_id: 0,
            })),
        })
    }

    /// A future that completes at `deadline` (at once if it has passed).
    pub fn sleep_until(&self, deadline: Instant) -> Sleep {
        Sleep {
            timer: self.clone(),
            deadline,
            registered: false,
        }
    }

    /// Runs the timer: wakes due sleepers each time the timerfd fires. Spawn it on the worker's
    /// `LocalSet`; it never returns on its own, so the worker drops it when its connections end.
    pub async fn drive(self) -> io::Result<()> {
        let raw = self.shared.borrow().fd.as_raw_fd();
        // SAFETY: the descriptor is owned by `Shared`, which `self` keeps alive for as long as
        // this future (and so `watched`) lives; nothing closes or replaces it meanwhile.
        let watched = unsafe { AsyncFd::register(WatchedFd(raw))? };
        loop {
            let mut ready = watched.readable().await?;
            let mut expirations = [0u8; 8];
            // SAFETY: reads at most 8 bytes into the 8-byte buffer.
            let read = unsafe {
                libc::read(
                    ready.get_inner().0,
                    expirations.as_mut_ptr().cast(),
                    expirations.len(),
                )
            };
            if read < 0 {
                let error = io::Error::last_os_error();
                if error.kind() != io::ErrorKind::WouldBlock {
                    return Err(error);
                }
            }
            ready.clear_ready();
            self.shared.borrow_mut().armed = None;
            self.wake_due()?;
        }
    }

    /// Wakes every sleeper whose deadline has passed and arms the timerfd for the next one.
    fn wake_due(&self) -> io::Result<()> {
        let mut shared = self.shared.borrow_mut();
        let now = Instant::now();
        while let Some(Reverse(first)) = shared.pending.peek() {
            if first.deadline > now {
                let deadline = first.deadline;
                return shared.arm(deadline);
            }
            let Reverse(due) = shared.pending.pop().expect("peeked");
            due.waker.wake();
        }
        Ok(())
    }

    fn register(&self, deadline: Instant, waker: &Waker) -> io::Result<()> {
        let mut shared = self.shared.borrow_mut();
        let id = shared.next_entry_id;
        shared.next_entry_id += 1;
        shared.pending.push(Reverse(Entry {
            deadline,
            id,
            waker: waker.clone(),
        }));
        if shared.armed.is_none_or(|armed| deadline < armed) {
            shared.arm(deadline)?;
        }
        Ok(())
    }
}

impl Shared {
    /// Arms the timerfd to fire once at `deadline` (absolute, CLOCK_MONOTONIC).
    fn arm(&mut self, deadline: Instant) -> io::Result<()> {
        let spec = libc::itimerspec {
            it_interval: libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            },
            it_value: self.to_monotonic(deadline),
        };
        // SAFETY: `spec` is a valid itimerspec; the old value is not requested.
        let status = unsafe {
            libc::timerfd_settime(
                self.fd.as_raw_fd(),
                libc::TFD_TIMER_ABSTIME,
                &spec,
                std::ptr::null_mut(),
            )
        };
        if status < 0 {
            return Err(io::Error::last_os_error());
        }
        self.armed = Some(deadline);
        Ok(())
    }

    fn to_monotonic(&self, deadline: Instant) -> libc::timespec {
        let (base_instant, base) = self.clock_base;
        // A deadline before the base (never in practice) fires at once: the base has passed.
        let offset = deadline.saturating_duration_since(base_instant);
        let total = Duration::new(base.tv_sec as u64, base.tv_nsec as u32) + offset;
        let spec = libc::timespec {
            tv_sec: total.as_secs() as libc::time_t,
            tv_nsec: total.subsec_nanos() as libc::c_long,
        };
        // An all-zero it_value would disarm the timer instead of firing it.
        if spec.tv_sec == 0 && spec.tv_nsec == 0 {
            return libc::timespec {
                tv_sec: 0,
                tv_nsec: 1,
            };
        }
        spec
    }
}

fn monotonic_now() -> libc::timespec {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we pass; CLOCK_MONOTONIC always exists.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut now) };
    now
}

/// The timerfd as `AsyncFd` sees it; the `OwnedFd` in `Shared` closes it.
struct WatchedFd(RawFd);

impl AsRawFd for WatchedFd {
    fn as_raw_fd(&self) -> RawFd {
        self.0
    }
}

/// See [`PreciseTimer::sleep_until`].
pub struct Sleep {
    timer: PreciseTimer,
    deadline: Instant,
    registered: bool,
}

impl Future for Sleep {
    type Output = io::Result<()>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if Instant::now() >= self.deadline {
            return Poll::Ready(Ok(()));
        }
        // A task's waker on a LocalSet does not change between polls, so one registration
        // suffices; a spurious poll before the deadline just waits on.
        if !self.registered {
            self.registered = true;
            if let Err(error) = self.timer.register(self.deadline, cx.waker()) {
                return Poll::Ready(Err(error));
            }
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on_a_worker<F: Future>(future: F) -> F::Output {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let local = tokio::task::LocalSet::new();
        local.block_on(&runtime, future)
    }

    #[test]
    fn sleepers_wake_no_earlier_than_their_deadlines_and_in_order() {
        on_a_worker(async {
            let timer = PreciseTimer::new().unwrap();
            tokio::task::spawn_local(timer.clone().drive());
            let start = Instant::now();
            let order = Rc::new(RefCell::new(Vec::new()));
            let mut tasks = Vec::new();
            // Registered out of order: the heap, not registration, decides who wakes first.
            for (label, micros) in [(2, 3_000u64), (0, 500), (1, 1_500)] {
                let timer = timer.clone();
                let order = order.clone();
                let deadline = start + Duration::from_micros(micros);
                tasks.push(tokio::task::spawn_local(async move {
                    timer.sleep_until(deadline).await.unwrap();
                    assert!(Instant::now() >= deadline);
                    order.borrow_mut().push(label);
                }));
            }
            for task in tasks {
                task.await.unwrap();
            }
            assert_eq!(*order.borrow(), vec![0, 1, 2]);
        });
    }

    #[test]
    fn a_past_deadline_is_ready_at_once() {
        on_a_worker(async {
            let timer = PreciseTimer::new().unwrap();
            // No driver spawned: a past deadline must not need it.
            let past = Instant::now() - Duration::from_millis(1);
            timer.sleep_until(past).await.unwrap();
        });
    }
}

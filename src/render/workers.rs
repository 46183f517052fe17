//! Document-level parallelism: one OS thread per core, each rendering one document at a time.
//!
//! Why not `par_iter` over documents: Typst parallelises inside a compilation with rayon, and a
//! rayon worker that waits on such an inner job steals whole *documents* from the outer
//! iterator. Documents then pile up on one stack (memory grows with N, latency is meaningless).
//! Plain threads pulling the next index keep exactly `threads` documents in flight; Typst's
//! inner jobs still run on rayon's global pool.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Typst's layout recurses deeply (tables in tables); rendering threads get a roomy stack.
pub const RENDER_STACK: usize = 64 << 20;

/// Documents rendered between two evictions of Typst's memoization cache.
const EVICT_EVERY: usize = 8;

/// How many evictions an unused cache entry survives: fonts, the parsed templates and
/// everything records share stay warm; what belonged to one record goes.
const EVICT_MAX_AGE: usize = 4;

/// Threads set by a command's `--jobs` (0: not set).
static JOBS: AtomicUsize = AtomicUsize::new(0);

/// Sets the number of rendering threads for the rest of the process (`--jobs N`).
pub fn set_threads(n: usize) {
    JOBS.store(n, Ordering::Relaxed);
}

/// Number of rendering threads: `--jobs`, else `WENSHU_THREADS`, else one per core.
pub fn threads() -> usize {
    let jobs = JOBS.load(Ordering::Relaxed);
    if jobs > 0 {
        return jobs;
    }
    std::env::var("WENSHU_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
}

/// Runs `job(i)` for every `i < count` on [`threads`] threads and returns the results in
/// index order. Typst's cache is trimmed every [`EVICT_EVERY`] documents so that memory
/// stays flat however many documents there are.
pub fn run<T: Send>(count: usize, job: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<T>>> = (0..count).map(|_| Mutex::new(None)).collect();
    let workers = threads().min(count.max(1));
    std::thread::scope(|scope| {
        let mut handles = Vec::with_capacity(workers);
        for w in 0..workers {
            let body = || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        break;
                    }
                    let out = job(i);
                    if let Ok(mut slot) = slots[i].lock() {
                        *slot = Some(out);
                    }
                    if (done.fetch_add(1, Ordering::Relaxed) + 1).is_multiple_of(EVICT_EVERY) {
                        typst::comemo::evict(EVICT_MAX_AGE);
                    }
                }
            };
            let spawned = std::thread::Builder::new()
                .name(format!("wenshu-render-{w}"))
                .stack_size(RENDER_STACK)
                .spawn_scoped(scope, body);
            match spawned {
                Ok(h) => handles.push(h),
                // Cannot start another thread: the ones already running (or this one,
                // inline) take the remaining documents.
                Err(_) if handles.is_empty() => body(),
                Err(_) => break,
            }
        }
        for h in handles {
            if let Err(panic) = h.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
    slots
        .into_iter()
        .map(|m| {
            m.into_inner()
                .ok()
                .flatten()
                .expect("every index below count was rendered")
        })
        .collect()
}

/// Runs `f` once on a rendering thread (for a single large document such as a register).
pub fn one<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    let f = Mutex::new(Some(f));
    run(1, |_| {
        let f = f.lock().ok().and_then(|mut g| g.take());
        f.map(|f| f())
    })
    .pop()
    .flatten()
    .expect("the single job ran")
}

/// Configures rayon's global pool (used by Typst inside a compilation) with the same roomy
/// stacks. Harmless if it was configured already.
pub fn init_global_pool() {
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(RENDER_STACK)
        .thread_name(|i| format!("wenshu-typst-{i}"))
        .build_global();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_index_order() {
        let out = run(200, |i| i * 3);
        assert_eq!(out, (0..200).map(|i| i * 3).collect::<Vec<_>>());
    }

    #[test]
    fn no_more_documents_in_flight_than_threads() {
        let in_flight = AtomicUsize::new(0);
        let peak = AtomicUsize::new(0);
        run(100, |_| {
            let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(1));
            in_flight.fetch_sub(1, Ordering::SeqCst);
        });
        assert!(peak.load(Ordering::SeqCst) <= threads());
    }
}

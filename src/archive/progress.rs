//! Progress of an archive run: on a terminal an indicatif bar (count, rate, ETA); otherwise
//! (a log, a batch job) one plain line every tenth of the way, so a cluster job's log shows it
//! is alive without a line per 件.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress reporter shared by the rendering threads.
pub struct Progress {
    bar: Option<ProgressBar>,
    total: u64,
    done: AtomicU64,
    started: std::time::Instant,
    printed: Mutex<u64>,
    quiet: bool,
}

impl Progress {
    /// A bar on a terminal, plain lines otherwise; nothing when `quiet`.
    pub fn new(total: usize, quiet: bool) -> Self {
        let total = total as u64;
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "归档 [{bar:30}] {pos}/{len} 件  {per_sec}  预计剩余 {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar
        });
        Self {
            bar,
            total,
            done: AtomicU64::new(0),
            started: std::time::Instant::now(),
            printed: Mutex::new(0),
            quiet,
        }
    }

    /// One 件 finished.
    pub fn advance(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(bar) = &self.bar {
            bar.set_position(done);
            return;
        }
        if self.quiet || self.total == 0 {
            return;
        }
        let tenth = done * 10 / self.total;
        if let Ok(mut last) = self.printed.lock()
            && tenth > *last
        {
            *last = tenth;
            let secs = self.started.elapsed().as_secs_f64().max(0.001);
            let rate = done as f64 / secs;
            let left = (self.total - done) as f64 / rate.max(0.001);
            eprintln!(
                "归档：{done}/{} 件（{rate:.1} 件/秒，预计剩余 {left:.0} 秒）",
                self.total
            );
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

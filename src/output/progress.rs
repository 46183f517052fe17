//! Signs of life for long runs (`fill`, `demo`, large registers): on a terminal an indicatif
//! bar with rows done, rate, ETA and rows refused so far; otherwise (a log, CI, a pipe) one
//! plain line every few seconds, so a 100,000-row batch never sits silent for minutes.
//!
//! The interval of plain lines is `WENSHU_PROGRESS_SECS` (default 10; 0 prints a line per row);
//! `WENSHU_PROGRESS=off` silences both.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A shared progress reporter; clones report to the same bar.
#[derive(Clone)]
pub struct Progress {
    inner: Option<Arc<Inner>>,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

struct Inner {
    label: String,
    unit: &'static str,
    total: AtomicU64,
    done: AtomicU64,
    refused: AtomicU64,
    started: Instant,
    stage: Mutex<String>,
    out: Output,
}

enum Output {
    Bar(ProgressBar),
    Lines {
        interval: Duration,
        last: Mutex<Option<Instant>>,
        sink: Mutex<Box<dyn Write + Send>>,
    },
}

impl Progress {
    /// Reports nothing.
    pub fn hidden() -> Self {
        Self { inner: None }
    }

    /// A bar on a terminal, plain lines on stderr otherwise (see the module documentation).
    pub fn auto(label: &str, unit: &'static str) -> Self {
        if std::env::var("WENSHU_PROGRESS").is_ok_and(|v| v == "off") {
            return Self::hidden();
        }
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{prefix} {msg} [{bar:30}] {pos}/{len} {per_sec} 预计剩余 {eta} ",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar.set_prefix(label.to_owned());
            return Self::new(label, unit, Output::Bar(bar));
        }
        let secs = std::env::var("WENSHU_PROGRESS_SECS")
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .unwrap_or(10);
        Self::lines(
            label,
            unit,
            Duration::from_secs(secs),
            Box::new(std::io::stderr()),
        )
    }

    /// Plain lines into `sink`, at most one per `interval` (and one at the end if any).
    pub fn lines(
        label: &str,
        unit: &'static str,
        interval: Duration,
        sink: Box<dyn Write + Send>,
    ) -> Self {
        Self::new(
            label,
            unit,
            Output::Lines {
                interval,
                last: Mutex::new(None),
                sink: Mutex::new(sink),
            },
        )
    }

    fn new(label: &str, unit: &'static str, out: Output) -> Self {
        Self {
            inner: Some(Arc::new(Inner {
                label: label.to_owned(),
                unit,
                total: AtomicU64::new(0),
                done: AtomicU64::new(0),
                refused: AtomicU64::new(0),
                started: Instant::now(),
                stage: Mutex::new(String::new()),
                out,
            })),
        }
    }

    /// Sets the number of items.
    pub fn set_total(&self, n: usize) {
        if let Some(i) = &self.inner {
            i.total.store(n as u64, Ordering::Relaxed);
            if let Output::Bar(b) = &i.out {
                b.set_length(n as u64);
            }
        }
    }

    /// Names the current stage (校验, 发号, 排版 …).
    pub fn stage(&self, stage: &str) {
        if let Some(i) = &self.inner {
            if let Ok(mut s) = i.stage.lock() {
                stage.clone_into(&mut s);
            }
            self.redraw(i, false);
        }
    }

    /// `n` items finished, `refused` of them refused.
    pub fn advance(&self, n: usize, refused: usize) {
        if let Some(i) = &self.inner {
            i.done.fetch_add(n as u64, Ordering::Relaxed);
            i.refused.fetch_add(refused as u64, Ordering::Relaxed);
            self.redraw(i, false);
        }
    }

    /// Runs `f`, one long step with no items of its own to count (laying out a large register):
    /// the bar keeps moving, and plain lines keep coming every interval (one at once), saying
    /// how long the step has run, so the run is never silent for minutes.
    pub fn busy<R>(&self, f: impl FnOnce() -> R) -> R {
        let Some(i) = self.inner.as_deref() else {
            return f();
        };
        let interval = match &i.out {
            Output::Bar(b) => {
                b.enable_steady_tick(Duration::from_millis(250));
                let r = f();
                b.disable_steady_tick();
                return r;
            }
            Output::Lines { interval, .. } => *interval,
        };
        let step = Instant::now();
        let stop = (Mutex::new(false), Condvar::new());
        std::thread::scope(|scope| {
            scope.spawn(|| {
                // A line at once when lines are due (as `stage` would), then one per interval;
                // never more often than once a second.
                if i.started.elapsed() >= interval {
                    self.busy_line(i, step);
                }
                let Ok(mut stopped) = stop.0.lock() else {
                    return;
                };
                loop {
                    match stop
                        .1
                        .wait_timeout(stopped, interval.max(Duration::from_secs(1)))
                    {
                        Ok((guard, _)) => stopped = guard,
                        Err(_) => return,
                    }
                    if *stopped {
                        return;
                    }
                    self.busy_line(i, step);
                }
            });
            let r = f();
            if let Ok(mut stopped) = stop.0.lock() {
                *stopped = true;
            }
            stop.1.notify_all();
            r
        })
    }

    fn busy_line(&self, i: &Inner, step: Instant) {
        if let Output::Lines { sink, last, .. } = &i.out {
            let stage = i.stage.lock().map(|s| s.clone()).unwrap_or_default();
            let line = format!(
                "{}：{stage}，进行中，已用时 {}\n",
                i.label,
                duration(step.elapsed().as_secs_f64())
            );
            if let Ok(mut l) = last.lock() {
                *l = Some(Instant::now());
            }
            if let Ok(mut s) = sink.lock() {
                let _ = s.write_all(line.as_bytes());
                let _ = s.flush();
            }
        }
    }

    /// Runs `f` (which prints) with the bar out of the way.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match self.inner.as_deref().map(|i| &i.out) {
            Some(Output::Bar(b)) => b.suspend(f),
            _ => f(),
        }
    }

    /// The run ended: clears the bar, or writes the last line if any line was written.
    pub fn finish(&self) {
        if let Some(i) = &self.inner {
            match &i.out {
                Output::Bar(b) => b.finish_and_clear(),
                Output::Lines { last, .. } => {
                    let printed = last.lock().is_ok_and(|l| l.is_some());
                    if printed {
                        self.redraw(i, true);
                    }
                }
            }
        }
    }

    fn redraw(&self, i: &Inner, force: bool) {
        let (done, total, refused) = (
            i.done.load(Ordering::Relaxed),
            i.total.load(Ordering::Relaxed),
            i.refused.load(Ordering::Relaxed),
        );
        let stage = i.stage.lock().map(|s| s.clone()).unwrap_or_default();
        match &i.out {
            Output::Bar(b) => {
                b.set_position(done);
                b.set_message(format!("{stage} 已拒绝 {refused}"));
            }
            Output::Lines {
                interval,
                last,
                sink,
            } => {
                let now = Instant::now();
                {
                    let Ok(mut last) = last.lock() else { return };
                    let due = last.is_none_or(|t| now.duration_since(t) >= *interval)
                        && now.duration_since(i.started) >= *interval;
                    if !force && !due {
                        return;
                    }
                    *last = Some(now);
                }
                let secs = i.started.elapsed().as_secs_f64().max(1e-3);
                let rate = done as f64 / secs;
                let eta = if rate > 0.0 && total > done {
                    format!("，预计还需 {}", duration((total - done) as f64 / rate))
                } else {
                    String::new()
                };
                let line = format!(
                    "{}：{stage} 已处理 {done}/{total} {}（已拒绝 {refused}），每秒 {rate:.1} {}，用时 {}{eta}\n",
                    i.label,
                    i.unit,
                    i.unit,
                    duration(secs)
                );
                if let Ok(mut s) = sink.lock() {
                    let _ = s.write_all(line.as_bytes());
                    let _ = s.flush();
                }
            }
        }
    }
}

/// `1 小时 2 分 5 秒`.
fn duration(secs: f64) -> String {
    let s = secs.round() as u64;
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, s) => format!("{s} 秒"),
        (0, m, s) => format!("{m} 分 {s} 秒"),
        (h, m, _) => format!("{h} 小时 {m} 分"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Default)]
    struct Buf(Arc<Mutex<Vec<u8>>>);
    impl Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("lock").extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn plain_lines_name_rows_refused_rate_and_eta() {
        let buf = Buf::default();
        let p = Progress::lines("请假申请单", "行", Duration::ZERO, Box::new(buf.clone()));
        p.set_total(4);
        p.stage("排版");
        p.advance(1, 1);
        p.advance(1, 0);
        p.finish();
        let text = String::from_utf8(buf.0.lock().expect("lock").clone()).expect("utf8");
        assert!(text.contains("已处理 2/4 行（已拒绝 1）"), "{text}");
        assert!(text.contains("每秒") && text.contains("预计还需"), "{text}");
    }

    #[test]
    fn a_long_step_says_it_is_still_running() {
        let buf = Buf::default();
        let p = Progress::lines("用印登记簿", "行", Duration::ZERO, Box::new(buf.clone()));
        p.set_total(30_000);
        p.stage("排版登记簿（30000 行）");
        let said = || {
            String::from_utf8(buf.0.lock().expect("lock").clone())
                .expect("utf8")
                .matches("排版登记簿（30000 行），进行中，已用时")
                .count()
        };
        // The step runs until it has heard twice from the progress (one line at once, one a
        // second later), or gives up after a minute.
        let r = p.busy(|| {
            let start = Instant::now();
            while said() < 2 && start.elapsed() < Duration::from_secs(60) {
                std::thread::sleep(Duration::from_millis(20));
            }
            7
        });
        assert_eq!(r, 7);
        assert!(said() >= 2, "one line at once, one after a second");
        // Hidden progress runs the step and says nothing.
        assert_eq!(Progress::hidden().busy(|| 3), 3);
    }

    #[test]
    fn quiet_before_the_interval() {
        let buf = Buf::default();
        let p = Progress::lines("x", "行", Duration::from_secs(3600), Box::new(buf.clone()));
        p.set_total(2);
        p.advance(2, 0);
        p.finish();
        assert!(buf.0.lock().expect("lock").is_empty());
    }
}

//! A progress bar on stderr for long runs, as users of other linters expect: shown only when
//! stderr is a terminal and not in CI, and only once a run has taken about a second (a draft
//! or a handful of files never sees one).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::run::Progress;

/// How long a run goes before the bar appears.
const DELAY: Duration = Duration::from_secs(1);
/// Overrides [`DELAY`] in milliseconds (tests show the bar at once).
const DELAY_ENV: &str = "CANDOR_PROGRESS_DELAY_MS";

/// Whether a run may show a progress bar: stderr is a terminal, output is not quieted, and
/// no CI system is named in the environment (`CI` is set by GitHub Actions, GitLab and most
/// others, and their logs are not terminals anyway).
pub fn wanted(stderr_is_terminal: bool, quiet: bool, ci: bool) -> bool {
    stderr_is_terminal && !quiet && !ci
}

/// A bar drawn by a thread of its own while the run goes; [`Bar::finish`] clears it.
pub struct Bar {
    finished: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Bar {
    /// Starts watching `progress` when [`wanted`] for this process; `None` otherwise.
    pub fn start(progress: &Arc<Progress>, quiet: bool) -> Option<Bar> {
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
        if !wanted(std::io::stderr().is_terminal(), quiet, ci) {
            return None;
        }
        let delay = std::env::var(DELAY_ENV)
            .ok()
            .and_then(|v| v.parse().ok())
            .map_or(DELAY, Duration::from_millis);
        let finished = Arc::new(AtomicBool::new(false));
        let (progress, done) = (progress.clone(), finished.clone());
        let thread = std::thread::spawn(move || draw(&progress, &done, delay));
        Some(Bar {
            finished,
            thread: Some(thread),
        })
    }

    /// Stops and clears the bar (before the report is printed).
    pub fn finish(mut self) {
        self.finished.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn draw(progress: &Progress, finished: &AtomicBool, delay: Duration) {
    let started = Instant::now();
    let tick = Duration::from_millis(50);
    // Wait out the delay, and until the files to lint are known.
    while started.elapsed() < delay || progress.total.load(Ordering::Relaxed) == 0 {
        if finished.load(Ordering::Relaxed) {
            return;
        }
        std::thread::sleep(tick);
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(progress.total.load(Ordering::Relaxed) as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("candor: {bar:30} {pos}/{len} files ({elapsed})")
    {
        bar.set_style(style);
    }
    while !finished.load(Ordering::Relaxed) {
        bar.set_length(progress.total.load(Ordering::Relaxed) as u64);
        bar.set_position(progress.done.load(Ordering::Relaxed) as u64);
        std::thread::sleep(tick);
    }
    bar.finish_and_clear();
}

#[cfg(test)]
mod tests {
    use super::wanted;

    #[test]
    fn only_a_terminal_outside_ci_gets_a_bar() {
        assert!(wanted(true, false, false));
        assert!(!wanted(false, false, false), "a pipe or a file");
        assert!(!wanted(true, true, false), "--quiet");
        assert!(!wanted(true, false, true), "CI");
    }
}

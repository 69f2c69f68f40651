//! Progress bars (indicatif) on a terminal only: none when stderr is not a TTY
//! or with `--quiet`, so cron logs stay clean.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

#[derive(Debug, Clone, Copy)]
pub struct Progress {
    enabled: bool,
}

impl Progress {
    /// Bars when stderr is a terminal and the user did not ask for quiet.
    pub fn new(quiet: bool) -> Progress {
        Progress {
            enabled: !quiet && std::io::stderr().is_terminal(),
        }
    }

    pub fn hidden() -> Progress {
        Progress { enabled: false }
    }

    /// A bar of `len` steps labelled `msg`, counted in `unit` (`行`,
    /// `个分区`, `个文件`; hidden when disabled).
    pub fn bar(&self, len: u64, msg: &str, unit: &str) -> ProgressBar {
        if !self.enabled {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(len);
        let template = format!("{{msg:30}} [{{bar:30}}] {{pos}}/{{len}} {unit} {{percent}}%");
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(msg.to_string());
        bar
    }

    /// A bar over `total` bytes (all inputs): percentage, MB/s and the time
    /// left (issue 16; hidden when disabled).
    pub fn bytes(&self, total: u64, msg: &str) -> ProgressBar {
        if !self.enabled {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(total);
        if let Ok(style) = ProgressStyle::with_template(
            "{msg:30} [{bar:30}] {percent}% {decimal_bytes}/{decimal_total_bytes} {decimal_bytes_per_sec} 剩余 {eta}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(msg.to_string());
        bar
    }

    /// A spinner for a stage of unknown length (joining, writing).
    pub fn stage(&self, msg: &str) -> ProgressBar {
        if !self.enabled {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
            bar.set_style(style);
        }
        bar.set_message(msg.to_string());
        bar.enable_steady_tick(std::time::Duration::from_millis(100));
        bar
    }
}

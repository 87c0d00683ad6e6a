//! Waiting for a child process to say something, instead of sleeping and
//! hoping it got there: a test that sleeps is slow on a fast machine and
//! flaky on a slow one.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, ErrorKind, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

/// How many of the last lines seen are kept to explain a failed wait.
const RECENT: usize = 20;

/// How often a log file is read again for new lines.
const FILE_POLL: Duration = Duration::from_millis(20);

/// Why no matching line was found.
#[derive(Debug, thiserror::Error)]
pub enum WaitError {
    /// The time ran out first.
    #[error("no matching line within {waited:?}; the last lines were:\n{}", .recent.join("\n"))]
    Timeout {
        /// How long we waited.
        waited: Duration,
        /// The last lines seen, oldest first.
        recent: Vec<String>,
    },
    /// The output ended first (the process exited or closed it).
    #[error("the output ended before a matching line; the last lines were:\n{}", .recent.join("\n"))]
    Closed {
        /// The last lines seen, oldest first.
        recent: Vec<String>,
    },
    /// The log file could not be read.
    #[error("could not read {}: {source}", .path.display())]
    Io {
        /// The file being watched.
        path: PathBuf,
        /// What the OS reported.
        source: std::io::Error,
    },
}

/// The last few lines seen, for error messages.
#[derive(Debug, Default)]
struct Recent(VecDeque<String>);

impl Recent {
    fn push(&mut self, line: &str) {
        if self.0.len() == RECENT {
            self.0.pop_front();
        }
        self.0.push_back(line.to_owned());
    }

    fn to_vec(&self) -> Vec<String> {
        self.0.iter().cloned().collect()
    }
}

/// Watches the lines of a stream (typically a child's stdout or stderr) so a
/// test can wait for one line after another.
///
/// A thread reads the stream to its end even after the watcher is dropped,
/// so the child never blocks on a full pipe.
///
/// ```no_run
/// # use oneloop::testing::xvfb::LineWatcher;
/// # use std::{process::{Command, Stdio}, time::Duration};
/// let mut app = Command::new("target/debug/examples/file_loader")
///     .stderr(Stdio::piped())
///     .spawn()
///     .unwrap();
/// let mut log = LineWatcher::new(app.stderr.take().unwrap());
/// log.wait_for(|line| line.contains("window shown"), Duration::from_secs(10)).unwrap();
/// ```
#[derive(Debug)]
pub struct LineWatcher {
    lines: Receiver<String>,
    recent: Recent,
}

impl LineWatcher {
    /// Starts reading `stream` line by line on a thread of its own.
    pub fn new<R: Read + Send + 'static>(stream: R) -> Self {
        let (tx, lines) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stream);
            let mut buf = Vec::new();
            while matches!(reader.read_until(b'\n', &mut buf), Ok(n) if n > 0) {
                // A dropped watcher stops listening, not reading: see above.
                let _ = tx.send(decode(&buf));
                buf.clear();
            }
        });
        Self {
            lines,
            recent: Recent::default(),
        }
    }

    /// Waits for a line that starts with `prefix` and returns the rest of
    /// it, trimmed: e.g. the address after `"listening on "`.
    pub fn wait_for_value(&mut self, prefix: &str, timeout: Duration) -> Result<String, WaitError> {
        let line = self.wait_for(|l| l.starts_with(prefix), timeout)?;
        Ok(line[prefix.len()..].trim().to_owned())
    }

    /// Waits for the next line for which `matches` is true and returns it
    /// (without its line ending). Lines before it are consumed; lines after
    /// it stay for the next call.
    pub fn wait_for(
        &mut self,
        mut matches: impl FnMut(&str) -> bool,
        timeout: Duration,
    ) -> Result<String, WaitError> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.recent.push(&line);
                    if matches(&line) {
                        return Ok(line);
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    return Err(WaitError::Timeout {
                        waited: timeout,
                        recent: self.recent.to_vec(),
                    })
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(WaitError::Closed {
                        recent: self.recent.to_vec(),
                    })
                }
            }
        }
    }
}

/// Waits for the first line of `stream` for which `matches` is true; a
/// one-shot [`LineWatcher`].
pub fn wait_for_line<R: Read + Send + 'static>(
    stream: R,
    matches: impl FnMut(&str) -> bool,
    timeout: Duration,
) -> Result<String, WaitError> {
    LineWatcher::new(stream).wait_for(matches, timeout)
}

/// Waits until the file at `path` has a complete line for which `matches` is
/// true, for a child that logs to a file. The file may not exist yet.
///
/// Files give no readiness signal without platform code, so this reads the
/// new bytes every 20 ms; only complete (newline-terminated) lines count.
pub fn wait_for_line_in_file(
    path: &Path,
    mut matches: impl FnMut(&str) -> bool,
    timeout: Duration,
) -> Result<String, WaitError> {
    let deadline = Instant::now() + timeout;
    let mut offset = 0;
    let mut pending = Vec::new();
    let mut recent = Recent::default();
    let io_error = |source| WaitError::Io {
        path: path.to_owned(),
        source,
    };
    loop {
        match File::open(path) {
            Ok(mut file) => {
                file.seek(SeekFrom::Start(offset)).map_err(io_error)?;
                offset += file.read_to_end(&mut pending).map_err(io_error)? as u64;
                while let Some(end) = pending.iter().position(|&b| b == b'\n') {
                    let line = decode(&pending.drain(..=end).collect::<Vec<_>>());
                    recent.push(&line);
                    if matches(&line) {
                        return Ok(line);
                    }
                }
            }
            Err(err) if err.kind() == ErrorKind::NotFound => {}
            Err(err) => return Err(io_error(err)),
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(WaitError::Timeout {
                waited: timeout,
                recent: recent.to_vec(),
            });
        }
        thread::sleep(left.min(FILE_POLL));
    }
}

/// One line of output as text, without its line ending; children may print
/// anything, so invalid UTF-8 is replaced rather than an error.
fn decode(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw)
        .trim_end_matches(['\n', '\r'])
        .to_owned()
}

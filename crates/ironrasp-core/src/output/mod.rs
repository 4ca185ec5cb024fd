//! Output never blocks a request: events go through a bounded queue to one background worker
//! that writes console lines and JSON lines. When the queue is full, events are dropped and
//! counted, never silently.

use crate::config::{Console, LogConfig};
use crate::event::Event;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

enum Message {
    Event(Box<Event>),
    Text(String),
    Flush(std::sync::mpsc::Sender<()>),
}

/// Counters of the output path.
#[derive(Debug, Default)]
pub struct OutputStats {
    pub written: AtomicU64,
    pub dropped: AtomicU64,
    pub write_errors: AtomicU64,
}

/// Handle to the output worker.
pub struct Output {
    tx: Mutex<Option<SyncSender<Message>>>,
    worker: Mutex<Option<JoinHandle<()>>>,
    pub stats: Arc<OutputStats>,
}

impl Output {
    /// Starts the worker. Fails only when the JSON-lines file cannot be opened.
    pub fn start(cfg: &LogConfig) -> Result<Output, String> {
        let file = if cfg.json_file.is_empty() {
            None
        } else {
            Some(
                OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&cfg.json_file)
                    .map_err(|e| format!("cannot open log.json_file '{}': {e}", cfg.json_file))?,
            )
        };
        let (tx, rx) = sync_channel(cfg.queue_size);
        let stats = Arc::new(OutputStats::default());
        let st = stats.clone();
        let console = cfg.console;
        let worker = std::thread::Builder::new()
            .name("ironrasp-output".into())
            .spawn(move || run(rx, console, file, st))
            .map_err(|e| format!("cannot start the output worker: {e}"))?;
        Ok(Output {
            tx: Mutex::new(Some(tx)),
            worker: Mutex::new(Some(worker)),
            stats,
        })
    }

    fn send(&self, m: Message) {
        let guard = self.tx.lock().unwrap_or_else(|e| e.into_inner());
        let Some(tx) = guard.as_ref() else { return };
        match tx.try_send(m) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => {
                self.stats.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Queues an event.
    pub fn event(&self, e: Event) {
        self.send(Message::Event(Box::new(e)));
    }

    /// Queues a console text (banner).
    pub fn text(&self, t: String) {
        self.send(Message::Text(t));
    }

    /// Waits until everything queued so far is written (tests, shutdown).
    pub fn flush(&self) {
        let (tx, rx) = std::sync::mpsc::channel();
        let sender = self.tx.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(s) = sender {
            if s.send(Message::Flush(tx)).is_ok() {
                let _ = rx.recv_timeout(std::time::Duration::from_secs(5));
            }
        }
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        self.tx.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(w) = self.worker.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = w.join();
        }
    }
}

fn run(rx: Receiver<Message>, console: Console, file: Option<File>, stats: Arc<OutputStats>) {
    let mut file = file.map(BufWriter::new);
    let console_line = |s: &str| {
        let r = match console {
            Console::Stdout => writeln!(std::io::stdout().lock(), "{s}"),
            Console::Stderr => writeln!(std::io::stderr().lock(), "{s}"),
            Console::Off => Ok(()),
        };
        if r.is_err() {
            stats.write_errors.fetch_add(1, Ordering::Relaxed);
        }
    };
    while let Ok(m) = rx.recv() {
        match m {
            Message::Event(e) => {
                console_line(&e.console_line());
                if let Some(f) = file.as_mut() {
                    if writeln!(f, "{}", e.to_json()).is_err() {
                        stats.write_errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
                stats.written.fetch_add(1, Ordering::Relaxed);
            }
            Message::Text(t) => console_line(&t),
            Message::Flush(done) => {
                if let Some(f) = file.as_mut() {
                    let _ = f.flush();
                }
                let _ = std::io::stdout().flush();
                let _ = done.send(());
            }
        }
        // Events are rare: write each one through, so a crash loses nothing.
        if let Some(f) = file.as_mut() {
            let _ = f.flush();
        }
    }
    if let Some(f) = file.as_mut() {
        let _ = f.flush();
    }
}

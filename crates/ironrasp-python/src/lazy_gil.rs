//! Giving up the GIL only when inspection has real work to do. Handing the GIL over and back
//! costs more than a request the engine answers from its memos (measured in a Bottle app:
//! ~1.7 µs per request), and under load it can cost a switch interval, so the engine calls
//! back right before its first costly step (see `Engine::inspect_request_gated`) and the GIL
//! is released from there on.

use pyo3::ffi;
use pyo3::Python;

/// The GIL of the calling thread, released at most once and taken back when dropped.
pub struct LazyRelease<'py> {
    _py: Python<'py>,
    saved: *mut ffi::PyThreadState,
}

impl<'py> LazyRelease<'py> {
    pub fn new(py: Python<'py>) -> Self {
        LazyRelease {
            _py: py,
            saved: std::ptr::null_mut(),
        }
    }

    /// Releases the GIL. From here until this value is dropped, the thread must not touch
    /// any Python object: only engine code (pure Rust) runs in between.
    pub fn release(&mut self) {
        if self.saved.is_null() {
            // SAFETY: the GIL is held (`Python<'py>` proves it); the thread state is kept and
            // restored exactly once, in `drop`.
            self.saved = unsafe { ffi::PyEval_SaveThread() };
        }
    }
}

impl Drop for LazyRelease<'_> {
    fn drop(&mut self) {
        if !self.saved.is_null() {
            // SAFETY: `saved` came from PyEval_SaveThread on this thread and is restored once.
            unsafe { ffi::PyEval_RestoreThread(self.saved) };
        }
    }
}

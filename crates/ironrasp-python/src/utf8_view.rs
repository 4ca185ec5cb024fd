//! A Python `str` read as borrowed UTF-8.
//!
//! `PyUnicode_AsUTF8AndSize` (in the stable ABI since 3.10, which this module is built for)
//! returns an ASCII string's own buffer, and caches the UTF-8 form of any other in the string:
//! reading a request allocates nothing but the Rust text the engine's `Request` owns. pyo3's
//! `to_str` validates those bytes again under the stable ABI; CPython only hands out valid
//! UTF-8 there, and that second pass cost ~10% of reading an environ.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyString;
use std::borrow::Cow;

/// The UTF-8 text of `s`, borrowed from `s` itself. A string that is not valid Unicode (a lone
/// surrogate) raises `UnicodeEncodeError`, as `to_str` does.
pub(crate) fn utf8<'a>(s: &'a Bound<'_, PyString>) -> PyResult<&'a str> {
    // SAFETY: `s` is a live `str` and the GIL is held (it is a `Bound`); it outlives `'a`.
    unsafe { utf8_of_ptr(s.py(), s.as_ptr()) }
}

/// As [`utf8`], for a borrowed pointer to a `str`.
///
/// # Safety
/// `s` must point to a live `str` that stays alive for `'a`. The buffer returned is owned by
/// the string (its UTF-8 form, cached in it) and lives as long as it; `str` objects are
/// immutable, so the bytes never change. CPython returns only valid UTF-8 here (a string that
/// has none fails instead).
pub(crate) unsafe fn utf8_of_ptr<'a>(py: Python<'_>, s: *mut ffi::PyObject) -> PyResult<&'a str> {
    let mut size: ffi::Py_ssize_t = 0;
    let data = ffi::PyUnicode_AsUTF8AndSize(s, &mut size);
    if data.is_null() {
        return Err(PyErr::fetch(py));
    }
    let len = usize::try_from(size).unwrap_or(0);
    Ok(std::str::from_utf8_unchecked(std::slice::from_raw_parts(
        data.cast::<u8>(),
        len,
    )))
}

/// Like `utf8`, but text that is not valid Unicode is replaced (U+FFFD) instead of refused.
pub(crate) fn utf8_lossy<'a>(s: &'a Bound<'_, PyString>) -> Cow<'a, str> {
    match utf8(s) {
        Ok(t) => Cow::Borrowed(t),
        Err(_) => s.to_string_lossy(),
    }
}

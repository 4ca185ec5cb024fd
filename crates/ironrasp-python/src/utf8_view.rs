//! A Python `str` read as borrowed UTF-8.
//!
//! Built for the 3.9 stable ABI, pyo3 reads every `str` through `str.encode()`: a new bytes
//! object, then a Rust copy of it, because `PyUnicode_AsUTF8AndSize` entered the stable ABI only
//! in 3.10. Every CPython 3 exports that function all the same, and for an ASCII string (nearly
//! every environ key, header and query) it returns the string's own buffer: reading a request
//! then allocates nothing but the Rust text the engine's `Request` owns.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyString;
use std::borrow::Cow;
use std::os::raw::c_char;

extern "C" {
    fn PyUnicode_AsUTF8AndSize(
        unicode: *mut ffi::PyObject,
        size: *mut ffi::Py_ssize_t,
    ) -> *const c_char;
}

/// The UTF-8 text of `s`, borrowed from `s` itself. A string that is not valid Unicode (a lone
/// surrogate) gives the same `UnicodeEncodeError` as pyo3's `to_cow`.
pub(crate) fn utf8<'a>(s: &'a Bound<'_, PyString>) -> PyResult<&'a str> {
    let mut size: ffi::Py_ssize_t = 0;
    // SAFETY: `s` is a live `str` and the GIL is held (it is a `Bound`). The buffer returned is
    // owned by `s` (its UTF-8 form, cached in it) and lives as long as `s`, which outlives the
    // borrow `'a`; `str` objects are immutable, so the bytes never change. CPython returns only
    // valid UTF-8 here (a string that has none fails instead), as pyo3's own `to_str` relies on.
    unsafe {
        let data = PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut size);
        if data.is_null() {
            return Err(PyErr::fetch(s.py()));
        }
        let len = usize::try_from(size).unwrap_or(0);
        Ok(std::str::from_utf8_unchecked(std::slice::from_raw_parts(
            data.cast::<u8>(),
            len,
        )))
    }
}

/// Like `utf8`, but text that is not valid Unicode is replaced (U+FFFD) instead of refused.
pub(crate) fn utf8_lossy<'a>(s: &'a Bound<'_, PyString>) -> Cow<'a, str> {
    match utf8(s) {
        Ok(t) => Cow::Borrowed(t),
        Err(_) => s.to_string_lossy(),
    }
}

//! Reading loosely typed Python values (event dicts, header mappings) into Rust text, the way
//! the adapters used to in Python: missing or None means absent, scalars become `str(value)`,
//! invalid text (lone surrogates) is replaced rather than raising.

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyMapping, PyString, PyTuple};

/// `m.get(key)` for a dict or any Mapping; None, a missing key or a non-mapping give None.
pub(crate) fn get<'py>(m: &Bound<'py, PyAny>, key: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    let found = if let Ok(d) = m.downcast::<PyDict>() {
        d.get_item(key)?
    } else if let Ok(map) = m.downcast::<PyMapping>() {
        match map.get_item(key) {
            Ok(v) => Some(v),
            Err(e) if e.is_instance_of::<pyo3::exceptions::PyKeyError>(m.py()) => None,
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    Ok(found.filter(|v| !v.is_none()))
}

/// Like `get`, but a falsy value (empty string, empty dict, 0) counts as absent too, as in
/// Python's `m.get(key) or default`.
pub(crate) fn get_truthy<'py>(
    m: &Bound<'py, PyAny>,
    key: &str,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    match get(m, key)? {
        Some(v) if v.is_truthy()? => Ok(Some(v)),
        _ => Ok(None),
    }
}

/// True when `m` is a dict or a Mapping.
pub(crate) fn is_mapping(m: &Bound<'_, PyAny>) -> bool {
    m.downcast::<PyDict>().is_ok() || m.downcast::<PyMapping>().is_ok()
}

/// `str(v)` as Rust text; None gives "".
pub(crate) fn text(v: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = v.downcast::<PyString>() {
        return Ok(py_str(s));
    }
    if v.is_none() {
        return Ok(String::new());
    }
    Ok(py_str(&v.str()?))
}

/// Raw header or query bytes as text: UTF-8 when they are UTF-8, else latin-1 (as WSGI does).
pub(crate) fn bytes_text(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => raw.iter().map(|&b| b as char).collect(),
    }
}

/// Like `text`, but bytes (ASGI headers and query strings) are decoded by `bytes_text`.
pub(crate) fn text_or_bytes(v: &Bound<'_, PyAny>) -> PyResult<String> {
    match v.downcast::<PyBytes>() {
        Ok(b) => Ok(bytes_text(b.as_bytes())),
        Err(_) => text(v),
    }
}

fn py_str(s: &Bound<'_, PyString>) -> String {
    crate::utf8_view::utf8_lossy(s).into_owned()
}

/// Text of `m[key]`, or `default` when it is absent or falsy.
pub(crate) fn text_or(m: &Bound<'_, PyAny>, key: &str, default: &str) -> PyResult<String> {
    match get_truthy(m, key)? {
        Some(v) => text(&v),
        None => Ok(default.to_string()),
    }
}

/// Calls `f(key, value)` for every item of a dict or of anything with `items()` (a Mapping);
/// anything else (a list, a string where a map was expected) gives nothing.
pub(crate) fn for_each_item<'py>(
    m: &Bound<'py, PyAny>,
    mut f: impl FnMut(Bound<'py, PyAny>, Bound<'py, PyAny>) -> PyResult<()>,
) -> PyResult<()> {
    if let Ok(d) = m.downcast::<PyDict>() {
        for (k, v) in d.iter() {
            f(k, v)?;
        }
    } else if !m.is_none()
        && m.downcast::<PyList>().is_err()
        && m.downcast::<PyString>().is_err()
        && m.hasattr(intern!(m.py(), "items"))?
    {
        for item in m.call_method0(intern!(m.py(), "items"))?.try_iter()? {
            let (k, v) = pair(&item?)?;
            f(k, v)?;
        }
    }
    Ok(())
}

/// Calls `f(element)` for every element of a list or tuple; a lone scalar counts as one
/// element, None as none.
pub(crate) fn for_each_element<'py>(
    v: &Bound<'py, PyAny>,
    mut f: impl FnMut(Bound<'py, PyAny>) -> PyResult<()>,
) -> PyResult<()> {
    if let Ok(l) = v.downcast::<PyList>() {
        for x in l.iter() {
            f(x)?;
        }
    } else if let Ok(t) = v.downcast::<PyTuple>() {
        for x in t.iter() {
            f(x)?;
        }
    } else if !v.is_none() {
        f(v.clone())?;
    }
    Ok(())
}

/// Header pairs from a sequence of (name, value) pairs or from a mapping (a dict, Azure's,
/// aiohttp's or Werkzeug's header objects: anything with `items()`). Names and values may be
/// text or bytes (ASGI's raw pairs).
pub(crate) fn header_pairs(h: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut push = |k: Bound<'_, PyAny>, v: Bound<'_, PyAny>| -> PyResult<()> {
        out.push((text_or_bytes(&k)?, text_or_bytes(&v)?));
        Ok(())
    };
    if h.is_none() {
    } else if h.downcast::<PyDict>().is_ok() {
        for_each_item(h, push)?;
    } else {
        // Checked in order of cost: no abstract-base-class test on the way.
        let sequence = h.downcast::<PyList>().is_ok() || h.downcast::<PyTuple>().is_ok();
        let pairs = if !sequence && h.hasattr(intern!(h.py(), "items"))? {
            h.call_method0(intern!(h.py(), "items"))?
        } else {
            h.clone()
        };
        for item in pairs.try_iter()? {
            let (k, v) = pair(&item?)?;
            push(k, v)?;
        }
    }
    Ok(out)
}

/// The two items of a `(name, value)` tuple or a `[name, value]` list (ASGI allows both).
fn pair<'py>(item: &Bound<'py, PyAny>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    if let Ok(l) = item.downcast::<PyList>() {
        if l.len() == 2 {
            return Ok((l.get_item(0)?, l.get_item(1)?));
        }
    }
    item.extract::<(Bound<'py, PyAny>, Bound<'py, PyAny>)>()
}

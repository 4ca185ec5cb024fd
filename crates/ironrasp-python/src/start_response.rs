//! The `start_response` a WSGI application is handed: it passes the status and headers to the
//! engine's response checks when the status is one they act on, then calls the server's own.
//! Native, because a Python closure per request cost the WSGI adapter about as many
//! instructions as the rest of its request path.

use crate::{guarded, py_read};
use ironrasp_core::{Engine, Response};
use pyo3::gc::{PyTraverseError, PyVisit};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::PyString;
use std::sync::Arc;

/// Not frozen: `__clear__` must be able to drop the server's callable, since an application
/// that keeps this object (a streaming response's generator does) can close a reference
/// cycle through the server's handler.
#[pyclass(module = "ironrasp._engine")]
pub(crate) struct StartResponse {
    engine: Arc<Engine>,
    inner: Option<Py<PyAny>>,
    client: String,
    method: String,
    path: String,
    error_counted: bool,
}

impl StartResponse {
    pub(crate) fn new(
        engine: Arc<Engine>,
        inner: Py<PyAny>,
        (client, method, path): (&str, &str, &str),
        error_counted: bool,
    ) -> Self {
        StartResponse {
            engine,
            inner: Some(inner),
            client: client.to_owned(),
            method: method.to_owned(),
            path: path.to_owned(),
            error_counted,
        }
    }

    fn inspect(&self, py: Python<'_>, status: u16, headers: &Bound<'_, PyAny>) -> PyResult<()> {
        let resp = Response {
            status,
            headers: py_read::header_pairs(headers)?,
        };
        let engine = &*self.engine;
        let (client, method, path) = (&*self.client, &*self.method, &*self.path);
        guarded(py, || {
            engine.inspect_response(client, method, path, &resp, self.error_counted)
        })?;
        Ok(())
    }
}

/// The numeric code of a WSGI status line ("404 Not Found" -> 404).
fn status_code(status: &Bound<'_, PyAny>) -> Option<u16> {
    let text = crate::utf8_view::utf8(status.downcast::<PyString>().ok()?).ok()?;
    let digits = text.as_bytes().get(..3)?;
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0, |n, d| n * 10 + u16::from(d - b'0')))
}

#[pymethods]
impl StartResponse {
    #[pyo3(signature = (status, headers, exc_info=None))]
    fn __call__(
        &self,
        py: Python<'_>,
        status: &Bound<'_, PyAny>,
        headers: &Bound<'_, PyAny>,
        exc_info: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        if let Some(code) = status_code(status) {
            if self.engine.response_statuses().contains(&code) {
                // The response goes out whatever happens here: a failure is logged, never raised.
                if let Err(e) = self.inspect(py, code, headers) {
                    log_failure(py, e);
                }
            }
        }
        let Some(inner) = &self.inner else {
            return Err(pyo3::exceptions::PyRuntimeError::new_err(
                "start_response called after it was cleared",
            ));
        };
        match exc_info {
            Some(x) if !x.is_none() => inner.call1(py, (status, headers, x)),
            _ => inner.call1(py, (status, headers)),
        }
    }

    fn __traverse__(&self, visit: PyVisit<'_>) -> Result<(), PyTraverseError> {
        if let Some(inner) = &self.inner {
            visit.call(inner)?;
        }
        Ok(())
    }

    fn __clear__(&mut self) {
        self.inner = None;
    }
}

/// Logs a failed response inspection on the "ironrasp" logger, with its traceback.
fn log_failure(py: Python<'_>, e: PyErr) {
    let logged = py.import(intern!(py, "logging")).and_then(|logging| {
        let log = logging.call_method1(intern!(py, "getLogger"), ("ironrasp",))?;
        let kwargs = pyo3::types::PyDict::new(py);
        kwargs.set_item("exc_info", e.value(py))?;
        log.call_method(
            intern!(py, "error"),
            ("ironrasp: response inspection failed",),
            Some(&kwargs),
        )
    });
    if let Err(e) = logged {
        e.write_unraisable(py, None);
    }
}

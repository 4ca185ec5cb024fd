//! PyO3 bindings for ironrasp-core, and nothing else: argument conversion, one call into the
//! engine per request or response with the GIL released for real work (see lazy_gil.rs), and
//! conversion of the verdict.
//! A panic inside the engine becomes `ironrasp.EngineError`, which the adapters catch (fail
//! open by default).

/// Inspection allocates many short strings (leaves, views, paths); mimalloc serves them in
/// about two thirds of the instructions glibc's allocator needs. It only serves this module's
/// Rust allocations; Python's objects keep Python's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod azure_request;
mod lambda_event;
mod lazy_gil;
mod py_read;
mod start_response;
mod url_text;
mod utf8_view;
mod wsgi_environ;

use ironrasp_core::config::Source;
use ironrasp_core::{Config, Engine, Event, Request, Response, Verdict};
use pyo3::create_exception;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFrozenSet, PyList, PyString};
use start_response::StartResponse;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::Arc;
use utf8_view::utf8;
use wsgi_environ::EnvironParts;

create_exception!(
    _engine,
    ConfigError,
    PyValueError,
    "A configuration key is unknown or has a bad value."
);
create_exception!(
    _engine,
    EngineError,
    PyRuntimeError,
    "IronRASP failed internally on a request."
);

fn config_error(e: ironrasp_core::ConfigError) -> PyErr {
    let err = ConfigError::new_err(e.to_string());
    Python::attach(|py| {
        let v = err.value(py);
        let _ = v.setattr("key", e.key.clone());
        let _ = v.setattr("problem", e.message.clone());
    });
    err
}

/// Runs engine work without the GIL, turning a panic into EngineError.
fn guarded<T: Send>(py: Python<'_>, f: impl FnOnce() -> T + Send) -> PyResult<T> {
    py.detach(|| catch_unwind(AssertUnwindSafe(f)))
        .map_err(|_| EngineError::new_err("ironrasp engine panicked while inspecting"))
}

/// The engine, compiled from a configuration.
#[pyclass(frozen, module = "ironrasp._engine")]
struct NativeEngine {
    inner: Arc<Engine>,
}

/// The decision for one request or response. Its text fields become Python strings only when
/// read (most are never read for a request that passes), straight from the Rust text.
#[pyclass(frozen, module = "ironrasp._engine")]
struct NativeVerdict {
    #[pyo3(get)]
    blocked: bool,
    #[pyo3(get)]
    status: u16,
    body: String,
    content_type: String,
    client: String,
    #[pyo3(get)]
    error_counted: bool,
    /// Method and path of the request as the engine read them ("" for a response): what the
    /// adapter hands back to `inspect_response`.
    method: String,
    path: String,
    events: Vec<Event>,
    /// For `inspect_wsgi` given the server's start_response: what the application is to be
    /// handed (the server's own when no response check is on).
    start_response: Option<Py<PyAny>>,
}

#[pymethods]
impl NativeVerdict {
    #[getter]
    fn body<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        PyString::new(py, &self.body)
    }

    #[getter]
    fn content_type<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        PyString::new(py, &self.content_type)
    }

    #[getter]
    fn client<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        PyString::new(py, &self.client)
    }

    #[getter]
    fn method<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        PyString::new(py, &self.method)
    }

    #[getter]
    fn path<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        PyString::new(py, &self.path)
    }

    /// The start_response to hand the application (see `inspect_wsgi`), else None.
    #[getter]
    fn start_response(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.start_response.as_ref().map(|s| s.clone_ref(py))
    }

    /// Events of this verdict as dicts (built on access).
    #[getter]
    fn events<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for e in &self.events {
            list.append(json_to_py(
                py,
                &serde_json::to_value(e).unwrap_or_default(),
            )?)?;
        }
        Ok(list)
    }

    fn __repr__(&self) -> String {
        format!(
            "Verdict(blocked={}, status={}, client={:?}, events={})",
            if self.blocked { "True" } else { "False" },
            self.status,
            self.client,
            self.events.len()
        )
    }
}

impl From<Verdict> for NativeVerdict {
    fn from(v: Verdict) -> Self {
        NativeVerdict {
            blocked: v.blocked,
            status: v.status,
            body: v.body,
            content_type: v.content_type,
            client: v.client,
            error_counted: v.error_counted,
            method: String::new(),
            path: String::new(),
            events: v.events,
            start_response: None,
        }
    }
}

fn json_to_py<'py>(py: Python<'py>, v: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value as J;
    Ok(match v {
        J::Null => py.None().into_bound(py),
        J::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        J::Number(n) => match n.as_i64() {
            Some(i) => i.into_pyobject(py)?.into_any(),
            None => n.as_f64().unwrap_or(0.0).into_pyobject(py)?.into_any(),
        },
        J::String(s) => PyString::new(py, s).into_any(),
        J::Array(a) => {
            let l = PyList::empty(py);
            for x in a {
                l.append(json_to_py(py, x)?)?;
            }
            l.into_any()
        }
        J::Object(o) => {
            let d = PyDict::new(py);
            for (k, x) in o {
                d.set_item(k, json_to_py(py, x)?)?;
            }
            d.into_any()
        }
    })
}

impl NativeEngine {
    /// Inspects a request, the GIL released once there is real work (see lazy_gil.rs); the
    /// verdict carries its method and path.
    fn run_request(&self, py: Python<'_>, req: Request) -> PyResult<NativeVerdict> {
        self.run_gated(py, req, |engine, req, now, gate| {
            engine.inspect_request_gated(req, now, gate)
        })
    }

    fn run_gated(
        &self,
        py: Python<'_>,
        req: Request,
        inspect: impl FnOnce(&Engine, &Request, f64, &mut dyn FnMut()) -> Verdict,
    ) -> PyResult<NativeVerdict> {
        let engine = &*self.inner;
        let now = ironrasp_core::engine::now_unix();
        // The GIL is given up once inspection needs more than its memos (see lazy_gil.rs).
        let mut gil = lazy_gil::LazyRelease::new(py);
        let verdict = catch_unwind(AssertUnwindSafe(|| {
            inspect(engine, &req, now, &mut || gil.release())
        }));
        drop(gil);
        let verdict = verdict
            .map_err(|_| EngineError::new_err("ironrasp engine panicked while inspecting"))?;
        Ok(NativeVerdict {
            method: req.method,
            path: req.path,
            ..verdict.into()
        })
    }

    fn run_response(
        &self,
        py: Python<'_>,
        (client, method, path): (&str, &str, &str),
        resp: Response,
        error_counted: bool,
    ) -> PyResult<NativeVerdict> {
        let engine = &*self.inner;
        guarded(py, || {
            engine.inspect_response(client, method, path, &resp, error_counted)
        })
        .map(Into::into)
    }
}

#[pymethods]
impl NativeEngine {
    /// `kind` is "defaults", "file", "toml" or "json"; `env` the process environment pairs.
    #[new]
    #[pyo3(signature = (kind, source, env))]
    fn new(
        py: Python<'_>,
        kind: &str,
        source: Option<String>,
        env: Vec<(String, String)>,
    ) -> PyResult<Self> {
        let src = source.unwrap_or_default();
        let source = match kind {
            "defaults" => Source::Defaults,
            "file" => Source::File(Path::new(&src)),
            "toml" => Source::Toml(&src),
            "json" => Source::Json(&src),
            other => {
                return Err(PyValueError::new_err(format!(
                    "unknown configuration kind {other:?}"
                )))
            }
        };
        let config = Config::load(source, &env).map_err(config_error)?;
        let engine = py.detach(|| Engine::new(config)).map_err(config_error)?;
        Ok(NativeEngine {
            inner: Arc::new(engine),
        })
    }

    /// Inspects a WSGI request: the environ is read here, in Rust, then inspected as
    /// `run_request` does; a request the engine remembers whole and clean is keyed from the
    /// environ's entries and answered without being copied whole (see `wsgi_environ.rs`).
    /// The resolved client address is put in `environ["ironrasp.client"]`. Given the server's
    /// `start_response`, the verdict's `start_response` is the one to hand the application: it
    /// runs the response checks on the statuses they act on. `peer` stands for REMOTE_ADDR
    /// where the platform names the TCP peer elsewhere (Google Cloud Functions).
    #[pyo3(signature = (environ, body, body_truncated=false, start_response=None, peer=None))]
    fn inspect_wsgi(
        &self,
        py: Python<'_>,
        environ: &Bound<'_, PyDict>,
        body: &[u8],
        body_truncated: bool,
        start_response: Option<Bound<'_, PyAny>>,
        peer: Option<&str>,
    ) -> PyResult<NativeVerdict> {
        let engine = &*self.inner;
        // The environ's text is borrowed only here, before the engine may give up the GIL.
        let (req, key, remembered) = {
            let parts = EnvironParts::read(py, environ)?;
            let key = engine.raw_request_key(body, body_truncated, parts.parts());
            if key.is_some_and(|k| engine.is_remembered(k)) {
                (parts.remembered_view(peer), None, true)
            } else {
                (parts.request(body, body_truncated, peer), key, false)
            }
        };
        // A remembered request holds only what its client checks and trace headers need;
        // another is remembered, when clean, under the environ's key.
        let mut verdict = self.run_gated(py, req, |engine, req, now, gate| match remembered {
            true => engine.inspect_remembered(req, now, gate),
            false => engine.inspect_request_keyed(req, key, now, gate),
        })?;
        environ.set_item(
            intern!(py, "ironrasp.client"),
            PyString::new(py, &verdict.client),
        )?;
        if let Some(server) = start_response {
            let watched = !verdict.blocked && !self.inner.response_statuses().is_empty();
            verdict.start_response = Some(if !watched {
                server.unbind()
            } else {
                let watch = StartResponse::new(
                    self.inner.clone(),
                    server.unbind(),
                    (&verdict.client, &verdict.method, &verdict.path),
                    verdict.error_counted,
                );
                Py::new(py, watch)?.into_any()
            });
        }
        Ok(verdict)
    }

    /// Inspects an AWS Lambda HTTP event (the raw event dict) of the kind given by the adapter:
    /// "v1" (API Gateway REST, payload 1.0), "v2" (HTTP API payload 2.0, function URL) or
    /// "alb". The event is read here, in Rust, then the GIL is released.
    fn inspect_lambda(
        &self,
        py: Python<'_>,
        event: &Bound<'_, PyAny>,
        kind: &str,
    ) -> PyResult<NativeVerdict> {
        let kind = lambda_event::Kind::parse(kind)?;
        let req = lambda_event::request(event, kind, self.inner.config().limits.max_body)?;
        self.run_request(py, req)
    }

    /// Inspects the handler's result for a Lambda HTTP event (statusCode, headers,
    /// multiValueHeaders, cookies); None when the result carries no HTTP status.
    #[pyo3(signature = (client, method, path, kind, result, error_counted=false))]
    #[allow(clippy::too_many_arguments)]
    fn inspect_lambda_response(
        &self,
        py: Python<'_>,
        client: &str,
        method: &str,
        path: &str,
        kind: &str,
        result: &Bound<'_, PyAny>,
        error_counted: bool,
    ) -> PyResult<Option<NativeVerdict>> {
        let kind = lambda_event::Kind::parse(kind)?;
        match lambda_event::response(result, kind)? {
            Some(resp) => self
                .run_response(py, (client, method, path), resp, error_counted)
                .map(Some),
            None => Ok(None),
        }
    }

    /// Inspects an Azure Functions request from the pieces of a `func.HttpRequest`: method,
    /// full URL, headers mapping, params mapping, body bytes; `peer` defaults to the rightmost
    /// X-Forwarded-For entry. Read here, in Rust, then the GIL is released.
    #[pyo3(signature = (method, url, headers, params, body, peer=None))]
    #[allow(clippy::too_many_arguments)]
    fn inspect_azure(
        &self,
        py: Python<'_>,
        method: &Bound<'_, PyAny>,
        url: &Bound<'_, PyAny>,
        headers: &Bound<'_, PyAny>,
        params: &Bound<'_, PyAny>,
        body: Option<&[u8]>,
        peer: Option<String>,
    ) -> PyResult<NativeVerdict> {
        let req = azure_request::request(
            method,
            url,
            headers,
            params,
            body.unwrap_or_default(),
            peer,
            self.inner.config().limits.max_body,
        )?;
        self.run_request(py, req)
    }

    /// Inspects a request given as raw pieces (ASGI, aiohttp, Django, serverless adapters).
    /// `query` is text or raw bytes; `headers` (name, value) pairs of text or bytes, or a
    /// mapping (anything with `items()`, e.g. aiohttp's `request.headers`), read here.
    #[pyo3(signature = (method, path, query, headers, body, peer, body_truncated=false))]
    #[allow(clippy::too_many_arguments)]
    fn inspect_request(
        &self,
        py: Python<'_>,
        method: &Bound<'_, PyString>,
        path: &Bound<'_, PyString>,
        query: &Bound<'_, PyAny>,
        headers: &Bound<'_, PyAny>,
        body: &[u8],
        peer: &Bound<'_, PyString>,
        body_truncated: bool,
    ) -> PyResult<NativeVerdict> {
        let req = Request {
            method: utf8(method)?.to_owned(),
            path: utf8(path)?.to_owned(),
            query: py_read::text_or_bytes(query)?,
            headers: py_read::header_pairs(headers)?,
            body: body.to_vec(),
            body_truncated,
            peer: utf8(peer)?.to_owned(),
        };
        self.run_request(py, req)
    }

    /// Inspects a request given by its request-target as sent (`/path?query`, aiohttp's
    /// `raw_path`): split and the path percent-decoded here, as a server hands them to an app,
    /// so the adapter reads no parsed URL. Headers as for `inspect_request` (raw byte pairs).
    #[pyo3(signature = (method, target, headers, body, peer, body_truncated=false))]
    #[allow(clippy::too_many_arguments)]
    fn inspect_target(
        &self,
        py: Python<'_>,
        method: &Bound<'_, PyString>,
        target: &Bound<'_, PyString>,
        headers: &Bound<'_, PyAny>,
        body: &[u8],
        peer: &Bound<'_, PyString>,
        body_truncated: bool,
    ) -> PyResult<NativeVerdict> {
        let (path, query) = url_text::split_target(utf8(target)?);
        let req = Request {
            method: utf8(method)?.to_owned(),
            path: url_text::unquote_path(path).into_owned(),
            query: query.to_owned(),
            headers: py_read::header_pairs(headers)?,
            body: body.to_vec(),
            body_truncated,
            peer: utf8(peer)?.to_owned(),
        };
        self.run_request(py, req)
    }

    /// Inspects a response: status and headers (brute-force counting, response checks).
    /// `headers` is a sequence of (name, value) pairs or a mapping (anything with `items()`).
    #[pyo3(signature = (client, method, path, status, headers, error_counted=false))]
    #[allow(clippy::too_many_arguments)]
    fn inspect_response(
        &self,
        py: Python<'_>,
        client: &str,
        method: &str,
        path: &str,
        status: u16,
        headers: &Bound<'_, PyAny>,
        error_counted: bool,
    ) -> PyResult<NativeVerdict> {
        let resp = Response {
            status,
            headers: py_read::header_pairs(headers)?,
        };
        self.run_response(py, (client, method, path), resp, error_counted)
    }

    /// Sets the application's routes: (template, methods) with `{name}` and `{name:path}`.
    fn set_routes(&self, routes: Vec<(String, Vec<String>)>) {
        self.inner.set_routes(&routes);
    }

    fn route_count(&self) -> usize {
        self.inner.route_count()
    }

    /// Scans one value as a query-string value, through all decoders.
    fn scan_value<'py>(&self, py: Python<'py>, text: String) -> PyResult<Bound<'py, PyList>> {
        let engine = self.inner.clone();
        let found = guarded(py, move || engine.scan_value(&text))?;
        findings_to_py(py, &found)
    }

    /// Scans many values with one crossing.
    fn scan_values<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<String>,
    ) -> PyResult<Bound<'py, PyList>> {
        let engine = self.inner.clone();
        let all = guarded(py, move || {
            texts
                .iter()
                .map(|t| engine.scan_value(t))
                .collect::<Vec<_>>()
        })?;
        let out = PyList::empty(py);
        for found in &all {
            out.append(findings_to_py(py, found)?)?;
        }
        Ok(out)
    }

    /// Waits until queued events are written.
    fn flush(&self, py: Python<'_>) {
        let engine = self.inner.clone();
        py.detach(move || engine.flush());
    }

    fn banner(&self) -> String {
        self.inner.banner()
    }

    #[getter]
    fn max_body(&self) -> usize {
        self.inner.config().limits.max_body
    }

    /// The response statuses `inspect_response` can act on (`Engine::response_statuses`: the
    /// brute-force statuses while brute force is on, else none). Adapters skip the response
    /// call for any other status.
    #[getter]
    fn response_statuses<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyFrozenSet>> {
        PyFrozenSet::new(py, self.inner.response_statuses())
    }

    #[getter]
    fn fail_closed(&self) -> bool {
        self.inner.config().fail_closed
    }

    #[getter]
    fn block_status(&self) -> u16 {
        self.inner.config().block.status
    }

    #[getter]
    fn block_body(&self) -> String {
        self.inner.config().block.body.clone()
    }

    #[getter]
    fn block_content_type(&self) -> String {
        self.inner.config().block.content_type.clone()
    }

    /// The effective configuration as a JSON string.
    fn config_json(&self) -> String {
        serde_json::to_string(self.inner.config()).unwrap_or_default()
    }

    /// Current blacklist: (address, until as Unix seconds).
    fn blacklist(&self) -> Vec<(String, f64)> {
        let now = ironrasp_core::engine::now_unix();
        self.inner
            .store()
            .blacklist_entries(now)
            .into_iter()
            .map(|(ip, u)| (ip.to_string(), u))
            .collect()
    }

    /// Removes an address from the blacklist; True if it was there.
    fn unblacklist(&self, address: &str) -> PyResult<bool> {
        let ip = ironrasp_core::client_ip::parse_addr(address)
            .ok_or_else(|| PyValueError::new_err(format!("{address:?} is not an IP address")))?;
        Ok(self.inner.store().unblacklist(ip))
    }

    /// Counters since startup.
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        use std::sync::atomic::Ordering::Relaxed;
        let s = &self.inner.stats;
        let d = PyDict::new(py);
        d.set_item("requests", s.requests.load(Relaxed))?;
        d.set_item("blocked", s.blocked.load(Relaxed))?;
        d.set_item("events", s.events.load(Relaxed))?;
        d.set_item("events_suppressed", s.events_suppressed.load(Relaxed))?;
        d.set_item("limit_exceeded", s.limit_exceeded.load(Relaxed))?;
        d.set_item("remembered", s.remembered.load(Relaxed))?;
        d.set_item("events_dropped", self.inner.events_dropped())?;
        Ok(d)
    }
}

fn findings_to_py<'py>(
    py: Python<'py>,
    found: &[ironrasp_core::ScanFinding],
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for f in found {
        let d = PyDict::new(py);
        d.set_item("class", f.check.slug())?;
        d.set_item("score", f.score)?;
        d.set_item("evidence", &f.evidence)?;
        d.set_item("decoders", &f.decoders)?;
        d.set_item("inner_path", &f.inner_path)?;
        d.set_item("code", f.check.code())?;
        d.set_item("mitre", f.check.mitre())?;
        list.append(d)?;
    }
    Ok(list)
}

/// Mints a zero-trust access token valid for `ttl` seconds.
#[pyfunction]
fn make_access_token(secret: &str, ttl: u64) -> String {
    let expiry = ironrasp_core::engine::now_unix() as u64 + ttl;
    ironrasp_core::ztaa_token::make(secret, expiry)
}

/// The configuration defaults as TOML.
#[pyfunction]
fn default_config_toml() -> String {
    Config::defaults_toml()
}

#[pymodule]
fn _engine(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeEngine>()?;
    m.add_class::<NativeVerdict>()?;
    m.add_class::<StartResponse>()?;
    m.add_function(wrap_pyfunction!(make_access_token, m)?)?;
    m.add_function(wrap_pyfunction!(default_config_toml, m)?)?;
    m.add("ConfigError", m.py().get_type::<ConfigError>())?;
    m.add("EngineError", m.py().get_type::<EngineError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}

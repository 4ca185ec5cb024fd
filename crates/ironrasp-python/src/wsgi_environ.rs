//! Reading a WSGI environ into the engine's `Request`, in two steps: first the entries a
//! request is built from are collected as borrowed text (no copy, no allocation but one list),
//! which is enough for the whole-request memo's key. A request the engine saw whole and clean
//! (but for the values of its trace headers) is then answered from the few parts its client
//! checks read and its trace headers; only another request is copied into a `Request` whole. Per memo-answered request this skips a dozen allocations and the
//! latin-1 round trip of every value; cold code between two requests is what a remembered
//! request costs in an application, so less code run is less time.

use crate::utf8_view::utf8_of_ptr;
use ironrasp_core::extract::{may_be_trace_header, trace_header_candidates};
use ironrasp_core::{Request, FORWARDING_HEADERS};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The entries of one environ a `Request` is built from, borrowed from the environ's strings.
pub(crate) struct EnvironParts<'a> {
    /// (environ key, value, what the header is to a remembered request) for REQUEST_METHOD,
    /// PATH_INFO, SCRIPT_NAME, QUERY_STRING, CONTENT_TYPE, CONTENT_LENGTH and every HTTP_*
    /// key, in the environ's order.
    parts: Vec<(&'a str, &'a str, Kept)>,
    /// REMOTE_ADDR, kept apart: the memo key stands for everything but the peer.
    remote_addr: Option<&'a str>,
}

impl<'a> EnvironParts<'a> {
    /// Collects the entries of `environ`. Keys or values that are not `str` are skipped (the
    /// `wsgi.*` and server objects); a string that is not valid Unicode raises
    /// `UnicodeEncodeError`.
    ///
    /// The text borrowed lives as long as the environ's strings: use it only while the GIL is
    /// held and no Python code runs (nothing here or in the engine runs any).
    pub(crate) fn read(py: Python<'_>, environ: &'a Bound<'_, PyDict>) -> PyResult<Self> {
        // A browser's request has about twenty entries that matter here.
        let mut parts = Vec::with_capacity(24);
        let mut remote_addr = None;
        let (mut pos, mut kp, mut vp) = (0, std::ptr::null_mut(), std::ptr::null_mut());
        // Borrowed entries, read by key first: the `wsgi.*` and server objects are never
        // touched (no reference counting), which keeps this read short.
        // SAFETY: PyDict_Next hands out borrowed references, alive while the dict holds them;
        // the dict outlives `'a` and is not changed while the GIL is held and no Python code
        // runs, which is how the text taken from its strings is used (see above).
        while unsafe { ffi::PyDict_Next(environ.as_ptr(), &mut pos, &mut kp, &mut vp) } != 0 {
            if unsafe { ffi::PyUnicode_Check(kp) } == 0 {
                continue;
            }
            let key = unsafe { utf8_of_ptr(py, kp) }?;
            // Every key kept below starts with one of these.
            if !matches!(
                key.as_bytes().first(),
                Some(b'H' | b'R' | b'P' | b'S' | b'Q' | b'C')
            ) || unsafe { ffi::PyUnicode_Check(vp) } == 0
            {
                continue;
            }
            let val = || unsafe { utf8_of_ptr(py, vp) };
            match key {
                "REMOTE_ADDR" => remote_addr = Some(val()?),
                "REQUEST_METHOD" | "PATH_INFO" | "SCRIPT_NAME" | "QUERY_STRING"
                | "CONTENT_TYPE" | "CONTENT_LENGTH" => parts.push((key, val()?, Kept::No)),
                k if k.starts_with("HTTP_") => parts.push((key, val()?, Kept::of(&k[5..]))),
                _ => {}
            }
        }
        Ok(EnvironParts { parts, remote_addr })
    }

    /// The (environ key, value) pairs the request is built from, for its memo key: the same
    /// pairs always build the same `Request`, but for the peer and the values of trace headers,
    /// which are handed empty (see `Engine::raw_request_key`).
    pub(crate) fn parts(&self) -> impl Iterator<Item = (&'a str, &'a str)> + '_ {
        self.parts.iter().map(|&(key, val, kept)| match kept {
            Kept::Trace => (key, ""),
            _ => (key, val),
        })
    }

    /// The peer: `peer` where the platform names it elsewhere, else REMOTE_ADDR.
    fn peer(&self, peer: Option<&str>) -> String {
        peer.or(self.remote_addr).unwrap_or("").to_owned()
    }

    /// The whole request.
    pub(crate) fn request(&self, body: &[u8], body_truncated: bool, peer: Option<&str>) -> Request {
        Request {
            body: body.to_vec(),
            body_truncated,
            ..self.build(peer, true)
        }
    }

    /// What the engine reads of a request it remembers (`Engine::inspect_remembered`): the
    /// method, the path, the peer, the forwarding headers the client is resolved from and the
    /// trace headers, whose values are inspected every time.
    pub(crate) fn remembered_view(&self, peer: Option<&str>) -> Request {
        self.build(peer, false)
    }

    /// The request without its body: every part when `whole`, else the method, the path and
    /// the headers a remembered request keeps.
    fn build(&self, peer: Option<&str>, whole: bool) -> Request {
        let mut req = Request {
            // A browser sends about a dozen headers: room for them without regrowing.
            headers: Vec::with_capacity(if whole { 16 } else { 0 }),
            peer: self.peer(peer),
            ..Request::default()
        };
        let mut script = "";
        for &(key, val, kept) in &self.parts {
            match key {
                "REQUEST_METHOD" => req.method = val.to_owned(),
                "PATH_INFO" => req.path = wsgi_str(val),
                "SCRIPT_NAME" => script = val,
                _ if !whole && kept == Kept::No => {}
                "QUERY_STRING" => req.query = wsgi_str(val),
                "CONTENT_TYPE" => req.headers.push(("content-type".into(), wsgi_str(val))),
                "CONTENT_LENGTH" => req.headers.push(("content-length".into(), val.to_owned())),
                _ => req.headers.push((header_name(&key[5..]), wsgi_str(val))),
            }
        }
        if !script.is_empty() {
            req.path = format!("{}{}", wsgi_str(script), req.path);
        }
        req
    }
}

/// What a header is to a request the engine remembers: read by its client checks
/// (forwarding), inspected every time (trace), or neither. Told once, as the environ is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kept {
    No,
    Forwarding,
    Trace,
}

impl Kept {
    /// Of an environ key's tail (`X_FORWARDED_FOR`).
    fn of(tail: &str) -> Kept {
        if is_trace_key(tail) {
            Kept::Trace
        } else if FORWARDING_HEADERS.iter().any(|h| is_header(tail, h)) {
            Kept::Forwarding
        } else {
            Kept::No
        }
    }
}

/// Whether an environ key's tail (`X_REQUEST_ID`) names one of the engine's trace headers.
fn is_trace_key(tail: &str) -> bool {
    let b = tail.as_bytes();
    !b.is_empty()
        && may_be_trace_header(b[0], b.len())
        && trace_header_candidates(b[0], b.len())
            .iter()
            .any(|h| is_header(tail, h))
}

/// Whether an environ key's tail (`X_FORWARDED_FOR`) names the header `name`
/// (`x-forwarded-for`).
fn is_header(tail: &str, name: &str) -> bool {
    tail.len() == name.len()
        && tail
            .bytes()
            .zip(name.bytes())
            .all(|(t, n)| t.to_ascii_lowercase() == n || (t == b'_' && n == b'-'))
}

/// The header name of an environ key's tail (`ACCEPT_LANGUAGE` -> `accept-language`): one
/// allocation, and only ASCII bytes change (no character decoding, no UTF-8 validation).
fn header_name(tail: &str) -> String {
    let mut name = tail.to_ascii_lowercase();
    for i in 0..name.len() {
        if name.as_bytes()[i] == b'_' {
            name.replace_range(i..i + 1, "-");
        }
    }
    name
}

/// WSGI strings are bytes decoded as latin-1; undo that, then read them as UTF-8.
fn wsgi_str(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    if s.chars().all(|c| (c as u32) < 256) {
        let bytes: Vec<u8> = s.chars().map(|c| c as u32 as u8).collect();
        return String::from_utf8_lossy(&bytes).into_owned();
    }
    s.to_string()
}

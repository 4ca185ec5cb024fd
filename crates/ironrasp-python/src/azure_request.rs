//! An Azure Functions `HttpRequest` read into the core `Request` (with the GIL held; inspection
//! runs after, without it). The host gives the full URL (raw query string, every repeat), the
//! headers with lower-cased names, and the parameters decoded with repeats comma-joined.

use crate::py_read::{for_each_item, header_pairs, text};
use crate::url_text::{path_and_query, rightmost_forwarded, unquote, urlencode};
use ironrasp_core::Request;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The pieces of one request. `peer` empty: the client address is the rightmost entry of
/// X-Forwarded-For, the one the Azure front end appended (a function never sees the TCP
/// connection).
#[allow(clippy::too_many_arguments)]
pub(crate) fn request(
    method: &Bound<'_, PyAny>,
    url: &Bound<'_, PyAny>,
    headers: &Bound<'_, PyAny>,
    params: &Bound<'_, PyAny>,
    body: &[u8],
    peer: Option<String>,
    max_body: usize,
) -> PyResult<Request> {
    let url = text(url)?;
    let (path, query) = path_and_query(if url.is_empty() { "/" } else { &url });
    let path = if path.is_empty() { "/" } else { path };
    let mut query = query.to_string();
    if query.is_empty() && params.is_truthy()? {
        // Only the parameters (a test or a custom host): encode them back into a query.
        let mut pairs = Vec::new();
        for_each_item(params, |k, v| {
            pairs.push((text(&k)?, text(&v)?));
            Ok(())
        })?;
        query = urlencode(&pairs);
    }
    // Azure's header mapping keeps its items in a plain dict: read that directly when present.
    let headers = if headers.downcast::<PyDict>().is_ok() {
        header_pairs(headers)?
    } else {
        match headers.getattr("__http_headers__") {
            Ok(d) if d.downcast::<PyDict>().is_ok() => header_pairs(&d)?,
            _ => header_pairs(headers)?,
        }
    };
    let peer = match peer.filter(|p| !p.is_empty()) {
        Some(p) => p,
        None => rightmost_forwarded(
            headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("x-forwarded-for"))
                .map(|(_, v)| v.as_str()),
        ),
    };
    Ok(Request {
        method: text(method)?,
        path: unquote(path).into_owned(),
        query,
        headers,
        body: body[..body.len().min(max_body)].to_vec(),
        body_truncated: body.len() > max_body,
        peer,
    })
}

//! AWS Lambda HTTP events read into the core `Request` (with the GIL held; inspection runs
//! after, without it): API Gateway REST APIs (payload 1.0), HTTP APIs (payload 2.0), function
//! URLs (2.0 shape) and Application Load Balancers, and the handler's proxy-integration result
//! read into a `Response`.

use crate::py_read::{for_each_element, for_each_item, get, get_truthy, is_mapping, text, text_or};
use crate::url_text::{rightmost_forwarded, unquote, urlencode};
use base64::alphabet::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use ironrasp_core::{Request, Response};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyString};

/// The shape of an HTTP event, as `aws_lambda.event_kind` names it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    /// API Gateway REST API, or an HTTP API with payload 1.0.
    V1,
    /// HTTP API payload 2.0 or a function URL.
    V2,
    Alb,
}

impl Kind {
    pub(crate) fn parse(s: &str) -> PyResult<Kind> {
        match s {
            "v1" => Ok(Kind::V1),
            "v2" => Ok(Kind::V2),
            "alb" => Ok(Kind::Alb),
            other => Err(PyValueError::new_err(format!(
                "unknown Lambda event kind {other:?} (expected \"v1\", \"v2\" or \"alb\")"
            ))),
        }
    }
}

/// Reads one HTTP event of the given kind. Pieces of the wrong type are skipped, as the
/// platform never sends them; only a Python error raised while reading propagates.
pub(crate) fn request(event: &Bound<'_, PyAny>, kind: Kind, max_body: usize) -> PyResult<Request> {
    if !is_mapping(event) {
        return Err(PyValueError::new_err("a Lambda HTTP event must be a dict"));
    }
    let ctx = get(event, "requestContext")?;
    let (body, body_truncated) = body(event, max_body)?;
    let mut req = Request {
        body,
        body_truncated,
        ..Request::default()
    };
    if kind == Kind::V2 {
        let http = match &ctx {
            Some(c) => get(c, "http")?,
            None => None,
        };
        if let Some(h) = get(event, "headers")? {
            push_pairs(&h, &mut req.headers)?;
        }
        if let Some(cookies) = get_truthy(event, "cookies")? {
            // HTTP APIs move the Cookie header into this list.
            let mut joined = String::new();
            for_each_element(&cookies, |c| {
                if !joined.is_empty() {
                    joined.push_str("; ");
                }
                joined.push_str(&text(&c)?);
                Ok(())
            })?;
            req.headers.push(("cookie".into(), joined));
        }
        req.path = match get_truthy(event, "rawPath")? {
            Some(p) => text(&p)?,
            None => match &http {
                Some(h) => text_or(h, "path", "/")?,
                None => "/".into(),
            },
        };
        let domain = match &ctx {
            Some(c) => text_or(c, "domainName", "")?,
            None => String::new(),
        };
        if domain.contains(".lambda-url.") {
            // Function URLs keep the path percent-encoded; HTTP APIs decode it.
            req.path = unquote(&req.path).into_owned();
        }
        req.method = match &http {
            Some(h) => text_or(h, "method", "GET")?,
            None => "GET".into(),
        }
        .to_uppercase();
        req.query = text_or(event, "rawQueryString", "")?;
        req.peer = match &http {
            Some(h) => text_or(h, "sourceIp", "")?,
            None => String::new(),
        };
        return Ok(req);
    }
    let headers = get(event, "headers")?;
    let multi_headers = get(event, "multiValueHeaders")?;
    single_or_multi(headers.as_ref(), multi_headers.as_ref(), &mut req.headers)?;
    let params = get(event, "queryStringParameters")?;
    let multi_params = get(event, "multiValueQueryStringParameters")?;
    let mut pairs = Vec::new();
    single_or_multi(params.as_ref(), multi_params.as_ref(), &mut pairs)?;
    req.method = text_or(event, "httpMethod", "GET")?.to_uppercase();
    let path = text_or(event, "path", "/")?;
    if kind == Kind::Alb {
        // The ALB passes the query as received (still percent-encoded): rebuild it verbatim.
        let mut query = String::new();
        for (k, v) in &pairs {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(k);
            if !v.is_empty() {
                query.push('=');
                query.push_str(v);
            }
        }
        req.query = query;
        req.path = unquote(&path).into_owned();
        // No source address in the event: the ALB appended the one it saw to X-Forwarded-For.
        req.peer = rightmost_forwarded(
            req.headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("x-forwarded-for"))
                .map(|(_, v)| v.as_str()),
        );
        return Ok(req);
    }
    // API Gateway decodes the parameters: encode them back into one query string.
    req.query = urlencode(&pairs);
    let identity = match &ctx {
        Some(c) => get_truthy(c, "identity")?,
        None => None,
    };
    req.peer = match identity {
        Some(i) => text_or(&i, "sourceIp", "")?,
        None => String::new(),
    };
    let version = match get(event, "version")? {
        Some(v) => text(&v)?,
        None => String::new(),
    };
    req.path = if version == "1.0" {
        path
    } else {
        // REST APIs keep the path percent-encoded; HTTP APIs (payload 1.0) decode it.
        unquote(&path).into_owned()
    };
    Ok(req)
}

/// Name/value pairs of a single-value map (`headers`), None values as "".
fn push_pairs(single: &Bound<'_, PyAny>, out: &mut Vec<(String, String)>) -> PyResult<()> {
    for_each_item(single, |k, v| {
        out.push((text(&k)?, text(&v)?));
        Ok(())
    })
}

/// Pairs from the multi-value map when it is present and not empty (every repeat), else from
/// the single-value map.
fn single_or_multi(
    single: Option<&Bound<'_, PyAny>>,
    multi: Option<&Bound<'_, PyAny>>,
    out: &mut Vec<(String, String)>,
) -> PyResult<()> {
    if let Some(m) = multi.filter(|m| is_mapping(m) && m.is_truthy().unwrap_or(false)) {
        return for_each_item(m, |name, values| {
            let name = text(&name)?;
            for_each_element(&values, |v| {
                out.push((name.clone(), text(&v)?));
                Ok(())
            })
        });
    }
    match single {
        Some(s) => push_pairs(s, out),
        None => Ok(()),
    }
}

/// Body bytes up to `max_body` and whether there were more; base64 bodies are decoded only as
/// far as they are inspected.
fn body(event: &Bound<'_, PyAny>, max_body: usize) -> PyResult<(Vec<u8>, bool)> {
    let Some(raw) = get_truthy(event, "body")? else {
        return Ok((Vec::new(), false));
    };
    let raw = match raw.downcast::<PyString>() {
        Ok(s) => s.clone(),
        Err(_) => raw.str()?,
    };
    let base64 = match get(event, "isBase64Encoded")? {
        Some(b) => b.is_truthy()?,
        None => false,
    };
    let text = raw.to_string_lossy();
    let bytes = text.as_bytes();
    if base64 {
        // 4 characters carry 3 bytes.
        let chars = (max_body / 3 + 1).saturating_mul(4);
        let head = &bytes[..bytes.len().min(chars)];
        if let Some(mut data) = decode_base64(head) {
            let truncated = bytes.len() > chars || data.len() > max_body;
            data.truncate(max_body);
            return Ok((data, truncated));
        }
    }
    let data = bytes[..bytes.len().min(max_body)].to_vec();
    Ok((data, bytes.len() > max_body))
}

/// Standard base64 with line breaks and spaces skipped and padding optional. None when other
/// characters occur: the text is not base64 (the platform set the flag, so this is only a
/// safeguard) and is then inspected as sent.
fn decode_base64(head: &[u8]) -> Option<Vec<u8>> {
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    let mut clean = Vec::with_capacity(head.len());
    for &c in head {
        match c {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' | b'=' => clean.push(c),
            b'\r' | b'\n' | b'\t' | b' ' => {}
            _ => return None,
        }
    }
    LENIENT.decode(clean).ok()
}

/// Status and headers of the handler's result as the platform reads it, or None when the
/// platform will not send it as an HTTP response with a status (nothing to count).
pub(crate) fn response(result: &Bound<'_, PyAny>, kind: Kind) -> PyResult<Option<Response>> {
    let status = if is_mapping(result) {
        get(result, "statusCode")?
    } else {
        None
    };
    let Some(status) = status else {
        // Payload 2.0: a result without statusCode is sent as a 200 with the result as body.
        return Ok((kind == Kind::V2).then(|| Response {
            status: 200,
            headers: Vec::new(),
        }));
    };
    let Some(status) = status_code(&status) else {
        return Ok(None);
    };
    let mut headers = Vec::new();
    if let Some(h) = get(result, "headers")? {
        push_pairs(&h, &mut headers)?;
    }
    if let Some(m) = get(result, "multiValueHeaders")? {
        single_or_multi(None, Some(&m), &mut headers)?;
    }
    if let Some(cookies) = get(result, "cookies")? {
        for_each_element(&cookies, |c| {
            headers.push(("set-cookie".into(), text(&c)?));
            Ok(())
        })?;
    }
    Ok(Some(Response { status, headers }))
}

/// `int(statusCode)` for ints, floats and numeric strings; None when it is no HTTP status.
fn status_code(v: &Bound<'_, PyAny>) -> Option<u16> {
    let n = if let Ok(s) = v.downcast::<PyString>() {
        s.to_cow().ok()?.trim().parse::<i64>().ok()?
    } else if let Ok(f) = v.downcast::<PyFloat>() {
        let f = f.value();
        if !f.is_finite() {
            return None;
        }
        f.trunc() as i64
    } else {
        v.extract::<i64>().ok()?
    };
    u16::try_from(n).ok()
}

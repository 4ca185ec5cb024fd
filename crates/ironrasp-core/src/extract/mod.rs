//! Request -> located inputs. Each input is one value (or name) with where it was found; the
//! decoders in [`decode`] later give every decoded view of it. Every loop here is bounded by
//! [`Limits`]; a bound that was hit is recorded in [`Inputs::limit_hits`].

pub mod cookies;
pub mod decode;
pub mod hpp;
pub mod json;
pub mod location;
pub mod multipart;
pub mod urlencoded;
pub mod xml;

pub use location::Location;

use crate::limits::Limits;
use crate::request::Request;

/// One value to inspect, with where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    pub location: Location,
    pub value: String,
    /// Set for the synthetic values built from repeated parameters ("hpp:comma", "hpp:concat").
    pub joined: Option<&'static str>,
}

impl Input {
    pub fn new(location: Location, value: impl Into<String>) -> Self {
        Input {
            location,
            value: value.into(),
            joined: None,
        }
    }
}

/// Everything extracted from one request.
#[derive(Debug, Default)]
pub struct Inputs {
    pub items: Vec<Input>,
    /// Names of the limits that stopped extraction (e.g. "max_params").
    pub limit_hits: Vec<&'static str>,
}

impl Inputs {
    /// Adds an input unless `max_params` inputs were already taken.
    pub(crate) fn push(&mut self, input: Input, limits: &Limits) -> bool {
        if self.items.len() >= limits.max_params {
            self.hit("max_params");
            return false;
        }
        self.items.push(input);
        true
    }

    pub(crate) fn hit(&mut self, limit: &'static str) {
        if !self.limit_hits.contains(&limit) {
            self.limit_hits.push(limit);
        }
    }
}

/// Headers whose values are structural or inspected elsewhere (Host by spoofing, Cookie parsed
/// into cookies).
/// Headers whose values are structural or inspected elsewhere (Host by spoofing, Cookie parsed
/// into cookies, then also whole: a payload may span the `;` that splits it).
const SKIPPED_HEADERS: [&str; 4] = ["host", "cookie", "content-length", "connection"];

/// Extracts every input of `req`: path, query names and values, form fields, multipart fields
/// and files, JSON keys and values, header values, cookie names and values, and the raw body
/// when it is of no known form.
pub fn extract(req: &Request, limits: &Limits) -> Inputs {
    let mut inputs = Inputs::default();
    // The URL path is always absolute; inspected without its leading '/', so that only what
    // it climbs or smuggles counts, not where it points ("/.env" is the decoy check's).
    let path = req.path.trim_start_matches('/');
    // A plain path (letters, digits, `-_.~/`, no `..`) is the routes' and decoys' business.
    if !path.is_empty()
        && (path.contains("..") || !path.bytes().all(|b| b == b'/' || is_plain_byte(b)))
    {
        inputs.push(Input::new(Location::Path, path), limits);
        // Route parameters are path segments: each odd one is a value of its own, and with
        // '+' read as a space, as form-style decoders in front of many apps do.
        if path.contains('/') {
            for seg in path.split('/').filter(|s| !is_plain_segment(s)) {
                inputs.push(Input::new(Location::PathSegment, seg), limits);
                if seg.contains('+') {
                    let mut i = Input::new(Location::PathSegment, seg.replace('+', " "));
                    i.joined = Some("plus");
                    inputs.push(i, limits);
                }
            }
        }
    }
    urlencoded::extract(&req.query, urlencoded::Source::Query, limits, &mut inputs);

    for (name, value) in &req.headers {
        let lname = name.to_ascii_lowercase();
        if SKIPPED_HEADERS.contains(&lname.as_str()) {
            continue;
        }
        let value = strip_auth_scheme(&lname, value);
        if !inputs.push(Input::new(Location::Header(lname), value), limits) {
            break;
        }
    }
    for cookie in req.header_all("cookie") {
        cookies::extract(cookie, limits, &mut inputs);
        // A part without '=' means a value held a ';' (`a=<x;y>`): inspect the header whole too.
        if cookie
            .split(';')
            .any(|p| !p.trim().is_empty() && !p.contains('='))
        {
            inputs.push(
                Input::new(Location::Header("cookie".into()), cookie),
                limits,
            );
        }
    }
    if req.body_truncated {
        inputs.hit("max_body");
    }
    extract_body(req, limits, &mut inputs);
    hpp::add_joined(limits, &mut inputs);
    inputs
}

/// "Bearer <jwt>" -> "<jwt>", so the token decoders see the token alone.
fn strip_auth_scheme<'a>(lname: &str, value: &'a str) -> &'a str {
    if lname == "authorization" {
        if let Some((scheme, rest)) = value.split_once(' ') {
            if scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("basic") {
                return rest.trim();
            }
        }
    }
    value
}

fn extract_body(req: &Request, limits: &Limits, inputs: &mut Inputs) {
    if req.body.is_empty() {
        return;
    }
    let ctype = req
        .header("content-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    let body = &req.body[..req.body.len().min(limits.max_body)];
    if ctype.starts_with("application/x-www-form-urlencoded") {
        let text = String::from_utf8_lossy(body);
        urlencoded::extract(&text, urlencoded::Source::Form, limits, inputs);
    } else if ctype.starts_with("multipart/form-data") {
        let ctype_raw = req.header("content-type").unwrap_or("");
        if !multipart::extract(ctype_raw, body, limits, inputs) {
            raw_body(body, limits, inputs);
        }
    } else if ctype.contains("json") || looks_like_json(body) {
        if !json::extract_body(body, limits, inputs) {
            raw_body(body, limits, inputs);
        }
    } else {
        raw_body(body, limits, inputs);
        if ctype.contains("xml") || body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<') {
            xml::extract(&String::from_utf8_lossy(body), limits, inputs);
        }
    }
}

/// A parameter, cookie or JSON key name that needs no inspection of its own: a short plain
/// identifier. Long names (a serialized object or a payload used as the name) and names that
/// walk through dunder or prototype attributes (`__proto__.isAdmin`, `__class__`,
/// `constructor.prototype`: class and prototype pollution) are inspected like values.
pub(crate) fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 32
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        && !names_an_attribute_path(name)
}

/// `__x__` attributes and `prototype`: what class and prototype pollution write in names.
pub(crate) fn names_an_attribute_path(name: &str) -> bool {
    name.contains("__")
        || name
            .as_bytes()
            .windows(9)
            .any(|w| w.eq_ignore_ascii_case(b"prototype"))
}

fn is_plain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

fn is_plain_segment(s: &str) -> bool {
    !s.contains("..") && s.bytes().all(is_plain_byte)
}

fn looks_like_json(body: &[u8]) -> bool {
    matches!(
        body.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{') | Some(b'[')
    )
}

fn raw_body(body: &[u8], limits: &Limits, inputs: &mut Inputs) {
    let text = match std::str::from_utf8(body) {
        Ok(t) => t.to_string(),
        // Binary (an image, an archive): its bytes are not text an application would parse,
        // and read as text they look like anything. Its printable runs are what could be.
        Err(_) if is_binary(body) => printable_runs(body),
        Err(_) => String::from_utf8_lossy(body).into_owned(),
    };
    inputs.push(Input::new(Location::Body, text), limits);
}

/// More than one byte in ten is a control byte other than whitespace.
fn is_binary(body: &[u8]) -> bool {
    let control = body
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
        .count();
    control * 10 > body.len()
}

/// Runs of at least 6 printable ASCII bytes, joined by spaces (what `strings` would show).
fn printable_runs(body: &[u8]) -> String {
    const MIN_RUN: usize = 6;
    let mut out = String::new();
    for run in body.split(|b| !(0x20..0x7f).contains(b)) {
        if run.len() >= MIN_RUN {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&String::from_utf8_lossy(run));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(query: &str, headers: &[(&str, &str)], body: &[u8]) -> Request {
        Request {
            method: "POST".into(),
            path: "/p'1".into(),
            query: query.into(),
            headers: headers
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            body: body.to_vec(),
            body_truncated: false,
            peer: "1.2.3.4".into(),
        }
    }

    #[test]
    fn extracts_every_location() {
        let r = req(
            "q=a+b&x=%2F",
            &[
                ("Content-Type", "application/json"),
                ("Cookie", "session=abc; theme=dark; <x;y>"),
                ("User-Agent", "curl/8"),
                ("Authorization", "Bearer tok.en.sig"),
            ],
            br#"{"items":[{"name":"n"}]}"#,
        );
        let ins = extract(&r, &Limits::default());
        let find = |loc: Location| {
            ins.items
                .iter()
                .find(|i| i.location == loc)
                .map(|i| i.value.clone())
        };
        assert_eq!(find(Location::Path).as_deref(), Some("p'1"));
        assert_eq!(
            find(Location::QueryValue("q".into())).as_deref(),
            Some("a b")
        );
        assert_eq!(find(Location::QueryValue("x".into())).as_deref(), Some("/"));
        assert_eq!(
            find(Location::CookieValue("session".into())).as_deref(),
            Some("abc")
        );
        assert_eq!(
            find(Location::Header("user-agent".into())).as_deref(),
            Some("curl/8")
        );
        assert_eq!(
            find(Location::Header("authorization".into())).as_deref(),
            Some("tok.en.sig")
        );
        assert_eq!(
            find(Location::Json("$.items[0].name".into())).as_deref(),
            Some("n")
        );
        assert!(ins
            .items
            .iter()
            .any(|i| i.location == Location::Header("cookie".into())));
    }

    #[test]
    fn params_are_bounded_and_the_bound_is_reported() {
        let q: Vec<String> = (0..100_000).map(|i| format!("p{i}=v")).collect();
        let r = req(&q.join("&"), &[], b"");
        let ins = extract(&r, &Limits::default());
        assert!(ins.items.len() <= Limits::default().max_params);
        assert!(ins.limit_hits.contains(&"max_params"));
    }

    #[test]
    fn binary_bodies_keep_only_printable_runs() {
        let mut body: Vec<u8> = (0u8..=255).cycle().take(4096).collect();
        body.extend_from_slice(b"\x00\x01; cat /etc/passwd\x00");
        let r = req("", &[("Content-Type", "application/octet-stream")], &body);
        let ins = extract(&r, &Limits::default());
        let b = ins
            .items
            .iter()
            .find(|i| i.location == Location::Body)
            .unwrap();
        assert!(b.value.contains("; cat /etc/passwd") && !b.value.contains('\0'));
    }

    #[test]
    fn unknown_body_is_inspected_raw() {
        let r = req(
            "",
            &[("Content-Type", "text/plain")],
            b"hello ../../etc/passwd",
        );
        let ins = extract(&r, &Limits::default());
        assert!(ins
            .items
            .iter()
            .any(|i| i.location == Location::Body && i.value.contains("passwd")));
    }
}

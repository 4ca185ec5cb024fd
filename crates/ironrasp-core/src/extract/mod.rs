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
use std::borrow::Cow;

/// One value to inspect, with where it came from. Both borrow from the request when they can:
/// most values need no decoding, and a clean value is only hashed and looked up.
#[derive(Clone, Debug, PartialEq)]
pub struct Input<'a> {
    pub location: Location<'a>,
    pub value: Cow<'a, str>,
    /// Set for the synthetic values built from repeated parameters ("hpp:comma", "hpp:concat").
    pub joined: Option<&'static str>,
}

impl<'a> Input<'a> {
    pub fn new(location: Location<'a>, value: impl Into<Cow<'a, str>>) -> Self {
        Input {
            location,
            value: value.into(),
            joined: None,
        }
    }

    /// The same input, owning its location and value.
    pub fn into_owned(self) -> Input<'static> {
        Input {
            location: self.location.into_owned(),
            value: Cow::Owned(self.value.into_owned()),
            joined: self.joined,
        }
    }
}

/// Everything extracted from one request, owned (what [`extract`] returns).
#[derive(Debug, Default)]
pub struct Inputs {
    pub items: Vec<Input<'static>>,
    /// Names of the limits that stopped extraction (e.g. "max_params").
    pub limit_hits: Vec<&'static str>,
}

impl Inputs {
    /// Runs `f` with an [`Out`] that keeps every input it is given.
    pub fn collect(limits: &Limits, f: impl FnOnce(&mut Out<'_>)) -> Inputs {
        let mut items = Vec::new();
        let mut keep = |i: Input<'_>| items.push(i.into_owned());
        let mut out = Out::new(limits.max_params, &mut keep);
        f(&mut out);
        let limit_hits = out.finish();
        Inputs { items, limit_hits }
    }
}

/// Where extraction delivers each input, in request order, as soon as it is found; it counts
/// them against `max_params` and records the bounds that were hit.
pub struct Out<'s> {
    sink: &'s mut dyn FnMut(Input<'_>),
    max_params: usize,
    taken: usize,
    limit_hits: Vec<&'static str>,
    /// Inputs delivered after all others (the joined repeats of parameters).
    last: Vec<Input<'static>>,
}

impl<'s> Out<'s> {
    pub fn new(max_params: usize, sink: &'s mut dyn FnMut(Input<'_>)) -> Self {
        Out {
            sink,
            max_params,
            taken: 0,
            limit_hits: Vec::new(),
            last: Vec::new(),
        }
    }

    /// Delivers an input unless `max_params` inputs were already taken.
    pub(crate) fn push(&mut self, input: Input<'_>) -> bool {
        if self.taken >= self.max_params {
            self.hit("max_params");
            return false;
        }
        self.taken += 1;
        (self.sink)(input);
        true
    }

    /// Counts `n` inputs known clean as taken without delivering them, as long as they fit
    /// under `max_params` (else false, and nothing is counted: deliver them instead).
    pub fn take_known(&mut self, n: usize) -> bool {
        if self.taken + n > self.max_params {
            return false;
        }
        self.taken += n;
        true
    }

    /// How many inputs were taken so far.
    pub fn taken(&self) -> usize {
        self.taken
    }

    /// Keeps an input to deliver after every other one.
    pub(crate) fn push_last(&mut self, input: Input<'static>) {
        self.last.push(input);
    }

    /// How many bounds were hit and how many inputs wait for last so far: unchanged across a
    /// part of the extraction, that part was taken whole and left nothing for later.
    pub fn progress(&self) -> (usize, usize) {
        (self.limit_hits.len(), self.last.len())
    }

    pub(crate) fn hit(&mut self, limit: &'static str) {
        if !self.limit_hits.contains(&limit) {
            self.limit_hits.push(limit);
        }
    }

    /// Delivers the inputs kept for last; returns the bounds that were hit, in order.
    pub fn finish(mut self) -> Vec<&'static str> {
        for input in std::mem::take(&mut self.last) {
            if !self.push(input) {
                break;
            }
        }
        self.limit_hits
    }
}

/// Headers whose values are structural or inspected elsewhere (Host by spoofing, Cookie parsed
/// into cookies, then also whole: a payload may span the `;` that splits it).
const SKIPPED_HEADERS: [&str; 4] = ["host", "cookie", "content-length", "connection"];

fn is_skipped_header(name: &str) -> bool {
    // Each skipped name starts with `c` or `h`: most headers are told apart by one byte.
    matches!(name.as_bytes().first(), Some(b'c' | b'C' | b'h' | b'H'))
        && SKIPPED_HEADERS.iter().any(|s| name.eq_ignore_ascii_case(s))
}

/// Extracts every input of `req`: path, query names and values, form fields, multipart fields
/// and files, JSON keys and values, header values, cookie names and values, and the raw body
/// when it is of no known form.
pub fn extract(req: &Request, limits: &Limits) -> Inputs {
    Inputs::collect(limits, |out| extract_to(req, limits, out))
}

/// As [`extract`], delivering each input to `out` as it is found (then call [`Out::finish`]).
pub fn extract_to(req: &Request, limits: &Limits, out: &mut Out<'_>) {
    extract_path(req, out);
    extract_query(req, out);
    extract_headers(req, out);
    extract_page_headers(req, out);
    extract_cookies(req, out);
    extract_body_part(req, limits, out);
}

/// The first part of [`extract_to`]: the URL path and its odd segments.
pub fn extract_path(req: &Request, out: &mut Out<'_>) {
    // The URL path is always absolute; inspected without its leading '/', so that only what
    // it climbs or smuggles counts, not where it points ("/.env" is the decoy check's).
    let path = req.path.trim_start_matches('/');
    // A plain path (letters, digits, `-_.~/`, no `..`) is the routes' and decoys' business.
    if !path.is_empty()
        && (path.contains("..") || !path.bytes().all(|b| b == b'/' || is_plain_byte(b)))
    {
        out.push(Input::new(Location::Path, path));
        // Route parameters are path segments: each odd one is a value of its own, and with
        // '+' read as a space, as form-style decoders in front of many apps do.
        if path.contains('/') {
            for seg in path.split('/').filter(|s| !is_plain_segment(s)) {
                out.push(Input::new(Location::PathSegment, seg));
                if seg.contains('+') {
                    let mut i = Input::new(Location::PathSegment, seg.replace('+', " "));
                    i.joined = Some("plus");
                    out.push(i);
                }
            }
        }
    }
}

/// The second part of [`extract_to`]: query names and values (repeats joined last).
pub fn extract_query(req: &Request, out: &mut Out<'_>) {
    urlencoded::extract(&req.query, urlencoded::Source::Query, out);
}

/// The headers whose values are inputs of their own and stay the same from page to page (a
/// browser's User-Agent, Accept, Accept-Language, ...), as (name, value), in request order.
pub fn browser_headers(req: &Request) -> impl Iterator<Item = (&str, &str)> {
    scanned_headers(req).filter(|(name, _)| !is_per_request_header(name))
}

/// The ids that tracing systems, proxies and platforms give every request: a new value each
/// time, read by no request-level check. They are inputs of their own, and a request's memo
/// key holds their names but not their values (see `Engine::request_key`).
pub const TRACE_HEADERS: [&str; 18] = [
    "x-request-id",
    "x-correlation-id",
    "traceparent",
    "tracestate",
    "baggage",
    "b3",
    "x-b3-traceid",
    "x-b3-spanid",
    "x-b3-parentspanid",
    "x-b3-sampled",
    "x-amzn-trace-id",
    "x-amz-cf-id",
    "x-cloud-trace-context",
    "function-execution-id",
    "x-datadog-trace-id",
    "x-datadog-parent-id",
    "sentry-trace",
    "cf-ray",
];

/// Whether `name` (any case) is one of [`TRACE_HEADERS`].
#[inline(always)]
pub fn is_trace_header(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && may_be_trace_header(b[0], b.len())
        && trace_header_candidates(b[0], b.len())
            .iter()
            .any(|h| name.eq_ignore_ascii_case(h))
}

/// Per first byte, the lengths of the [`TRACE_HEADERS`] that start with it (either case), as
/// bits.
static TRACE_LENGTHS: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < TRACE_HEADERS.len() {
        let h = TRACE_HEADERS[i].as_bytes();
        t[h[0] as usize] |= 1 << h.len();
        t[h[0].to_ascii_uppercase() as usize] |= 1 << h.len();
        i += 1;
    }
    t
};

/// Whether a header name of `len` bytes starting with `first` may be one of
/// [`TRACE_HEADERS`]: a request's other headers (User-Agent, Accept-*, Sec-Fetch-*, Cookie)
/// are ruled out by one load, a shift and a test.
#[inline(always)]
pub fn may_be_trace_header(first: u8, len: usize) -> bool {
    len < 32 && TRACE_LENGTHS[usize::from(first)] >> len & 1 != 0
}

/// The [`TRACE_HEADERS`] a header name of `len` bytes starting with `first` (any case) may be.
/// Adapters that read header names in another form (WSGI's `HTTP_X_REQUEST_ID`) compare
/// against these same candidates.
pub fn trace_header_candidates(first: u8, len: usize) -> &'static [&'static str] {
    match (first.to_ascii_lowercase(), len) {
        (b'x', 11) => &["x-b3-spanid", "x-amz-cf-id"],
        (b'x', 12) => &["x-request-id", "x-b3-traceid", "x-b3-sampled"],
        (b'x', 15) => &["x-amzn-trace-id"],
        (b'x', 16) => &["x-correlation-id"],
        (b'x', 17) => &["x-b3-parentspanid"],
        (b'x', 18) => &["x-datadog-trace-id"],
        (b'x', 19) => &["x-datadog-parent-id"],
        (b'x', 21) => &["x-cloud-trace-context"],
        (b't', 10) => &["tracestate"],
        (b't', 11) => &["traceparent"],
        (b'b', 2) => &["b3"],
        (b'b', 7) => &["baggage"],
        (b'f', 21) => &["function-execution-id"],
        (b's', 12) => &["sentry-trace"],
        (b'c', 6) => &["cf-ray"],
        _ => &[],
    }
}

/// Headers whose value changes with the request rather than with the browser: the Referer
/// (page to page) and the trace ids.
fn is_per_request_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("referer") || is_trace_header(name)
}

fn scanned_headers(req: &Request) -> impl Iterator<Item = (&str, &str)> {
    req.headers
        .iter()
        .filter(|(name, _)| !is_skipped_header(name))
        .map(|(name, value)| (name.as_str(), value.as_str()))
}

/// The third part of [`extract_to`]: the values of [`browser_headers`], one input each.
pub fn extract_headers(req: &Request, out: &mut Out<'_>) {
    headers_to(browser_headers(req), out);
}

/// The fourth part of [`extract_to`]: the headers that change from request to request (the
/// Referer, trace and request ids).
pub fn extract_page_headers(req: &Request, out: &mut Out<'_>) {
    headers_to(
        scanned_headers(req).filter(|(name, _)| is_per_request_header(name)),
        out,
    );
}

/// The values of the [`TRACE_HEADERS`] alone: what is left to inspect of a request remembered
/// whole but for them.
pub fn extract_trace_headers(req: &Request, out: &mut Out<'_>) {
    headers_to(
        scanned_headers(req).filter(|(name, _)| is_trace_header(name)),
        out,
    );
}

fn headers_to<'a>(headers: impl Iterator<Item = (&'a str, &'a str)>, out: &mut Out<'_>) {
    for (name, value) in headers {
        let lname = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(name)
        };
        let value = strip_auth_scheme(&lname, value);
        if !out.push(Input::new(Location::Header(lname), value)) {
            break;
        }
    }
}

/// A part of [`extract_to`]: cookie names and values.
pub fn extract_cookies(req: &Request, out: &mut Out<'_>) {
    for cookie in req.header_all("cookie") {
        cookies::extract(cookie, out);
        // A part without '=' means a value held a ';' (`a=<x;y>`): inspect the header whole too.
        if cookie
            .split(';')
            .any(|p| !p.trim().is_empty() && !p.contains('='))
        {
            out.push(Input::new(Location::Header("cookie".into()), cookie));
        }
    }
}

/// The last part of [`extract_to`]: the body, by its content type.
pub fn extract_body_part(req: &Request, limits: &Limits, out: &mut Out<'_>) {
    if req.body_truncated {
        out.hit("max_body");
    }
    extract_body(req, limits, out);
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

fn extract_body(req: &Request, limits: &Limits, out: &mut Out<'_>) {
    if req.body.is_empty() {
        return;
    }
    let ctype_raw = req.header("content-type").unwrap_or("");
    let ctype = ctype_raw.to_ascii_lowercase();
    let body = &req.body[..req.body.len().min(limits.max_body)];
    if ctype.starts_with("application/x-www-form-urlencoded") {
        let text = String::from_utf8_lossy(body);
        urlencoded::extract(&text, urlencoded::Source::Form, out);
    } else if ctype.starts_with("multipart/form-data") {
        if !multipart::extract(ctype_raw, body, limits, out) {
            raw_body(body, out);
        }
    } else if ctype.contains("json") || looks_like_json(body) {
        if !json::extract_body(body, limits, out) {
            raw_body(body, out);
        }
    } else if ctype.contains("xml") || body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
    {
        raw_body_at(Location::XmlBody, body, out);
        xml::extract(&String::from_utf8_lossy(body), limits, out);
    } else {
        raw_body(body, out);
    }
}

/// A parameter, cookie or JSON key name that needs no inspection of its own: a short plain
/// identifier. Long names (a serialized object or a payload used as the name), names that
/// walk through dunder or prototype attributes (`__proto__.isAdmin`, `__class__`,
/// `constructor.prototype`: class and prototype pollution) and names with two dots or more
/// (a class name such as `java.io.FileOutputStream`, which a deserializer may read as a type)
/// are inspected like values.
pub(crate) fn is_plain_name(name: &str) -> bool {
    let b = name.as_bytes();
    if b.is_empty() || b.len() > 32 {
        return false;
    }
    let s = scan_name(b);
    s.dotted_word && !s.attribute && s.dots < 2
}

/// `__x__` attributes and `prototype`: what class and prototype pollution write in names.
pub(crate) fn names_an_attribute_path(name: &str) -> bool {
    scan_name(name.as_bytes()).attribute
}

/// What one pass over a name's bytes tells: every parameter and cookie name and every JSON key
/// goes through here.
pub(crate) struct NameScan {
    /// Only `[A-Za-z0-9_-]`.
    pub word: bool,
    /// Only `[A-Za-z0-9_.-]`.
    pub dotted_word: bool,
    /// Walks through a dunder (`__`) or `prototype` attribute.
    pub attribute: bool,
    /// Dots seen (saturating).
    pub dots: u8,
}

pub(crate) fn scan_name(b: &[u8]) -> NameScan {
    let mut s = NameScan {
        word: true,
        dotted_word: true,
        attribute: false,
        dots: 0,
    };
    for i in 0..b.len() {
        match NAME_CLASS[b[i] as usize] {
            NAME_WORD => {}
            NAME_DOT => {
                s.word = false;
                s.dots = s.dots.saturating_add(1);
            }
            NAME_UNDERSCORE => s.attribute |= b.get(i + 1) == Some(&b'_'),
            NAME_P => {
                s.attribute |= b.len() - i >= 9 && b[i..i + 9].eq_ignore_ascii_case(b"prototype")
            }
            _ => {
                s.word = false;
                s.dotted_word = false;
            }
        }
    }
    s
}

/// What each byte means to [`scan_name`].
const NAME_WORD: u8 = 0;
const NAME_DOT: u8 = 1;
const NAME_UNDERSCORE: u8 = 2;
const NAME_P: u8 = 3;
const NAME_OTHER: u8 = 4;
static NAME_CLASS: [u8; 256] = {
    let mut t = [NAME_OTHER; 256];
    let mut c = 0;
    while c < 256 {
        if (c as u8).is_ascii_alphanumeric() || c == b'-' as usize {
            t[c] = NAME_WORD;
        }
        c += 1;
    }
    t[b'.' as usize] = NAME_DOT;
    t[b'_' as usize] = NAME_UNDERSCORE;
    t[b'p' as usize] = NAME_P;
    t[b'P' as usize] = NAME_P;
    t
};

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

fn raw_body(body: &[u8], out: &mut Out<'_>) {
    raw_body_at(Location::Body, body, out);
}

/// [`raw_body`] at `location`.
fn raw_body_at(location: Location<'static>, body: &[u8], out: &mut Out<'_>) {
    let text = match std::str::from_utf8(body) {
        Ok(t) => Cow::Borrowed(t),
        // Binary (an image, an archive): its bytes are not text an application would parse,
        // and read as text they look like anything. Its printable runs are what could be.
        Err(_) if is_binary(body) => Cow::Owned(printable_runs(body)),
        Err(_) => String::from_utf8_lossy(body),
    };
    out.push(Input::new(location, text));
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
    fn the_candidates_are_the_trace_headers() {
        let mut listed = Vec::new();
        for first in 0..=u8::MAX {
            for len in 0..64 {
                for &h in trace_header_candidates(first, len) {
                    assert_eq!(
                        (h.as_bytes()[0], h.len()),
                        (first.to_ascii_lowercase(), len)
                    );
                    listed.push(h);
                }
            }
        }
        // Each name under its lower- and upper-case first byte.
        let mut expected: Vec<&str> = TRACE_HEADERS.iter().flat_map(|&h| [h, h]).collect();
        expected.sort_unstable();
        listed.sort_unstable();
        assert_eq!(listed, expected);
        for h in TRACE_HEADERS {
            assert!(is_trace_header(h) && is_trace_header(&h.to_ascii_uppercase()));
        }
        assert!(!is_trace_header("user-agent") && !is_trace_header("referer"));
        assert!(!is_trace_header("cookie") && !is_trace_header(""));
    }

    #[test]
    fn request_ids_are_left_out_of_the_browsers_set_and_inspected_on_their_own() {
        let r = req(
            "",
            &[
                ("User-Agent", "Mozilla/5.0 Firefox/120.0"),
                ("X-Request-Id", "9e3779b97f4a7c15"),
                ("Accept", "text/html"),
                (
                    "traceparent",
                    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                ),
                ("Referer", "https://shop.example/cart"),
                ("Sec-Fetch-Site", "same-origin"),
            ],
            b"",
        );
        let names = |it: &mut dyn Iterator<Item = (&str, &str)>| -> Vec<String> {
            it.map(|(n, _)| n.to_ascii_lowercase()).collect()
        };
        assert_eq!(
            names(&mut browser_headers(&r)),
            ["user-agent", "accept", "sec-fetch-site"]
        );
        let ins = Inputs::collect(&Limits::default(), |out| extract_page_headers(&r, out));
        let page: Vec<_> = ins.items.iter().map(|i| i.location.clone()).collect();
        assert_eq!(
            page,
            ["x-request-id", "traceparent", "referer"].map(|n| Location::Header(n.into()))
        );
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

    /// [`names_an_attribute_path`] by its definition, for the tests of the one-pass scan.
    pub(crate) fn attribute_path_reference(name: &str) -> bool {
        let lower = name.to_ascii_lowercase();
        lower.contains("__") || lower.contains("prototype")
    }

    #[test]
    fn attribute_paths_by_scan_and_by_definition() {
        for n in [
            "__proto__",
            "a__b",
            "_a_",
            "Prototype",
            "protot",
            "constructor.prototype",
            "x",
            "",
        ] {
            assert_eq!(
                names_an_attribute_path(n),
                attribute_path_reference(n),
                "{n:?}"
            );
        }
    }

    #[test]
    fn plain_names_are_short_identifiers_without_attribute_paths() {
        let reference = |n: &str| {
            !n.is_empty()
                && n.len() <= 32
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
                && !attribute_path_reference(n)
                && n.matches('.').count() < 2
        };
        for n in [
            "",
            "id",
            "user.name",
            "java.io.File",
            "a.b.c",
            "a-b_c",
            "__proto__",
            "a__b",
            "_x_",
            "prototype",
            "xPROTOTYPEy",
            "protot",
            "p",
            "a[$ne]",
            "ü",
            "constructor.prototype",
            &"k".repeat(32),
            &"k".repeat(33),
        ] {
            assert_eq!(is_plain_name(n), reference(n), "{n:?}");
        }
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

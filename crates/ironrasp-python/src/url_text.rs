//! The few URL text operations the serverless adapters need, with Python's `urllib.parse`
//! semantics (the platforms hand over decoded parameters or full URLs, the engine wants the raw
//! path and query string).

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::borrow::Cow;

/// Percent-decodes once (`urllib.parse.unquote`): invalid escapes stay as they are, bytes that
/// are not UTF-8 become U+FFFD.
pub(crate) fn unquote(s: &str) -> Cow<'_, str> {
    percent_decode_str(s).decode_utf8_lossy()
}

/// A request path percent-decoded once; when the bytes it spells are not UTF-8 (overlong
/// `%c0%af` and the like) it stays as sent, so the engine's decoders still read the escapes.
pub(crate) fn unquote_path(s: &str) -> Cow<'_, str> {
    match percent_decode_str(s).decode_utf8() {
        Ok(decoded) => decoded,
        Err(_) => Cow::Borrowed(s),
    }
}

/// What `urllib.parse.quote(s, safe="")` leaves as it is.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'_')
    .remove(b'.')
    .remove(b'-')
    .remove(b'~');

/// `urllib.parse.urlencode(pairs, quote_via=quote)`: every byte but the unreserved ones escaped.
pub(crate) fn urlencode(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.extend(utf8_percent_encode(k, UNRESERVED));
        out.push('=');
        out.extend(utf8_percent_encode(v, UNRESERVED));
    }
    out
}

/// Path and query of a URL, as `urllib.parse.urlsplit` splits them (scheme and authority
/// skipped, fragment dropped).
pub(crate) fn path_and_query(url: &str) -> (&str, &str) {
    let mut rest = url;
    if let Some(colon) = rest.find(':') {
        let scheme = &rest[..colon];
        let is_scheme = scheme
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_alphabetic)
            && scheme
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'));
        if is_scheme {
            rest = &rest[colon + 1..];
        }
    }
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        rest = &after[end..];
    }
    if let Some(hash) = rest.find('#') {
        rest = &rest[..hash];
    }
    match rest.find('?') {
        Some(q) => (&rest[..q], &rest[q + 1..]),
        None => (rest, ""),
    }
}

/// Path and query of an HTTP request-target. The usual origin form (`/a/b?q`) is split at its
/// first `?` only: a path starting `//` is a path there, not an authority. Absolute form
/// (`http://host/a?q`, sent to proxies) is read as a URL.
pub(crate) fn split_target(target: &str) -> (&str, &str) {
    if !target.starts_with('/') {
        return path_and_query(target);
    }
    match target.split_once('?') {
        Some((path, query)) => (path, query),
        None => (target, ""),
    }
}

/// The last non-empty entry of X-Forwarded-For over all its header lines in order: the address
/// the platform's own front end appended (the one hop the platform vouches for).
pub(crate) fn rightmost_forwarded<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let mut last = "";
    for value in values {
        if let Some(part) = value.split(',').map(str::trim).rfind(|p| !p.is_empty()) {
            last = part;
        }
    }
    last.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unquote_like_python() {
        assert_eq!(unquote("/a%20b"), "/a b");
        assert_eq!(unquote("/a%2"), "/a%2");
        assert_eq!(unquote("%zz%41"), "%zzA");
        assert_eq!(unquote("%C3%A9%FF"), "é\u{fffd}");
        assert_eq!(unquote("%"), "%");
    }

    #[test]
    fn urlencode_like_python() {
        let p = vec![
            ("q".to_string(), "O'Brien & co".to_string()),
            ("e".to_string(), String::new()),
            ("ü".to_string(), "a~b_c.d-e/".to_string()),
        ];
        assert_eq!(
            urlencode(&p),
            "q=O%27Brien%20%26%20co&e=&%C3%BC=a~b_c.d-e%2F"
        );
    }

    #[test]
    fn splits_request_targets() {
        assert_eq!(split_target("/search?q=a?b&x=1"), ("/search", "q=a?b&x=1"));
        assert_eq!(split_target("//etc/passwd"), ("//etc/passwd", ""));
        assert_eq!(split_target("/"), ("/", ""));
        assert_eq!(split_target("http://h.example/a/b?c=d"), ("/a/b", "c=d"));
        assert_eq!(split_target("/p%2e%2e/x?y"), ("/p%2e%2e/x", "y"));
        assert_eq!(unquote_path("/a%20b/%2e%2e"), "/a b/..");
        assert_eq!(unquote_path("/..%c0%af..%c0%afetc"), "/..%c0%af..%c0%afetc");
    }

    #[test]
    fn splits_urls_like_urlsplit() {
        assert_eq!(
            path_and_query("https://h.net/api/x?a=1&b=2#f"),
            ("/api/x", "a=1&b=2")
        );
        assert_eq!(path_and_query("https://h.net?a=1"), ("", "a=1"));
        assert_eq!(path_and_query("/api/x?y"), ("/api/x", "y"));
        assert_eq!(path_and_query("/a:b/c"), ("/a:b/c", ""));
    }

    #[test]
    fn rightmost_forwarded_entry() {
        let v = ["203.0.113.66, 192.0.2.40", " 10.0.0.1 , ", ""];
        assert_eq!(rightmost_forwarded(v.iter().copied()), "10.0.0.1");
        assert_eq!(rightmost_forwarded(std::iter::empty()), "");
    }
}

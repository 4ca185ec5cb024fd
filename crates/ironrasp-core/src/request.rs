//! The raw request and response as an adapter hands them over: framework-free, unparsed.

/// A request as received. Adapters copy raw pieces only; all parsing happens in `extract`.
#[derive(Clone, Debug, Default)]
pub struct Request {
    pub method: String,
    /// Path as the server gave it (percent-decoded once by WSGI servers, raw elsewhere).
    pub path: String,
    /// Raw query string, without the leading '?'.
    pub query: String,
    /// Header names (any case) and values, in order, repeats kept.
    pub headers: Vec<(String, String)>,
    /// Body bytes, at most `limits.max_body` of them.
    pub body: Vec<u8>,
    /// True when the adapter stopped reading the body at `limits.max_body`.
    pub body_truncated: bool,
    /// Address of the TCP peer (the proxy, when there is one).
    pub peer: String,
}

impl Request {
    /// First value of a header, matched case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a header, matched case-insensitively.
    pub fn header_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A response as the application produced it.
#[derive(Clone, Debug, Default)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
}

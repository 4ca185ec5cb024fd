//! CRLF injection (HTTP response splitting, header injection). A line break in a value only
//! matters if what follows it is HTTP: a header line, a status or request line, or (after a
//! blank line) a body. Line breaks are CR, LF, and the code points that servers truncating
//! UTF-16/UTF-8 to one byte turn into CR or LF (`嘊` U+560A → 0x0A, `嘍` U+560D → 0x0D).
//!
//! Ordinary multi-line text ("Dear team,\nthanks: see below", "Note: ...", stack traces,
//! addresses) passes: a header line needs a header-shaped name — a known response/request header
//! or prefix, or a hyphenated token (`X-Foo`, `Content-Whatever`) — and generic English header
//! words (`Location:`, `Host:`) need a technical value, not prose.

use crate::check::Check;
use crate::detect::needle;
use crate::finding::Finding;

/// Scores at or above this are findings; weaker evidence is dropped.
pub const THRESHOLD: f32 = 0.5;

/// Line breaks examined per value.
const MAX_BREAKS: usize = 256;

/// Headers that only make sense as HTTP headers (strong).
const STRONG_HEADERS: [&str; 24] = [
    "set-cookie",
    "content-length",
    "content-type",
    "content-disposition",
    "content-encoding",
    "content-security-policy",
    "transfer-encoding",
    "cache-control",
    "www-authenticate",
    "authorization",
    "strict-transport-security",
    "user-agent",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-xss-protection",
    "x-frame-options",
    "upgrade-insecure-requests",
    "keep-alive",
    "set-cookie2",
    "proxy-authorization",
    "if-modified-since",
    "if-none-match",
    "last-modified",
    "content-location",
];

/// Header names that are also English words: they need a value that is not prose.
const WORD_HEADERS: [&str; 14] = [
    "location",
    "refresh",
    "host",
    "cookie",
    "connection",
    "referer",
    "origin",
    "server",
    "link",
    "vary",
    "pragma",
    "expires",
    "upgrade",
    "accept",
];

pub fn inspect(text: &str) -> Option<Finding> {
    let mut best: Option<(f32, String)> = None;
    let mut keep = |score: f32, why: String| {
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, why));
        }
    };
    if has_break_byte(text.as_bytes()) {
        judge_breaks(text, &mut keep);
    }
    if let Some(line) = status_or_request_line(text.trim_start()) {
        // A whole value that is an HTTP request line targets request smuggling via
        // parameters copied into upstream requests; weaker without a line break.
        if line == "request" {
            keep(0.6, "value is an HTTP request line".into());
        }
    }
    let (score, why) = best?;
    (score >= THRESHOLD).then(|| Finding::new(Check::Crlf, score, why))
}

/// Judges what follows each run of line breaks in `text`.
fn judge_breaks(text: &str, keep: &mut impl FnMut(f32, String)) {
    // Where the first `<...>` of the value ends, if it has one.
    let b = text.as_bytes();
    let tag_end =
        memchr::memchr(b'<', b).and_then(|lt| memchr::memchr(b'>', &b[lt..]).map(|gt| lt + gt));
    let multipart = is_multipart_body(text);
    // The value's first line is an e-mail address: the value of an address field that the
    // lines after it extend. A greeting, a note or a pasted e-mail starts otherwise.
    // Read once, when a mail header first appears (never for most values).
    let address_first = std::cell::OnceCell::new();
    let address_first =
        || *address_first.get_or_init(|| is_address(text.split(is_break).next().unwrap_or("")));
    let mut breaks = 0;
    // Index up to which a run of line breaks was already handled.
    let mut handled = 0;
    for (i, c) in text.char_indices() {
        let wide = is_truncating_break(c);
        if i < handled || (c != '\r' && c != '\n' && !wide) {
            continue;
        }
        breaks += 1;
        if breaks > MAX_BREAKS {
            break;
        }
        // The whole run of breaks: `\r\n`, `\n\r`, `\r\n\r\n`.
        let rest = text[i..].trim_start_matches(is_break);
        handled = text.len() - rest.len();
        let run = &text[i..handled];
        let line_feeds = run
            .chars()
            .filter(|&ch| ch == '\n' || (is_truncating_break(ch) && ch as u32 & 0xff == 0x0a))
            .count();
        // A value that is already markup before its blank line is a rich-text body with
        // paragraphs ("<p>..</p>\n\n<p>"), not a header value followed by a new body; header
        // lines and status lines after a break are still judged below.
        let markup_before = tag_end.is_some_and(|g| g < i);
        if line_feeds >= 2 && rest.trim_start().starts_with('<') && !markup_before {
            keep(
                0.85,
                "line break, blank line, then an HTML body (response splitting)".into(),
            );
        }
        if let Some(line) = status_or_request_line(rest) {
            keep(0.9, format!("line break, then an HTTP {line} line"));
        }
        if let Some(name) = mail_header(rest).filter(|_| address_first()) {
            keep(
                0.8,
                [
                    "a line break after an address, then a '",
                    name,
                    ":' mail header",
                ]
                .concat(),
            );
        }
        if let Some((score, name)) =
            header_line(rest).filter(|(_, n)| !(multipart && is_part_header(n)))
        {
            let how = if run.chars().any(is_truncating_break) {
                "a truncating Unicode line break"
            } else {
                "a line break"
            };
            keep(score, [how, ", then a '", &name, ":' header line"].concat());
        }
    }
}

/// A raw multipart body: its first line is a MIME boundary (`--` and a token, no spaces).
fn is_multipart_body(text: &str) -> bool {
    let t = text.trim_start();
    let line = &t[..memchr::memchr2(b'\r', b'\n', t.as_bytes()).unwrap_or(t.len())];
    line.len() > 4 && line.starts_with("--") && !line.contains(' ')
}

/// Headers that every multipart part carries (and that split no HTTP response).
fn is_part_header(name: &str) -> bool {
    [
        "content-disposition",
        "content-type",
        "content-transfer-encoding",
    ]
    .iter()
    .any(|h| name.eq_ignore_ascii_case(h))
}

/// Whether `b` may hold a line break: CR, LF, or the end of a truncating break. Those are
/// U+0100..=U+FFFF with a low byte of 0x0A or 0x0D: their UTF-8 encoding ends in the
/// continuation byte 0x8A or 0x8D (the low six bits) after a byte whose low two bits (the
/// code point's bits 6 and 7) are clear. Text without that (most non-ASCII words,
/// "Настройки", "объект") has no break to judge, and is not decoded. ASCII text is told by
/// one cheaper test than a second search.
fn has_break_byte(b: &[u8]) -> bool {
    needle::byte2(b'\r', b'\n', b).is_some()
        || (!b.is_ascii() && needle::byte2_iter(0x8a, 0x8d, b).any(|i| i > 0 && b[i - 1] & 3 == 0))
}

fn is_break(c: char) -> bool {
    c == '\r' || c == '\n' || is_truncating_break(c)
}

/// A character that a byte-truncating server turns into CR or LF (U+560A, U+010A, ...).
fn is_truncating_break(c: char) -> bool {
    let v = c as u32;
    v > 0xff && v <= 0xffff && matches!(v & 0xff, 0x0a | 0x0d)
}

/// `HTTP/1.1 200 OK` or `GET /x HTTP/1.1` at the start of `s`.
fn status_or_request_line(s: &str) -> Option<&'static str> {
    if !starts_like_http_line(s.as_bytes()) {
        return None;
    }
    let line = s.lines().next().unwrap_or("");
    let upper = line
        .get(..line.len().min(256))
        .unwrap_or("")
        .to_ascii_uppercase();
    if let Some(v) = upper.strip_prefix("HTTP/") {
        let v = v.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
        let code = v.trim_start();
        if code.len() >= 3 && code.as_bytes()[..3].iter().all(u8::is_ascii_digit) {
            return Some("status");
        }
    }
    let mut words = upper.split(' ');
    let method = words.next()?;
    if METHODS.contains(&method)
        && words.next().is_some()
        && words.next().is_some_and(|v| v.starts_with("HTTP/"))
    {
        return Some("request");
    }
    None
}

const METHODS: [&str; 8] = [
    "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT",
];

/// `HTTP/` or a method and a space, in any case: what a status or request line starts with.
/// Checked on the bytes before the line is upper-cased into a copy.
fn starts_like_http_line(s: &[u8]) -> bool {
    // The first letters of `HTTP/` and of the methods: most values stop here.
    if !s.first().is_some_and(|c| {
        matches!(
            c.to_ascii_uppercase(),
            b'H' | b'G' | b'P' | b'D' | b'O' | b'C'
        )
    }) {
        return false;
    }
    let starts = |p: &[u8]| s.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    starts(b"HTTP/")
        || METHODS
            .iter()
            .any(|m| starts(m.as_bytes()) && s.get(m.len()) == Some(&b' '))
}

/// `Name: value` at the start of `s` with a header-shaped name; the score and the name.
/// Mail headers that add recipients or change the sender, with an address as their value
/// (`Bcc: victim@example.com`): what a line break in an address field injects into the mail.
fn mail_header(s: &str) -> Option<&'static str> {
    const NAMES: [&str; 5] = ["bcc", "cc", "to", "from", "reply-to"];
    let colon = s.as_bytes().iter().take(10).position(|&c| c == b':')?;
    let name = NAMES
        .into_iter()
        .find(|n| n.as_bytes().eq_ignore_ascii_case(&s.as_bytes()[..colon]))?;
    is_address(s[colon + 1..].lines().next().unwrap_or("")).then_some(name)
}

/// One e-mail address, white space around it at most: `local@domain.tld`.
fn is_address(s: &str) -> bool {
    let t = s.trim();
    t.len() <= 254
        && !t.contains(char::is_whitespace)
        && t.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.contains('@')
        })
}

fn header_line(s: &str) -> Option<(f32, String)> {
    let name_len = s
        .bytes()
        .take(80)
        .take_while(|&b| b.is_ascii_alphanumeric() || b"!#$&'*+.^_`|~-".contains(&b))
        .count();
    if name_len == 0 {
        return None;
    }
    let name = &s[..name_len];
    let after = s[name_len..].trim_start_matches([' ', '\t', '\r']);
    let value = after.strip_prefix(':')?;
    let value = value.lines().next().unwrap_or("").trim();
    // Compared without case instead of through a lower-cased copy.
    let is = |h: &&str| name.eq_ignore_ascii_case(h);
    let starts = |p: &str| {
        name.as_bytes()
            .get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
    };
    if STRONG_HEADERS.iter().any(is)
        || starts("x-")
        || starts("access-control-")
        || starts("content-")
        || starts("sec-")
        || starts("proxy-")
    {
        return Some((0.9, name.to_string()));
    }
    let technical = !value.is_empty() && !value.contains(' ')
        || value.starts_with("http")
        || value.starts_with('/')
        || value.bytes().next().is_some_and(|b| b.is_ascii_digit()) && value.contains(';');
    if WORD_HEADERS.iter().any(is) {
        return Some((
            if technical && value.contains(['/', '.', '=', ';']) {
                0.75
            } else {
                0.35
            },
            name.to_string(),
        ));
    }
    // Unknown but header-shaped: hyphenated tokens (`Remote-Addr`) or CamelCase words
    // (`InjectedHeader`) with a value that is not a sentence.
    let hyphenated = name.contains('-')
        && name
            .split('-')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    // Exception names in pasted stack traces (`ValueError: x`) are CamelCase too.
    let exception = ["Error", "Exception", "Warning"]
        .iter()
        .any(|e| name.ends_with(e));
    let camel = !exception
        && name.bytes().skip(1).any(|b| b.is_ascii_uppercase())
        && name.bytes().any(|b| b.is_ascii_lowercase())
        && name.bytes().all(|b| b.is_ascii_alphanumeric());
    if (hyphenated || camel) && technical {
        return Some((0.65, name.to_string()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_break_character_holds_a_break_byte() {
        // Exhaustive: the gate of `inspect` skips a value only when no character is a break.
        let mut buf = [0u8; 4];
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            if is_break(c) {
                assert!(has_break_byte(bytes), "U+{:04X}", c as u32);
            }
        }
        assert!(!has_break_byte("Настройки Azioni sulla Tela".as_bytes()));
        // U+044A and U+044D end in 0x8A and 0x8D but their low byte is 0x4A, 0x4D.
        assert!(!has_break_byte("объект, это".as_bytes()));
        assert!(has_break_byte("x\u{560a}".as_bytes()));
    }

    fn flagged(s: &str) -> bool {
        inspect(s).is_some_and(|f| f.score >= 0.5)
    }

    #[test]
    fn header_injection() {
        for s in [
            "/\r\nSet-Cookie: crlf=injection",
            "/\nSet-Cookie:crlf=injection",
            "/\rSet-Cookie:crlf=injection",
            "x\r\nLocation: http://evil.com/",
            "x\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html",
            "foobar\nContent-Length: 02343432423<html>ftw</html>",
            "x\r\nX-Injected: 1",
            "x\r\nAccess-Control-Allow-Origin: *",
            "x\r\n\r\n<html><script>alert(1)</script></html>",
            "x\nHTTP/1.1 200 OK",
            "x\u{560a}\u{560d}Set-Cookie: a=b",
            "Headerdata\rInjectedHeader: response_splitting_code",
            "x\r\nRefresh: 0;url=http://evil.com/",
            "x\r\nRemote-Addr: 10.0.0.1",
            "GET http://www.example.com/ HTTP/1.1",
            "--boundary123\r\nSet-Cookie: a=b",
            // Methods and `HTTP/` in any case (the gate before upper-casing must keep them).
            "get /x http/1.1",
            "x\r\nhttp/1.1 200 OK",
        ] {
            assert!(flagged(s), "{s:?}");
        }
    }

    #[test]
    fn mail_header_injection() {
        for s in [
            "a@b.example\r\nBcc: victim@c.example",
            "a@b.example\nCc:victim@c.example",
            "a@b.example\r\nTo: victim@c.example\r\n\r\nbody",
            "a@b.example%0A\nFrom: ceo@corp.example",
        ] {
            assert!(flagged(s), "{s:?}");
        }
        // A greeting, a note or a pasted e-mail: the first line is no address, or no address
        // follows the header.
        for s in [
            "From: ann@example.com\nTo: bob@example.com\nSubject: hello",
            "Hi\n\nFrom: John Smith\nTo: Support\nSubject: Order 1234",
            "Hello,\nSubject: refund request",
            "jane.doe@corp.example\nSubject: access request for VPN",
            "nick\nBcc: me@x.example",
            "Lunch\nTo: everyone in the team",
        ] {
            assert!(!flagged(s), "{s:?}");
        }
    }

    #[test]
    fn multi_line_text_passes() {
        for s in [
            "Dear team,\nthanks: see below",
            "Hello\nNote: the meeting moved",
            "Traceback (most recent call last):\n  File \"app.py\", line 3, in <module>\nValueError: bad",
            "John Smith\n12 Main St\nSpringfield",
            "Job details\nLocation: Berlin, Germany\nSalary: negotiable",
            "first line\r\nsecond line",
            "Agenda:\n1. intro\n2. Q&A",
            "Summary: ok\nDetails: see attached",
            "Content-Length: 0",
            "中文嘊字",
            "--b123\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Type: text/plain\r\n\r\nv",
            "Use GET to fetch and POST to create",
            "Traceback:\nKeyError: 'x'\nValueError: bad",
        ] {
            assert!(!flagged(s), "{s:?}");
        }
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let _ = inspect(&"\r\n".repeat(50_000));
        let _ = inspect(&"\nX:".repeat(50_000));
        let _ = inspect("\n\u{560a}é:ü");
    }
}

//! Server-side request forgery: a URL (or a bare `host[:port][/path]` value) whose host is
//! internal — loopback, private, link-local, unspecified, a cloud metadata service — in any
//! spelling, or whose scheme reaches non-HTTP services (`gopher:`, `dict:`, `file:` ...).
//!
//! Parsers disagree on where the host of a tricky URL is (`http://a@b\@c/`, `http://a#@b`), and
//! the attack is exactly that disagreement, so the authority is read with several terminator
//! sets (browser, naive, curl-like) and every host so found is classified; any internal one
//! counts. Host classification is in `ssrf_host.rs`.

use crate::check::Check;
use crate::detect::needle;
use crate::finding::Finding;

/// Scores at or above this are findings; weaker evidence is dropped.
pub const THRESHOLD: f32 = 0.5;

#[path = "ssrf_host.rs"]
pub(crate) mod host;

/// URL schemes checked per value (each costs one authority parse).
const MAX_SCHEMES: usize = 64;
/// Whitespace-separated words beyond which a value is prose, not an address.
const PROSE_WORDS: usize = 4;
/// Bytes of authority read after a scheme.
const MAX_AUTHORITY: usize = 512;

/// Schemes a browser or curl parses as hierarchical even without `//` (`http:127.0.0.1`).
const SPECIAL: [&str; 6] = ["http", "https", "ftp", "ws", "wss", "gopher"];
/// Schemes that reach non-HTTP services from a URL-fetching parameter.
const DANGEROUS: [&str; 11] = [
    "gopher", "dict", "file", "ldap", "ldaps", "tftp", "sftp", "jar", "netdoc", "telnet", "smb",
];

/// Bytes a host name or IPv4 literal is made of (what [`strip_port`] keeps).
const HOST_BYTE: [bool; 256] = crate::detect::prefilter::byte_set(
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_~",
);

/// Bytes of a host name other than `.` (a one-label name or number).
const WORD_BYTE: [bool; 256] = crate::detect::prefilter::byte_set(
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_~",
);

pub fn inspect(text: &str) -> Option<Finding> {
    // Ids, hashes, session cookies and CSRF tokens are fresh on every request, so no memo
    // helps: they, and most words, host names and user agents, are answered from one scan of
    // the leading host (a run of [`HOST_BYTE`]s). A value with no `:` (no scheme) and no `@`
    // (no user part) after it has that host as the only one [`bare_host`] reads.
    let b = text.as_bytes();
    // Markup, quotes and text in other scripts start with no host.
    if b.first().is_none_or(|&c| !WORD_BYTE[usize::from(c)]) {
        // Text in another script: [`bare_host`] needs a host byte first (a wide full stop is
        // read as one, and Unicode spaces are trimmed) or a user part (`@`), and a URL a
        // scheme (`:`). One scan and one character decoded.
        if b.first().is_some_and(|&c| c >= 0x80)
            && !is_ideographic_stop(b)
            && !text.starts_with(char::is_whitespace)
            && needle::byte2(b':', b'@', b).is_none()
        {
            return None;
        }
        return read(text, None);
    }
    // Prices, versions and public dotted quads (the first label as [`host::public_decimal`]
    // needs it is matched inline: most values fail here without a call).
    if matches!(
        b,
        [b'1'..=b'9', b'.', ..]
            | [b'1'..=b'9', b'0'..=b'9', b'.', ..]
            | [b'1'..=b'9', b'0'..=b'9', b'0'..=b'9', b'.', ..]
    ) && host::public_decimal(text)
    {
        return None;
    }
    let mut end = run_len(b, &WORD_BYTE);
    let dotted = b.get(end) == Some(&b'.');
    if dotted {
        end += run_len(&b[end..], &HOST_BYTE);
    }
    let host = &text[..end];
    let only_host = match b.get(end) {
        None => true,
        // The first `:` is known: no search for it.
        Some(b':') => return read(text, Some(end)),
        // A non-ASCII byte may start an ideographic full stop, read as `.`; any other one
        // ends the host as an ASCII byte does ("Länk", "Rückgängig machen").
        Some(&c) => {
            (if c.is_ascii() {
                c != b'@'
            } else {
                !has_ideographic_stop(&b[end..])
            }) && needle::byte2(b':', b'@', &b[end + 1..]).is_none()
        }
    };
    let public = if !only_host {
        false
    } else if dotted {
        host::public_decimal(host) || host::classify(host).is_none()
    } else {
        // A plain number is never reported bare, so only a `0x` number or a listed name counts.
        !host::word_may_be_internal(host.as_bytes())
    };
    if public {
        return None;
    }
    if end == b.len() {
        // Host bytes only: no scheme, not a public decimal (ruled out above when dotted, and
        // never one without a `.`), ASCII; [`read`] would come to the bare-host reading.
        let (score, why) = bare_host(text)?;
        return finding(text, score, why);
    }
    read(text, None)
}

/// The length of the run of bytes of `set` that starts `b`. Tokens are long runs: eight bytes
/// are tested at a time, without a branch per byte.
fn run_len(b: &[u8], set: &[bool; 256]) -> usize {
    let mut k = 0;
    for chunk in b.chunks_exact(8) {
        if !chunk.iter().fold(true, |all, &c| all & set[usize::from(c)]) {
            break;
        }
        k += 8;
    }
    k + b[k..]
        .iter()
        .position(|&c| !set[usize::from(c)])
        .unwrap_or(b.len() - k)
}

/// [`inspect`] without the leading-word shortcuts; `colon` is the first `:` when known (it is
/// in ASCII before any ideographic full stop, so it stays in place when they are replaced).
#[inline(never)] // keeps the shortcuts in [`inspect`] free of its stack frame
fn read(text: &str, colon: Option<usize>) -> Option<Finding> {
    // Prices, versions and public dotted quads: no scheme, and a public bare-host reading.
    if colon.is_none() && host::public_decimal(text) {
        return None;
    }
    // URL parsers (IDNA) treat the ideographic and fullwidth full stops as dots.
    let dotted;
    let text = if !text.is_ascii() && has_ideographic_stop(text.as_bytes()) {
        dotted = text.replace(['\u{3002}', '\u{ff0e}', '\u{ff61}'], ".");
        dotted.as_str()
    } else {
        text
    };
    let mut best: Option<(f32, String)> = None;
    let mut keep = |score: f32, why: String| {
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, why));
        }
    };
    if let Some((score, why)) = network_path(text) {
        keep(score, why);
    }
    // A scheme needs a `:`; without one only the bare-host reading is left, which prose and
    // plain numbers fail cheaply.
    let Some(colon) = colon.or_else(|| memchr::memchr(b':', text.as_bytes())) else {
        if let Some((score, why)) = bare_host(text) {
            keep(score, why);
        }
        let (score, why) = best?;
        return finding(text, score, why);
    };
    for (scheme, rest) in schemes(text, colon).take(MAX_SCHEMES) {
        let (hosts, n) = hosts_of(rest);
        for &h in &hosts[..n] {
            if let Some(why) = host::classify(h) {
                let score = internal_host_score(why);
                let mut e = evidence(&[scheme, ": URL whose host '", h, "' is a ", why]);
                e[..scheme.len()].make_ascii_lowercase();
                keep(score, e);
            }
        }
        if let Some(d) = DANGEROUS.iter().find(|d| d.eq_ignore_ascii_case(scheme)) {
            let score = if *d == "file" { 0.6 } else { 0.75 };
            keep(
                score,
                evidence(&["URL with scheme '", d, ":' that reaches a non-HTTP service"]),
            );
        }
    }
    if let Some((score, why)) = bare_host(text) {
        keep(score, why);
    }
    let (score, why) = best?;
    finding(text, score, why)
}

/// The score of a URL whose host is internal, `why` being [`host::classify`]'s answer: the
/// metadata service is what SSRF is after most.
fn internal_host_score(why: &str) -> f32 {
    if why.contains("metadata") {
        0.95
    } else {
        0.9
    }
}

/// A network-path reference (`//169.254.169.254/latest`, `///127.0.0.1/`, `/\127.0.0.1`):
/// resolved against the page or request URL, it keeps that scheme and takes this host. It is
/// also how a file share is written (`\\fileserver\docs`, `//10.0.0.5/scans` for a CIFS
/// mount), and users paste those to hosts of their own network: only loopback, link-local,
/// metadata and unspecified hosts count.
fn network_path(text: &str) -> Option<(f32, String)> {
    let t = crate::ascii_trim::trim(text);
    let slashes = t
        .bytes()
        .take(3)
        .take_while(|&c| c == b'/' || c == b'\\')
        .count();
    if slashes < 2 {
        return None;
    }
    let (hosts, n) = hosts_of(&t[slashes..]);
    hosts[..n].iter().find_map(|&h| {
        let why = host::classify(h)?;
        if why.contains("private") {
            return None;
        }
        let score = internal_host_score(why);
        Some((
            score,
            evidence(&["scheme-relative URL whose host '", h, "' is a ", why]),
        ))
    })
}

/// Whether `b` holds U+3002, U+FF0E or U+FF61, found by their UTF-8 bytes: most non-ASCII
/// text has neither lead byte, and no character is decoded.
fn has_ideographic_stop(b: &[u8]) -> bool {
    needle::byte2_iter(0xE3, 0xEF, b).any(|i| is_ideographic_stop(&b[i..]))
}

/// Whether `b` starts with U+3002, U+FF0E or U+FF61.
fn is_ideographic_stop(b: &[u8]) -> bool {
    matches!(
        b.get(..3),
        Some([0xE3, 0x80, 0x82] | [0xEF, 0xBC, 0x8E] | [0xEF, 0xBD, 0xA1])
    )
}

/// Noted after the evidence of a value that is prose.
const INSIDE_TEXT: &str = " (inside longer text)";

/// `parts` joined in one allocation, with room for [`INSIDE_TEXT`]: `format!` costs more than
/// the classification it reports.
fn evidence(parts: &[&str]) -> String {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let mut s = String::with_capacity(len + INSIDE_TEXT.len());
    for p in parts {
        s.push_str(p);
    }
    s
}

/// The finding for the strongest evidence, weakened when the value is prose.
fn finding(text: &str, mut score: f32, mut why: String) -> Option<Finding> {
    // A fetcher is handed a URL, not a paragraph: a URL mentioned inside prose or pasted code
    // ("Running on http://127.0.0.1:5000/") is noted but not reported.
    if text.split_whitespace().nth(PROSE_WORDS).is_some() {
        score = score.min(0.45);
        why.push_str(INSIDE_TEXT);
    }
    (score >= THRESHOLD).then(|| Finding::new(Check::Ssrf, score, why))
}

/// Every `scheme:` in the text (as written; compare it ignoring ASCII case) with what follows
/// its slashes, from the first `:` at `colon` on. Special schemes may be written with any
/// number of slashes or backslashes (browsers accept them); others need `//`.
fn schemes(text: &str, colon: usize) -> impl Iterator<Item = (&str, &str)> {
    let b = text.as_bytes();
    let more = memchr::memchr_iter(b':', &b[colon + 1..]).map(move |i| colon + 1 + i);
    std::iter::once(colon).chain(more).filter_map(move |i| {
        let mut start = i;
        while start > 0 && i - start < 16 {
            let c = b[start - 1];
            if c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-') {
                start -= 1;
            } else {
                break;
            }
        }
        if start == i || !b[start].is_ascii_alphabetic() {
            return None;
        }
        let scheme = &text[start..i];
        let after = &text[i + 1..];
        let slashes = after
            .bytes()
            .take_while(|&c| c == b'/' || c == b'\\')
            .count();
        let rest = &after[slashes..];
        let special = SPECIAL.iter().any(|s| s.eq_ignore_ascii_case(scheme));
        let ok = if special {
            slashes > 0 || rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '[')
        } else {
            // `jar:` wraps another URL (`jar:http://h/a.jar!/`).
            after.starts_with("//") || (scheme.eq_ignore_ascii_case("jar") && after.contains("://"))
        };
        ok.then_some((scheme, rest))
    })
}

/// The hosts that different parsers would connect to for the authority at the start of `rest`.
pub(crate) fn authority_hosts(rest: &str) -> Vec<&str> {
    let (hosts, n) = hosts_of(rest);
    hosts[..n].to_vec()
}

/// [`authority_hosts`] without an allocation: the first `n` entries of the array.
fn hosts_of(rest: &str) -> ([&str; 4], usize) {
    let rest = clip(rest, MAX_AUTHORITY);
    // browser, no-backslash, naive (only '/' and space end it), space-tolerant
    //   ends: "/\\?# \t\r\n", "/?# \t\r\n", "/ \t\r\n", "/\\" (bit k: reading k).
    // One pass finds where each reading ends; every one of them ends at the first '/'.
    let mut ends = [rest.len(); 4];
    for (i, c) in rest.bytes().enumerate() {
        let readings: u8 = match c {
            b'/' => 0b1111,
            b'\\' => 0b1001,
            b'?' | b'#' => 0b0011,
            b' ' | b'\t' | b'\r' | b'\n' => 0b0111,
            _ => continue,
        };
        for (k, end) in ends.iter_mut().enumerate() {
            if readings & (1 << k) != 0 && *end == rest.len() {
                *end = i;
            }
        }
        if c == b'/' {
            break;
        }
    }
    let mut hosts = [""; 4];
    let mut n = 0;
    for (k, &end) in ends.iter().enumerate() {
        // A reading that ends where an earlier one did names the same host.
        if ends[..k].contains(&end) {
            continue;
        }
        let auth = &rest[..end];
        let after_at = memchr::memrchr(b'@', auth.as_bytes()).map_or(auth, |p| &auth[p + 1..]);
        let h = strip_port(crate::ascii_trim::trim(after_at));
        if !h.is_empty() && !hosts[..n].contains(&h) {
            hosts[n] = h;
            n += 1;
        }
    }
    (hosts, n)
}

/// `host:port` → `host`; `[v6]:port` → `[v6]`; trailing junk after the host is dropped.
pub(crate) fn strip_port(s: &str) -> &str {
    if s.starts_with('[') {
        return s.find(']').map_or(s, |p| &s[..=p]);
    }
    let end = s
        .bytes()
        .position(|c| !HOST_BYTE[usize::from(c)])
        .unwrap_or(s.len());
    &s[..end]
}

/// A value that is only `host[:port][/path]`, no scheme: flagged when the host is internal and
/// the value looks like an address (port, path, dotted notation) rather than a plain word.
fn bare_host(text: &str) -> Option<(f32, String)> {
    let t = crate::ascii_trim::trim(text);
    if t.is_empty() || t.len() > MAX_AUTHORITY {
        return None;
    }
    // The host below starts the value unless an `@` comes first, and [`strip_port`] keeps
    // nothing of a value starting with neither a host byte nor `[`: a word of non-ASCII text
    // ends here, before the scans.
    let first = t.as_bytes()[0];
    if !HOST_BYTE[usize::from(first)]
        && first != b'['
        && memchr::memchr(b'@', t.as_bytes()).is_none()
    {
        return None;
    }
    if spaced_or_url(t) {
        return None;
    }
    let end = t
        .bytes()
        .position(|c| matches!(c, b'/' | b'?' | b'#' | b'\\'))
        .unwrap_or(t.len());
    let auth = &t[..end];
    // A byte loop: `auth` is short, and a `memrchr` call costs more than reading it.
    let after_at = auth
        .bytes()
        .rposition(|c| c == b'@')
        .map_or(auth, |p| &auth[p + 1..]);
    let h = strip_port(after_at);
    if h.is_empty() || host::public_decimal(h) {
        return None;
    }
    let why = host::classify(h)?;
    let has_more = h.len() < t.len();
    let ip = host::is_ip_literal(h);
    let score = if ip {
        let dots = h.bytes().filter(|&c| c == b'.').count();
        let decimal = h.bytes().all(|c| c.is_ascii_digit() || c == b'.');
        let metadata = why.contains("metadata");
        // A port, path, query or user part makes it an address; `%`, `€`, `x` do not.
        let located = t.contains([':', '/', '\\', '?', '#', '@']);
        if decimal && (dots == 0 || (dots < 3 && !located && !metadata)) {
            // A plain number is far more often a number than an address, and so is one with
            // a dot or two alone: a size or price (`10.5`, `127.50`), a version
            // (`10.0.19045`), a date (`10.05.2024`). With a port or path it is an address;
            // so are the short forms of the metadata address (`169.16689662`), which every
            // SSRF aims at and no ordinary number spells.
            return None;
        }
        if has_more || h.starts_with('[') {
            0.75
        } else if dots == 3 && decimal {
            0.55
        } else {
            // hex, octal or leading-zero forms are written to evade, not by people
            0.7
        }
    } else if why.contains("DNS name") || why.contains("resolves") {
        0.7
    } else if h.eq_ignore_ascii_case("localhost") || h.eq_ignore_ascii_case("metadata") {
        // A bare word is prose, not an address; with a port or path it is an address.
        if has_more {
            0.7
        } else {
            0.35
        }
    } else if has_more {
        0.7
    } else {
        0.55
    };
    Some((
        score,
        evidence(&["address '", t, "' whose host '", h, "' is a ", why]),
    ))
}

/// Whether `raw`, a value as the client sent it (not a decoded view), is a private or shared
/// (carrier-grade NAT) IPv4 address written plainly and alone: a network setting, such as a
/// device's or a DNS server's address in an admin form or a subnet's host in a cloud API's
/// JSON, which the engine does not report as SSRF (see `Engine::scan_input`). Plainly means
/// ASCII decimal without leading zeros (`012.0.0.1` is octal to `inet_aton`), at most ASCII
/// white space around it. Loopback, link-local, metadata and unspecified addresses (`0.0.0.0`
/// reaches local services) alone are what a fetcher is pointed at, and so is any address
/// with a port or path, in a URL, in another spelling, or found by a decoder
/// (`%31%30.0.0.1`, `１０.０.０.１`): those are reported as before.
pub fn network_setting(raw: &str) -> bool {
    let t = raw.trim_ascii();
    // Four parts of one to three decimal digits, none with a leading zero.
    let mut parts = 0;
    let plain = t.split('.').all(|p| {
        parts += 1;
        (1..=3).contains(&p.len())
            && p.bytes().all(|c| c.is_ascii_digit())
            && (p.len() == 1 || !p.starts_with('0'))
    });
    plain
        && parts == 4
        && matches!(
            host::classify(t),
            Some("private address" | "shared (carrier-grade NAT) address")
        )
}

/// Whitespace or `://` in `t`: one pass over the bytes (a substring search would build a
/// searcher every call), then Unicode whitespace (U+0085, U+00A0...) in non-ASCII values only.
fn spaced_or_url(t: &str) -> bool {
    let b = t.as_bytes();
    // Prose and user agents have a plain space early: on long values `memchr` finds it without
    // the byte loop; on short ones (form fields, ids) the byte loop alone costs less.
    (b.len() >= 32 && memchr::memchr(b' ', b).is_some())
        || b.iter().enumerate().any(|(i, &c)| {
            matches!(c, b'\t'..=b'\r' | b' ') || (c == b':' && b[i + 1..].starts_with(b"//"))
        })
        || (!t.is_ascii() && has_unicode_space(t))
}

/// Whether `t` holds non-ASCII whitespace. Every such character (U+0085, U+00A0, U+1680,
/// U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000) starts with byte `C2`, `E1`, `E2`
/// or `E3`: most non-ASCII text is ruled out without decoding a character. A lead byte is
/// never a continuation byte, so `i` is a char boundary.
fn has_unicode_space(t: &str) -> bool {
    t.bytes().enumerate().any(|(i, c)| {
        matches!(c, 0xC2 | 0xE1 | 0xE2 | 0xE3)
            && t[i..].chars().next().is_some_and(char::is_whitespace)
    })
}

use crate::clip::clip;

#[cfg(test)]
mod tests {
    use super::*;

    fn flagged(s: &str) -> bool {
        inspect(s).is_some_and(|f| f.score >= 0.5)
    }

    #[test]
    fn leading_word_shortcuts_answer_as_the_full_read() {
        // Generated ids, hashes, base64 and words, with numbers, `0x`, listed names and dashed
        // addresses, and the bytes that end a word or change how the value is read.
        const PARTS: [&str; 56] = [
            "9e3779b9",
            "7f000001",
            "3f9a-1c2e",
            "ttZY",
            "aSYs_O7s5",
            "eyJhbGci",
            "Lw",
            "0",
            "0x",
            "0X",
            "7f",
            "127",
            "10",
            "2130706433",
            "017700000001",
            "10-0-0-1",
            "ip-",
            "localhost",
            "LocalHost",
            "metadata",
            "METADATA",
            "instance-data",
            "ip6-",
            "ipv6-",
            "loopback",
            "4",
            "6",
            "-",
            "_",
            "~",
            "=",
            "==",
            "+",
            "/",
            "?",
            "#",
            "\\",
            ".",
            ":",
            ":8080",
            "@",
            "[",
            "]",
            "'",
            " ",
            "\t",
            "\u{3002}",
            "\u{ff0e}",
            "\u{ff61}",
            "\u{a0}",
            "\u{3000}",
            "é",
            "Ж",
            "http://",
            "nip.io",
            "%3D",
        ];
        let mut rng = crate::test_rng::TestRng::new(0x2545_F491_4F6C_DD1D);
        let (mut found, mut words) = (0, 0);
        for _ in 0..100_000 {
            let s = rng.pieces(&PARTS, 6);
            let full = read(&s, None);
            assert_eq!(inspect(&s), full, "{s:?}");
            found += usize::from(full.is_some());
            words += usize::from(run_len(s.as_bytes(), &WORD_BYTE) == s.len());
        }
        assert!(found > 5_000 && words > 5_000, "{found} {words}");
        for s in [
            "0x7f000001",
            "localhost:6379",
            "ip6-localhost",
            "INSTANCE-DATA",
            "0X7f.1",
        ] {
            assert!(inspect(s).is_some(), "{s}");
        }
    }

    #[test]
    fn run_len_is_the_leading_run_of_set_bytes() {
        for s in [
            "",
            "a",
            "abcdefgh",
            "abcdefgh.",
            "abcdefghijklmnop:x",
            "ab'cdefghij",
            "é",
        ] {
            let b = s.as_bytes();
            let run = b.iter().take_while(|&&c| WORD_BYTE[usize::from(c)]).count();
            assert_eq!(run_len(b, &WORD_BYTE), run, "{s:?}");
        }
    }

    #[test]
    fn byte_tests_find_every_character_they_stand_for() {
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            let s = format!("a{c}b");
            assert_eq!(has_unicode_space(&s), c.is_whitespace(), "{c:?}");
            let stop = matches!(c, '\u{3002}' | '\u{ff0e}' | '\u{ff61}');
            assert_eq!(has_ideographic_stop(s.as_bytes()), stop, "{c:?}");
        }
    }

    #[test]
    fn internal_hosts_in_every_spelling() {
        for s in [
            "http://127.0.0.1/admin",
            "http://localhost:8080/",
            "http://2130706433/",
            "http://0x7f000001/",
            "http://0x7f.0.0.1/",
            "http://0177.0.0.1/",
            "http://017700000001/",
            "http://127.1/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[0:0:0:0:0:ffff:7f00:1]/",
            "http://[::ffff:a9fe:a9fe]/",
            "http://10.0.0.5/x",
            "http://172.16.3.4/",
            "http://192.168.1.1/",
            "http://[fd12::1]/",
            "http://[fe80::1%25eth0]/",
            "http://0.0.0.0:80",
            "http://169.254.169.254/latest/meta-data/",
            "http://metadata.google.internal/computeMetadata/v1/",
            "http://metadata/",
            "http://100.100.100.200/latest/meta-data/",
            "http://[fd00:ec2::254]/",
            "http://instance-data/latest/",
            "http://169.254.43518/",
            "http:127.0.0.1",
            "https://good.com@127.0.0.1/",
            "http://127.0.0.1#@good.com",
            "http://good.com#@127.0.0.1/",
            "http://127.1.1.1:80\\@127.2.2.2:80/",
            "http://127.0.0.1.nip.io/",
            "http://10.0.0.1.sslip.io/",
            "http://10-0-0-1.sslip.io/",
            "http://7f000001.nip.io/",
            "http://localtest.me/",
            "http://app.localhost/",
            "rtmp://017700000001",
            "http://7147006462/",
            "http://169\u{3002}254\u{3002}169\u{3002}254/",
            "http://host.docker.internal/",
            "http://kubernetes.default.svc.cluster.local/",
            "url=http://127.0.0.1/x",
            // More cluster and metadata names, a public name for 127.0.0.1.
            "http://kubernetes.default.svc/",
            "https://kubernetes.default/api/v1/secrets",
            "http://redis.cache.svc:6379/",
            "http://metadata.tencentyun.com/latest/meta-data/",
            "http://rancher-metadata/latest",
            "http://app.localho.st/",
            // Network-path references take the host after the slashes.
            "//169.254.169.254/latest/meta-data",
            "//127.0.0.1:22",
            "///127.0.0.1/",
            "/\\127.0.0.1/",
            "\\\\127.0.0.1\\c$",
        ] {
            assert!(flagged(s), "{s}");
        }
        // A Windows share on the user's own network, and network paths to public hosts.
        for s in [
            "\\\\10.1.2.3\\public\\report.pdf",
            "\\\\fileserver\\docs",
            "//10.0.0.5/scans/doc.pdf",
            "OrderService.svc",
            "http://api.example.com/Service1.svc/Login",
            "//cdn.example.com/app.js",
            "// TODO: 127.0.0.1 is not reachable",
        ] {
            assert!(!flagged(s), "{s}");
        }
    }

    #[test]
    fn dangerous_schemes() {
        for s in [
            "gopher://evil.com:70/_x",
            "dict://evil.com:11211/stat",
            "file:///etc/passwd",
            "ldap://evil.com/x",
            "tftp://evil.com/x",
            "sftp://evil.com/x",
            "jar:http://evil.com/a.jar!/",
            "netdoc:///etc/passwd",
        ] {
            assert!(flagged(s), "{s}");
        }
        assert!(inspect("gopher://127.0.0.1:6379/_").unwrap().score > 0.85);
    }

    #[test]
    fn bare_addresses() {
        for s in [
            "localhost:8080",
            "LOCALHOST/",
            "127.0.0.1:22",
            "0x7f.1",
            "[::1]",
            "127.0.0.1",
            "169.254.169.254",
            "169.254.170.2",
            "10.0.0.5:6379",
            "0.0.0.0:80",
            "192.168.1.1/admin",
            "012.0.0.1",
            "192.168.01.1",
            "0x0a000001",
            "169.16689662",
            "169.254.43518",
            "10.1:80",
            "127.1/admin",
        ] {
            assert!(flagged(s), "{s}");
        }
        // Numbers with a dot or two alone are sizes, prices, versions and dates.
        for s in [
            "10.5",
            "127.50",
            "0.0",
            "10.0.19045",
            "10.05.2024",
            "192.168.0",
            "2130706433",
            "10.5%",
            "10.50\u{20ac}",
        ] {
            assert!(!flagged(s), "{s}");
        }
    }

    #[test]
    fn private_addresses_alone_are_network_settings() {
        for s in [
            "10.1.1.1",
            "192.168.1.10",
            "172.16.0.1",
            "100.64.0.1",
            " 10.0.0.53\t",
        ] {
            assert!(network_setting(s), "{s}");
            // The detector itself still reports them: the engine decides by where they come
            // from (a decoded view of another value is no setting).
            assert!(flagged(s), "{s}");
        }
        for s in [
            "0.0.0.0",
            "127.0.0.1",
            "169.254.169.254",
            "169.254.170.2",
            "100.100.100.200",
            "8.8.8.8",
            "012.0.0.1",
            "10.0.0.01",
            "10.0.0.1.",
            "10.0.0.1:80",
            "10.0.0.1/x",
            "http://10.0.0.1/",
            "10\u{3002}0\u{3002}0\u{3002}1",
            "\u{ff11}\u{ff10}.0.0.1",
            "10.0.0.1\u{a0}",
            "%31%30.0.0.1",
            "10.1",
            "0x0a000001",
            "",
        ] {
            assert!(!network_setting(s), "{s:?}");
        }
    }

    #[test]
    fn benign_text_passes() {
        for s in [
            "https://example.com/a",
            "https://8.8.8.8/",
            "https://github.com/x",
            "localhost",
            "run it on localhost first",
            "1.2.3.4",
            "version 10.0.0.1 of the firmware",
            "2130706433",
            "john@example.com",
            "report.final.pdf",
            "12:30",
            "Note:127",
            "see http://www.w3.org/TR/html5/ for details",
            "mailto:someone@example.org",
            "https://user@example.com/path?next=/home#top",
            "$ flask run\n * Running on http://127.0.0.1:5000/ (Press CTRL+C to quit)",
        ] {
            assert!(!flagged(s), "{s}");
        }
    }

    #[test]
    fn ipv4_parser() {
        use std::net::Ipv4Addr;
        assert_eq!(host::parse_ipv4("127.1"), Some(Ipv4Addr::new(127, 0, 0, 1)));
        assert_eq!(
            host::parse_ipv4("0x7f000001"),
            Some(Ipv4Addr::new(127, 0, 0, 1))
        );
        assert_eq!(
            host::parse_ipv4("0177.0.0.01"),
            Some(Ipv4Addr::new(127, 0, 0, 1))
        );
        assert_eq!(host::parse_ipv4("256.0.0.1"), None);
        assert_eq!(host::parse_ipv4("1.2.3.4.5"), None);
        assert_eq!(host::parse_ipv4("08.0.0.1"), None);
        assert_eq!(host::parse_ipv4(""), None);
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let long = "http://".repeat(10_000);
        let _ = inspect(&long);
        let _ = inspect("http://[");
        let _ = inspect("http://é@ü:é/");
        let _ = inspect(":::::");
    }
}

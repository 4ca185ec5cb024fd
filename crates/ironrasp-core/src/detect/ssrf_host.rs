//! Is a host internal? Hosts are read the way resolvers and browsers read them: IPv4 in any
//! `inet_aton` spelling (decimal, hex, octal, 1 to 4 parts), IPv6 with embedded IPv4, and DNS
//! names that are loopback by convention or that embed an internal IPv4 address (wildcard DNS
//! services such as `10.0.0.1.nip.io` resolve to the address they spell).

use std::net::{Ipv4Addr, Ipv6Addr};

/// `s` (at most 253 bytes) ASCII-lower-cased into `buf`.
fn lower_case<'a>(s: &str, buf: &'a mut [u8; 253]) -> &'a str {
    let out = &mut buf[..s.len().min(253)];
    out.copy_from_slice(&s.as_bytes()[..out.len()]);
    out.make_ascii_lowercase();
    // ASCII case changes keep UTF-8 valid; the fallback is never taken.
    std::str::from_utf8(out).unwrap_or_default()
}

/// Why a host is internal, or None for a public or unknown host.
pub fn classify(host: &str) -> Option<&'static str> {
    let host = crate::ascii_trim::trim(host).trim_end_matches('.');
    if host.is_empty() || host.len() > 253 {
        return None;
    }
    // Without a digit, `:` or `[` only [`name`] can answer, and it needs a listed last byte or
    // the `instance-data.` prefix: most public names and plain words end here, before the copy.
    let b = host.as_bytes();
    if !NAME_ENDS[usize::from(b[b.len() - 1].to_ascii_lowercase())]
        && !b.iter().any(|&c| DIGIT_OR_IPV6[usize::from(c)])
        && !b
            .get(..14)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"instance-data."))
    {
        return None;
    }
    // Lower-cased on the stack: most values reaching here are public names. Most are lower
    // case already, and are read as they are (no copy, no UTF-8 check of the copy).
    let mut buf = [0u8; 253];
    let lower = if b.iter().any(u8::is_ascii_uppercase) {
        lower_case(host, &mut buf)
    } else {
        host
    };
    if let Some(inner) = lower.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return ipv6(inner);
    }
    // One pass: a `:` is IPv6; every IPv4 spelling, embedded ones too, has a decimal digit
    // (`0x` has its `0`).
    let (mut colon, mut digit) = (false, false);
    for &c in lower.as_bytes() {
        colon |= c == b':';
        digit |= c.is_ascii_digit();
    }
    if colon {
        return ipv6(lower);
    }
    if digit {
        if let Some(v4) = parse_ipv4(lower) {
            return ipv4_class(v4);
        }
    }
    name(lower).or_else(|| if digit { embedded_ipv4(lower) } else { None })
}

/// Bytes without which [`classify`] reads a host as a name only.
const DIGIT_OR_IPV6: [bool; 256] = crate::detect::prefilter::byte_set(b"0123456789:[");

/// True when the host is written as an IP address (any notation).
pub fn is_ip_literal(host: &str) -> bool {
    let h = host.trim().trim_end_matches('.');
    // Lower-cased on the stack (only `0X` needs it), as in [`classify`].
    let mut buf = [0u8; 253];
    let owned;
    let h = if !h.bytes().any(|c| c.is_ascii_uppercase()) {
        h
    } else if h.len() <= buf.len() {
        lower_case(h, &mut buf)
    } else {
        owned = h.to_ascii_lowercase();
        &owned
    };
    h.starts_with('[') || parse_ipv4(h).is_some() || h.parse::<Ipv6Addr>().is_ok()
}

/// `inet_aton`: 1 to 4 dot-separated parts, each decimal, `0x` hex or `0` octal; the last part
/// fills the remaining bytes (`127.1`, `2130706433`, `0x7f.1`).
pub fn parse_ipv4(s: &str) -> Option<Ipv4Addr> {
    // Every part [`parse_part`] accepts is made of hex digits, `x` (of `0x`) and `+` (which
    // `from_str_radix` allows first): a byte outside them and `.` ends here, before the split.
    if !s.bytes().all(|c| IPV4_BYTE[usize::from(c)]) {
        return None;
    }
    inet_aton(s)
}

/// [`parse_ipv4`] without its byte gate.
fn inet_aton(s: &str) -> Option<Ipv4Addr> {
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    let mut parts = [0u64; 4];
    let mut n = 0;
    for p in s.split('.') {
        if n == 4 {
            return None;
        }
        parts[n] = parse_part(p)?;
        n += 1;
    }
    let last_bits = 8 * (5 - n as u32);
    if n == 1 && parts[0] > u32::MAX as u64 {
        // Parsers that keep 32 bits of an overflowing number (`7147006462` → 169.254.169.254).
        parts[0] &= u32::MAX as u64;
    }
    for &p in &parts[..n - 1] {
        if p > 255 {
            return None;
        }
    }
    if last_bits < 64 && parts[n - 1] >= 1u64 << last_bits {
        return None;
    }
    let mut v: u64 = 0;
    for (i, &p) in parts[..n - 1].iter().enumerate() {
        v |= p << (24 - 8 * i as u32);
    }
    v |= parts[n - 1];
    Some(Ipv4Addr::from(v as u32))
}

/// The bytes an IPv4 literal [`parse_ipv4`] accepts can hold.
const IPV4_BYTE: [bool; 256] = crate::detect::prefilter::byte_set(b"0123456789abcdefABCDEFx+.");

fn parse_part(p: &str) -> Option<u64> {
    if p.is_empty() || p.len() > 34 {
        return None;
    }
    let (digits, radix) = if let Some(h) = p.strip_prefix("0x") {
        (h, 16)
    } else if p.len() > 1 && p.starts_with('0') {
        (&p[1..], 8)
    } else {
        (p, 10)
    };
    if digits.is_empty() {
        // "0x" alone is 0 for inet_aton.
        return (radix == 16).then_some(0);
    }
    // Up to 64 bits are read so that 32-bit truncation can be modelled by the caller.
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(digits, radix).ok()
}

/// Whether an address with first octet `o` can be in a range [`ipv4_class`] names.
const fn may_be_internal(o: u32) -> bool {
    matches!(o, 0 | 10 | 100 | 127 | 169 | 172 | 192)
}

/// True when [`classify`] surely finds `h` public: a dotted decimal number (`89.95`, `1.2.3`,
/// `8.8.8.8`) whose first label has no leading zero (so it is not octal) and starts no internal
/// range, with either one dot or up to four labels of at most three digits. Any IPv4 reading of
/// it starts with that octet, and the name readings need an 8-digit label or four labels that
/// read as an internal address. Prices and versions skip the parse this way.
pub fn public_decimal(h: &str) -> bool {
    let b = h.as_bytes();
    // The first label: up to four digits are read (a plain loop: this runs on every price).
    let (mut n, mut first) = (0, 0);
    while n < 4 && n < b.len() && b[n].is_ascii_digit() {
        first = first * 10 + u32::from(b[n] - b'0');
        n += 1;
    }
    if n == 0 || n > 3 || b[0] == b'0' || b.get(n) != Some(&b'.') {
        return false;
    }
    if first > 255 || may_be_internal(first) {
        return false;
    }
    // The labels after the first one.
    let (mut labels, mut len, mut longest) = (1, 0, 0);
    for &c in &b[n + 1..] {
        if c.is_ascii_digit() {
            len += 1;
        } else if c == b'.' && len > 0 {
            labels += 1;
            longest = longest.max(len);
            len = 0;
        } else {
            return false;
        }
    }
    len > 0 && (labels == 1 || (labels <= 3 && longest.max(len) <= 3))
}

fn ipv4_class(ip: Ipv4Addr) -> Option<&'static str> {
    let o = ip.octets();
    Some(match o {
        [169, 254, 169, 254] => "cloud metadata address",
        [100, 100, 100, 200] => "cloud metadata address",
        [192, 0, 0, 192] => "cloud metadata address",
        [127, ..] => "loopback address",
        [0, 0, 0, 0] => "unspecified address",
        [10, ..] => "private address",
        [172, b, ..] if (16..32).contains(&b) => "private address",
        [192, 168, ..] => "private address",
        [169, 254, ..] => "link-local address",
        [100, b, ..] if (64..128).contains(&b) => "shared (carrier-grade NAT) address",
        _ => return None,
    })
}

fn ipv6(s: &str) -> Option<&'static str> {
    // Zone identifiers (`fe80::1%eth0`, `%25eth0`) are not part of the address.
    let s = s.split('%').next().unwrap_or(s);
    let ip: Ipv6Addr = s.parse().ok()?;
    let seg = ip.segments();
    if ip.is_loopback() {
        return Some("IPv6 loopback address");
    }
    if ip.is_unspecified() {
        return Some("IPv6 unspecified address");
    }
    if seg == [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254] {
        return Some("cloud metadata address");
    }
    if seg[0] & 0xfe00 == 0xfc00 {
        return Some("IPv6 unique local address");
    }
    if seg[0] & 0xffc0 == 0xfe80 {
        return Some("IPv6 link-local address");
    }
    // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::/96).
    let tail = Ipv4Addr::new(
        (seg[6] >> 8) as u8,
        seg[6] as u8,
        (seg[7] >> 8) as u8,
        seg[7] as u8,
    );
    let mapped = seg[..5] == [0; 5] && (seg[5] == 0xffff || seg[5] == 0);
    let nat64 = seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0];
    if mapped || nat64 {
        return ipv4_class(tail).map(|_| "IPv6 address embedding an internal IPv4 address");
    }
    None
}

const LOOPBACK_NAMES: [&str; 8] = [
    "localhost",
    "localhost4",
    "localhost6",
    "localhost.localdomain",
    "ip6-localhost",
    "ip6-loopback",
    "ipv6-localhost",
    "ipv6-loopback",
];
/// Public domains whose every name resolves to 127.0.0.1.
const LOOPBACK_DOMAINS: [&str; 4] = ["localtest.me", "lvh.me", "vcap.me", "localho.st"];
/// Metadata services of clouds and orchestrators, by the names their guests resolve.
const METADATA_NAMES: [&str; 7] = [
    "metadata",
    "metadata.google.internal",
    "instance-data",
    "metadata.azure.internal",
    "metadata.tencentyun.com",
    "metadata.packet.net",
    "rancher-metadata",
];
/// Reserved suffixes that only resolve inside a host, container or cluster network
/// (`.svc`: a Kubernetes service, `<name>.<namespace>.svc`; with one label before it, a WCF
/// service file).
const INTERNAL_SUFFIXES: [&str; 6] = [
    ".internal",
    ".localdomain",
    ".localdomain4",
    ".localdomain6",
    ".cluster.local",
    ".svc",
];
/// The Kubernetes API server as every pod resolves it.
const CLUSTER_API: &str = "kubernetes.default";
/// Names under `localhost.`.
const LOOPBACK_SUFFIX: &str = ".localhost";

/// The last bytes of every name and suffix [`name`] matches: a name ending otherwise (most
/// public names: `.com`, `.org`, `.io`) is compared with none of them.
const NAME_ENDS: [bool; 256] = {
    const LISTS: [&[&str]; 6] = [
        &LOOPBACK_NAMES,
        &LOOPBACK_DOMAINS,
        &METADATA_NAMES,
        &INTERNAL_SUFFIXES,
        &[LOOPBACK_SUFFIX],
        &[CLUSTER_API],
    ];
    let mut t = [false; 256];
    let mut l = 0;
    while l < LISTS.len() {
        let mut k = 0;
        while k < LISTS[l].len() {
            let b = LISTS[l][k].as_bytes();
            t[b[b.len() - 1] as usize] = true;
            k += 1;
        }
        l += 1;
    }
    t
};

/// The first bytes of every name in [`LOOPBACK_NAMES`] and [`METADATA_NAMES`].
const NAME_STARTS: [bool; 256] = {
    const LISTS: [&[&str]; 2] = [&LOOPBACK_NAMES, &METADATA_NAMES];
    let mut t = [false; 256];
    let mut l = 0;
    while l < LISTS.len() {
        let mut k = 0;
        while k < LISTS[l].len() {
            t[LISTS[l][k].as_bytes()[0] as usize] = true;
            k += 1;
        }
        l += 1;
    }
    t
};

/// For a non-empty word of ASCII letters, digits, `-`, `_` and `~` (no `.`, `:` or `[`):
/// whether [`classify`] can find it internal other than as a number of decimal digits. Such a
/// word is one IPv4 part and one DNS label, so only a number (decimal, octal, `0x` hex) or a
/// listed name can be internal; nothing embeds an address without a `.`.
pub fn word_may_be_internal(w: &[u8]) -> bool {
    let Some(first) = w.first() else {
        return false;
    };
    w.get(..2).is_some_and(|p| p.eq_ignore_ascii_case(b"0x"))
        || (NAME_STARTS[usize::from(first.to_ascii_lowercase())]
            && LOOPBACK_NAMES
                .iter()
                .chain(&METADATA_NAMES)
                .any(|n| n.as_bytes().eq_ignore_ascii_case(w)))
}

/// Names that resolve to loopback or metadata services by convention (names embedding an
/// address are read by [`embedded_ipv4`]).
fn name(h: &str) -> Option<&'static str> {
    // `instance-data.` names end in anything; every other rule needs a listed last byte.
    let last = h.as_bytes().last().copied().unwrap_or(0);
    if !NAME_ENDS[usize::from(last)] && !h.starts_with("instance-data.") {
        return None;
    }
    if LOOPBACK_NAMES[..6].contains(&h) || h.ends_with(LOOPBACK_SUFFIX) {
        return Some("loopback name");
    }
    if METADATA_NAMES.contains(&h) || h.starts_with("instance-data.") {
        return Some("cloud metadata name");
    }
    if h == CLUSTER_API {
        return Some("internal-only DNS name");
    }
    for suffix in INTERNAL_SUFFIXES {
        // A Kubernetes service is `<name>.<namespace>.svc`; `Service1.svc` is a WCF file.
        if suffix == ".svc" && h.bytes().filter(|&c| c == b'.').count() < 2 {
            continue;
        }
        if h.ends_with(suffix) && h.len() > suffix.len() {
            return Some("internal-only DNS name");
        }
    }
    if LOOPBACK_NAMES[6..].contains(&h) {
        return Some("loopback name");
    }
    for d in LOOPBACK_DOMAINS {
        if h == d || (h.ends_with(d) && h[..h.len() - d.len()].ends_with('.')) {
            return Some("name of a domain that resolves to loopback");
        }
    }
    None
}

/// A DNS name with an internal IPv4 address spelled inside it: four consecutive numeric labels
/// (`10.0.0.1.nip.io`), a dashed label (`10-0-0-1.sslip.io`) or an 8-digit hex label
/// (`7f000001.nip.io`) in front of further labels.
fn embedded_ipv4(h: &str) -> Option<&'static str> {
    // Every internal IPv4 address has a decimal digit in each spelling read below: its dotted
    // or dashed octets, and its eight hex digits (7f.., 0a.., ac1.., c0a8.., a9fe.., 64..,
    // 6464c8.., c00000c0, 00000000).
    if !h.as_bytes().contains(&b'.') || !h.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    // The first 64 labels are read.
    let b = h.as_bytes();
    let count = (b.iter().filter(|&&c| c == b'.').count() + 1).min(64);
    const WHY: &str = "DNS name embedding an internal IPv4 address";
    // Where the last four labels start.
    let (mut starts, mut start, mut run) = ([0; 4], 0, 0);
    for i in 0..count {
        let l = &h[start..memchr::memchr(b'.', &b[start..]).map_or(b.len(), |p| start + p)];
        // Four consecutive numeric labels spell the address as the text they span.
        starts.rotate_left(1);
        starts[3] = start;
        run = if short_number(l) { run + 1 } else { 0 };
        if run >= 4 && internal_ipv4(&h[starts[0]..start + l.len()]) {
            return Some(WHY);
        }
        start += l.len() + 1;
        // Dashed and hex labels only count before a further name (`x.nip.io`), never as the
        // registrable domain itself.
        if i + 1 == count {
            break;
        }
        if dashed_ipv4(l) {
            return Some(WHY);
        }
        if l.len() == 8 && l.bytes().all(|b| b.is_ascii_hexdigit()) {
            if let Ok(v) = u32::from_str_radix(l, 16) {
                if ipv4_class(Ipv4Addr::from(v)).is_some() && count >= 3 {
                    return Some(WHY);
                }
            }
        }
    }
    None
}

/// One to three decimal digits: a part of a dotted or dashed address.
fn short_number(p: &str) -> bool {
    !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `s` reads as an internal IPv4 address.
fn internal_ipv4(s: &str) -> bool {
    parse_ipv4(s).is_some_and(|ip| ipv4_class(ip).is_some())
}

/// Whether four consecutive `-`-separated parts of label `l` are numbers spelling an internal
/// address (`10-0-0-1`), read as those parts joined by dots.
fn dashed_ipv4(l: &str) -> bool {
    if !l.as_bytes().contains(&b'-') {
        return false;
    }
    let mut last: [&str; 4] = [""; 4];
    let mut run = 0;
    for p in l.split('-') {
        if !short_number(p) {
            run = 0;
            continue;
        }
        last.rotate_left(1);
        last[3] = p;
        run += 1;
        if run >= 4 {
            // At most 15 bytes: four parts of up to three digits and three dots.
            let mut buf = [b'.'; 15];
            let mut len = 0;
            for (k, part) in last.iter().enumerate() {
                if k > 0 {
                    len += 1;
                }
                buf[len..len + part.len()].copy_from_slice(part.as_bytes());
                len += part.len();
            }
            if std::str::from_utf8(&buf[..len]).is_ok_and(internal_ipv4) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_byte_gate_rejects_only_what_the_parse_rejects() {
        // Generated hosts of hex digits, `x`, `+`, `.` and a few bytes outside the gate.
        let alphabet = b"0123456789abcdefABCDEFxX+.-g:/ 7";
        let mut rng = crate::test_rng::TestRng::new(0x2545_F491_4F6C_DD1D);
        let mut parsed = 0;
        for _ in 0..50_000 {
            let len = rng.below(14);
            let s: String = (0..len)
                .map(|_| char::from(alphabet[rng.below(alphabet.len())]))
                .collect();
            let full = inet_aton(&s);
            parsed += usize::from(full.is_some());
            assert_eq!(parse_ipv4(&s), full, "{s:?}");
        }
        assert!(parsed > 1000, "{parsed}");
        for s in ["+1", "0x", "0x+f", "1.+2", "0X1", "１.2.3.4"] {
            assert_eq!(parse_ipv4(s), inet_aton(s), "{s:?}");
        }
    }

    #[test]
    fn a_word_is_internal_only_as_a_number_or_a_listed_name() {
        // Words (no `.`, `:` or `[`) that [`word_may_be_internal`] passes are public, or plain
        // decimal numbers.
        const PARTS: [&str; 24] = [
            "0",
            "0x",
            "0X",
            "7f",
            "1",
            "127",
            "2130706433",
            "0177",
            "ffff",
            "a9fe",
            "x",
            "X",
            "-",
            "_",
            "~",
            "localhost",
            "LOCALHOST",
            "4",
            "6",
            "metadata",
            "instance-data",
            "ip6-",
            "loopback",
            "zq",
        ];
        let mut rng = crate::test_rng::TestRng::new(0x9E37_79B9_7F4A_7C15);
        let mut internal = 0;
        for _ in 0..100_000 {
            let w = rng.pieces(&PARTS, 5);
            let found = classify(&w);
            internal += usize::from(found.is_some());
            if !word_may_be_internal(w.as_bytes()) {
                assert!(
                    found.is_none() || w.bytes().all(|c| c.is_ascii_digit()),
                    "{w:?} {found:?}"
                );
            }
        }
        assert!(internal > 1_000, "{internal}");
        for w in ["0x7f000001", "0X0", "localhost", "Metadata", "ip6-loopback"] {
            assert!(word_may_be_internal(w.as_bytes()), "{w}");
        }
        assert!(!word_may_be_internal(b""));
    }

    #[test]
    fn names_in_any_case_pass_the_early_exit() {
        for h in [
            "LOCALHOST",
            "Metadata.Google.Internal",
            "INSTANCE-DATA.x",
            "db.Cluster.Local",
            "LVH.ME",
            "a.LOCALHOST",
        ] {
            assert!(classify(h).is_some(), "{h}");
        }
        for h in ["garvn", "Example.COM", "instance-dat", "x.internal.com"] {
            assert_eq!(classify(h), None, "{h}");
        }
    }

    #[test]
    fn internal_ranges_start_with_a_listed_octet() {
        for a in 0..=255u8 {
            if may_be_internal(u32::from(a)) {
                continue;
            }
            for b in 0..=255u8 {
                for (c, d) in [(0, 0), (0, 1), (169, 254), (100, 200), (0, 192), (255, 255)] {
                    assert_eq!(
                        ipv4_class(Ipv4Addr::new(a, b, c, d)),
                        None,
                        "{a}.{b}.{c}.{d}"
                    );
                }
            }
        }
    }

    #[test]
    fn public_decimal_is_never_internal() {
        const LABELS: [&str; 17] = [
            "1",
            "8",
            "10",
            "89",
            "95",
            "127",
            "255",
            "256",
            "999",
            "0",
            "00",
            "012",
            "08",
            "1000",
            "16777215",
            "16777216",
            "99999999999",
        ];
        let mut passed = 0;
        let mut check = |h: String| {
            if public_decimal(&h) {
                assert_eq!(classify(&h), None, "{h}");
                passed += 1;
            }
        };
        for a in LABELS {
            check(a.to_string());
            for b in LABELS {
                check(format!("{a}.{b}"));
                for c in LABELS {
                    check(format!("{a}.{b}.{c}"));
                    for d in LABELS {
                        check(format!("{a}.{b}.{c}.{d}"));
                    }
                }
            }
        }
        assert!(passed > 1000);
        for h in ["89.95", "1.2.3", "8.8.8.8", "255.1"] {
            assert!(public_decimal(h), "{h}");
        }
        for h in [
            "10.5",
            "127.1",
            "0.0",
            "012.1",
            "89.",
            ".5",
            "89",
            "1.2.3.4.5",
            "8.8.8.80000",
        ] {
            assert!(!public_decimal(h), "{h}");
        }
    }
}

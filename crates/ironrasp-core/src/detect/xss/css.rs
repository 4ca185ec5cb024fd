//! Script-running CSS: IE `expression(`, `behavior:` (HTC), Mozilla `-moz-binding` (XBL),
//! `url(javascript:...)`, and `@import` of a foreign sheet. CSS escapes (`exp\72 ession`,
//! `\65 xpression`) and comments (`exp/**/ression`) are undone first, as the CSS parser does.

use super::url_scheme::{decode_entities, normalized_prefix, scheme_of};
use super::Hit;

const MAX_CSS: usize = 8192;

/// CSS text as the CSS tokenizer reads it: comments removed, `\hex` and `\char` escapes decoded,
/// lower-cased. Bounded by [`MAX_CSS`] input bytes.
pub fn normalize(css: &str) -> String {
    let mut out = String::with_capacity(css.len().min(MAX_CSS));
    let b = css.as_bytes();
    let mut i = 0;
    let mut prev = 0;
    while i < b.len() && i < MAX_CSS {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'*') => {
                out.push_str(&css[prev..i]);
                i = memchr::memmem::find(&b[i + 2..], b"*/").map_or(b.len(), |p| i + 2 + p + 2);
                prev = i;
            }
            b'\\' => {
                out.push_str(&css[prev..i]);
                let n = b[i + 1..]
                    .iter()
                    .take(6)
                    .take_while(|c| c.is_ascii_hexdigit())
                    .count();
                if n > 0 {
                    let v = u32::from_str_radix(&css[i + 1..i + 1 + n], 16).unwrap_or(0xfffd);
                    out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                    i += 1 + n;
                    if b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
                        i += 1;
                    }
                } else {
                    // `\x` stands for `x`; a trailing backslash stands for nothing.
                    i += 1;
                }
                prev = i;
            }
            _ => i += 1,
        }
    }
    let end = i.min(b.len());
    let mut e = end;
    while e > prev && !css.is_char_boundary(e) {
        e -= 1;
    }
    if prev <= e {
        out.push_str(&css[prev..e]);
    }
    out.to_ascii_lowercase()
}

/// Checks CSS from a `style` attribute or a `<style>` body.
pub fn inspect_style(css: &str) -> Option<Hit> {
    let decoded = decode_entities(css);
    let n = normalize(decoded.as_deref().unwrap_or(css));
    let compact: String = n.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.contains("expression(") {
        return Some(Hit::new(0.9, "CSS expression( in style"));
    }
    if compact.contains("-moz-binding") || compact.contains("binding:url(") {
        return Some(Hit::new(0.85, "CSS -moz-binding in style"));
    }
    if compact.contains("behavior:") || compact.contains("behaviour:") {
        return Some(Hit::new(0.8, "CSS behavior: in style"));
    }
    if let Some(h) = url_with_script(&compact) {
        return Some(h);
    }
    if compact.contains("@import") {
        return Some(Hit::new(0.6, "CSS @import in user style"));
    }
    None
}

/// `url(...)` whose target is a script-running scheme.
fn url_with_script(n: &str) -> Option<Hit> {
    for (p, _) in n.match_indices("url(").take(32) {
        let inner =
            n[p + 4..].trim_start_matches(|c: char| c.is_whitespace() || c == '"' || c == '\'');
        let prefix = normalized_prefix(inner, 40);
        if let Some(s) = scheme_of(&prefix, inner) {
            return Some(Hit::new(
                0.9,
                format!("CSS url() with {} scheme", s.label()),
            ));
        }
    }
    None
}

/// Cheap gate: the words involved, or CSS escapes/comments that could hide them.
fn may_hold_css_script(text: &str) -> bool {
    let b = text.as_bytes();
    // One pass (values are short; separate searches cost more in setup than in reading); a
    // word is compared only where its first letter stands.
    let at = |i: usize, w: &[u8]| {
        b.get(i..i + w.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(w))
    };
    b.iter().enumerate().any(|(i, &c)| match c {
        b'\\' => true,
        b'/' => b.get(i + 1) == Some(&b'*'),
        b'u' | b'U' => at(i, b"url"),
        b'b' | b'B' => at(i, b"binding") || at(i, b"behavio"),
        b'e' | b'E' => at(i, b"expression"),
        _ => false,
    })
}

/// CSS outside any tag (a value that lands in a `style` attribute): only the unambiguous
/// constructs, since "regular expression (regex)" and "url(" appear in prose.
pub fn inspect_bare(text: &str) -> Option<Hit> {
    // The sparse gate first: it reads only around `(` and `:`, which most values lack.
    if !may_spell_css_call(text) || !may_hold_css_script(text) {
        return None;
    }
    read_bare(text)
}

/// Whether the whitespace-free text [`inspect_bare`] reads can hold one of its constructs:
/// each holds `url(`, `expression(` or `-moz-binding:`, which then stand in the value with
/// nothing but whitespace among their characters, unless a CSS escape or comment hides some.
/// Lower-casing is ASCII only: no other character becomes one of these letters. One backward
/// walk per `(` or `:`, stopped by the one before it.
fn may_spell_css_call(text: &str) -> bool {
    let b = text.as_bytes();
    if memchr::memchr(b'\\', b).is_some() || super::has_pair(b, *b"/*") {
        return true;
    }
    spells_css_call(text)
}

/// [`may_spell_css_call`] for a text without CSS escapes and comments.
pub(super) fn spells_css_call(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr2_iter(b'(', b':', b).any(|p| {
        let mut word = [0u8; 12];
        let mut n = 0;
        for c in text[..p].chars().rev() {
            if n == word.len() {
                break;
            }
            if c.is_whitespace() {
                continue;
            }
            if !(c.is_ascii_alphabetic() || c == '-') {
                break;
            }
            n += 1;
            word[word.len() - n] = c.to_ascii_lowercase() as u8;
        }
        let word = &word[word.len() - n..];
        if b[p] == b'(' {
            word.ends_with(b"url") || word.ends_with(b"expression")
        } else {
            word.ends_with(b"-moz-binding")
        }
    })
}

/// [`inspect_bare`] past its gates.
fn read_bare(text: &str) -> Option<Hit> {
    let n = normalize(text);
    let compact: String = n.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.contains(":expression(") {
        return Some(Hit::new(0.8, "CSS property set to expression("));
    }
    if compact.contains("-moz-binding:") || compact.contains("binding:url(") {
        return Some(Hit::new(0.8, "CSS -moz-binding property"));
    }
    if compact.contains("behavior:url(") {
        return Some(Hit::new(0.75, "CSS behavior:url( property"));
    }
    url_with_script(&compact)
        .map(|h| Hit::new(h.score - 0.05, h.evidence))
        .or_else(|| cut_script_url(&compact))
}

/// A property set to `url(javascript` where the value ends (`x:url(javascript`): the scheme's
/// colon and code were cut off, but nothing else starts a CSS URL with that word and stops.
fn cut_script_url(n: &str) -> Option<Hit> {
    let at = n.rfind(":url(")?;
    let inner = n[at + 5..].trim_start_matches(['"', '\'']);
    ["javascript", "vbscript"].contains(&inner).then(|| {
        Hit::new(
            0.6,
            format!("CSS property set to url({inner}, cut at the scheme"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gate_finds_words_escapes_and_comments() {
        for t in [
            "x:EXPRESSION(1)",
            "-moz-Binding",
            "Behaviour",
            "URL(",
            "exp\\72",
            "a/**/b",
        ] {
            assert!(may_hold_css_script(t), "{t}");
        }
        for t in ["color: red", "expressive", "/ *", "bind", "ur l"] {
            assert!(!may_hold_css_script(t), "{t}");
        }
    }

    #[test]
    fn call_gate_is_exact() {
        let parts = [
            "url",
            "u",
            "rl",
            "expression",
            "expr",
            "ession",
            "-moz-",
            "binding",
            "behavior",
            "URL",
            "Expression",
            ":",
            "(",
            ")",
            " ",
            "\t",
            "\u{a0}",
            "\u{2003}",
            "javascript",
            "vbscript",
            ":alert(1)",
            "\"",
            "'",
            "x",
            "é",
            "\\",
            "\\72",
            "/*",
            "*/",
            "/",
            "*",
            ";",
            "data:text/html,",
            "-",
            "curl",
            "x:expression(1)",
            "url(javascript:alert(1))",
            "-moz-binding:",
            "behavior:url(x)",
            "x:url(javascript",
            "url( 'vbscript:x')",
        ];
        let mut rng = crate::test_rng::TestRng::new(0x2545_F491_4F6C_DD1D);
        let (mut gated, mut found) = (0, 0);
        for _ in 0..40_000 {
            let t = rng.pieces(&parts, 9);
            let words = may_hold_css_script(&t);
            gated += usize::from(words && !may_spell_css_call(&t));
            let fast = inspect_bare(&t);
            found += usize::from(fast.is_some());
            assert_eq!(fast, words.then(|| read_bare(&t)).flatten(), "{t:?}");
        }
        assert!(gated > 1000 && found > 1000, "{gated} {found}");
    }

    #[test]
    fn escapes_and_comments_are_undone() {
        assert_eq!(normalize("exp\\72 ession(1)"), "expression(1)");
        assert_eq!(normalize("exp/**/ression"), "expression");
        assert_eq!(normalize("\\65xpression"), "expression");
        assert_eq!(normalize("a\\"), "a");
        let _ = normalize("é\\é/*é");
    }

    #[test]
    fn dangerous_styles() {
        for s in [
            "width: expression(alert(1))",
            "xss:expr/*XSS*/ession(alert('XSS'))",
            "background:url(javascript:alert(1))",
            "background-image: url(\"java&#x09;script:alert(1)\")",
            "behavior: url(xss.htc)",
            "-moz-binding:url(http://x/xss.xml#xss)",
            "@import 'http://evil/x.css';",
            "background : url ( javascript : alert(1) )",
        ] {
            assert!(inspect_style(s).is_some(), "{s}");
        }
    }

    #[test]
    fn editor_styles_pass() {
        for s in [
            "color: red",
            "color: #074024; font-weight: bold",
            "background: url(https://x/y.png) no-repeat",
            "text-align:center;margin:0 auto",
        ] {
            assert!(inspect_style(s).is_none(), "{s}");
            assert!(inspect_bare(s).is_none(), "{s}");
        }
        assert!(inspect_bare("a regular expression (regex) matches").is_none());
        assert!(inspect_bare("x:expression(alert(1))").is_some());
        assert!(inspect_bare("background: url(javascript.png)").is_none());
        assert!(inspect_bare("see url(javascript").is_none());
    }

    #[test]
    fn cut_script_urls_and_unprefixed_binding() {
        for s in [
            "x=x:url(javascript",
            "STYLE=X:URL(JAVASCRIPT",
            "a:b;c: url( 'javascript",
            "binding: url(//e.example/x.xml#x)",
        ] {
            assert!(inspect_bare(s).is_some(), "{s}");
        }
        assert!(inspect_style("binding: url(x.xml#b)").is_some());
    }
}

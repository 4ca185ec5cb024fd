//! The cheapest test: every XSS shape needs at least one of `< > " ' ` ( : { & = [` (a tag, an
//! attribute, a quote breakout, a call, a URL scheme, a template, an entity, a JSFuck array)
//! or a UTF-7 run.
//! A `/* */` comment may hide a sink's use (`document/**/.cookie`) without any of them.
//! A value with none of these cannot build script and is dropped after one pass over its bytes.

/// Bytes any XSS shape needs (a value with one is always scanned).
pub const TRIGGERS: &[u8; 11] = b"<>\"'`(:{&=[";

/// Per byte: bit 1 for a trigger byte, bit 2 for `+` and `/` (a UTF-7 run or a comment may
/// start there, which needs a closer look).
static CLASS: [u8; 256] = classes();

const fn classes() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut k = 0;
    while k < TRIGGERS.len() {
        t[TRIGGERS[k] as usize] = 1;
        k += 1;
    }
    t[b'+' as usize] = 2;
    t[b'/' as usize] = 2;
    t
}

/// True when `text` holds a byte an XSS payload needs.
#[inline]
pub fn worth_scanning(b: &[u8]) -> bool {
    // One branch-free pass in short chunks: most values hold none of these bytes and leave
    // after reading each byte once.
    let mut seen = 0u8;
    for chunk in b.chunks(16) {
        seen |= chunk.iter().fold(0u8, |s, &c| s | CLASS[c as usize]);
        if seen & 1 != 0 {
            return true;
        }
    }
    seen != 0 && hides_script(b)
}

/// For a value without [`TRIGGERS`] but with a `+` or `/`: a UTF-7 run or a comment.
pub fn hides_script(b: &[u8]) -> bool {
    utf7_run(b) || super::has_pair(b, *b"/*")
}

/// A UTF-7 run: `+` and at least three base64 characters (one UTF-16 unit). UTF-7 spells `<`
/// as `+ADw-`, but a run may start with any other character first (`+TgAAPA...-` is `一<`).
fn utf7_run(b: &[u8]) -> bool {
    let sextet = |c: &u8| c.is_ascii_alphanumeric() || *c == b'/' || *c == b'+';
    memchr::memchr_iter(b'+', b).any(|p| b.get(p + 1..p + 4).is_some_and(|w| w.iter().all(sextet)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_values_are_dropped() {
        for t in [
            "",
            "hello world",
            "Zürich 8001",
            "#074024",
            "O Brien",
            "a+b-c*d/e;f",
        ] {
            assert!(!worth_scanning(t.as_bytes()), "{t}");
        }
        for t in [
            "<b>",
            "x'",
            "a(1)",
            "javascript:",
            "&#106;",
            "{{x}}",
            "a=b",
            "`x`",
            "+ADw-b+AD4-",
            "document/**/.cookie",
            "!![]",
        ] {
            assert!(worth_scanning(t.as_bytes()), "{t}");
        }
    }
}

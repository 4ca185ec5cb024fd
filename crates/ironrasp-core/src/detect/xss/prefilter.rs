//! The cheapest test: every XSS shape needs at least one of `< > " ' ` ( : { & =` (a tag, an
//! attribute, a quote breakout, a call, a URL scheme, a template, an entity) or UTF-7's `+A`.
//! A value with none of them cannot build script and is dropped after one pass over its bytes.

const fn trigger_table() -> [bool; 256] {
    let mut t = [false; 256];
    let bytes = b"<>\"'`(:{&=";
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
}

static TRIGGER: [bool; 256] = trigger_table();

/// True when `text` holds a byte an XSS payload needs.
#[inline]
pub fn worth_scanning(text: &str) -> bool {
    // `+A`: UTF-7 spells `<`, `>` and quotes as `+ADw-`, `+AD4-`, `+ACI-`, `+ACc-`.
    text.bytes().any(|c| TRIGGER[c as usize])
        || memchr::memmem::find(text.as_bytes(), b"+A").is_some()
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
            assert!(!worth_scanning(t), "{t}");
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
        ] {
            assert!(worth_scanning(t), "{t}");
        }
    }
}

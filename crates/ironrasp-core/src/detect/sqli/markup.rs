//! A value that opens with an HTML tag (`<p>`, `</div>`, `<a href=...>`): rich text, docs,
//! a pasted page. Read bare, it stands where SQL expects an operand, and no operand begins
//! with `<`: its tokens (`< p > Methods can ...`) are markup, not a fragment of a query, so
//! the model is not asked to raise them (see `score::judge`), nor SQL words in its prose
//! unless a set operator is among them (`score::keyword_fragment`). Structures of their own
//! (a UNION SELECT, a stacked statement, a time call) are still judged wherever they appear.

/// Bytes of leading whitespace skipped before the `<`.
const MAX_LEAD: usize = 16;

/// Whether `text`, after a little leading whitespace, opens with a tag: `<`, an optional
/// `/`, an ASCII letter, then letters, digits or `-` up to `>`, `/` or whitespace (or the
/// end). `<1`, `<=`, `<>`, `< p` and `<https:` are not tags.
pub fn opens_with_tag(text: &str) -> bool {
    let b = text.as_bytes();
    let lead = b
        .iter()
        .take(MAX_LEAD)
        .take_while(|c| c.is_ascii_whitespace())
        .count();
    let Some(rest) = b[lead..].strip_prefix(b"<") else {
        return false;
    };
    let rest = rest.strip_prefix(b"/").unwrap_or(rest);
    if !rest.first().is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    match rest
        .iter()
        .find(|c| !(c.is_ascii_alphanumeric() || **c == b'-'))
    {
        None => true,
        Some(c) => matches!(c, b'>' | b'/') || c.is_ascii_whitespace(),
    }
}

#[cfg(test)]
mod tests {
    use super::opens_with_tag;

    #[test]
    fn tags_open_markup() {
        for s in [
            "<p>Methods can be added to enumerations</p>",
            "  <div class=\"note\">x</div>",
            "</p> trailing",
            "<a href=\"https://example.com\">link</a>",
            "<br/>",
            "<my-widget data-x=1>",
            "<h1",
        ] {
            assert!(opens_with_tag(s), "{s}");
        }
    }

    #[test]
    fn operators_and_other_openings_are_not_tags() {
        for s in [
            "<1 or 1=1",
            "<= 5",
            "<> 0",
            "< p > q",
            "<https://example.com>",
            "<p:root>",
            "1 <b>bold</b>",
            "Hello <b>world</b>",
            "<",
            "",
            "<@a",
            "<<1",
        ] {
            assert!(!opens_with_tag(s), "{s}");
        }
    }
}

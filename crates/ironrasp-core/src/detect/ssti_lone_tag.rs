//! A value that is exactly one Handlebars/Mustache block tag: `{{#with "s"}}`, `{{#each list}}`,
//! `{{/each}}`. Block tags are template structure, not text: people paste whole templates
//! (blocks around markup and placeholders), while a single opening or closing block tag as the
//! entire value is a probe or one piece of a sandbox-escape payload split over fields. Plain
//! interpolation (`{{ name }}`, `{{this}}`) is not a block tag and is left to the expression
//! rules.
//!
//! A lone Jinja/Twig/Django statement (`{% include 'x.html' %}`) is deliberately not flagged:
//! documentation snippets pasted as text have exactly that shape (one is in the benign corpus),
//! so it cannot be told apart from a probe by its form.

/// Score of a lone tag: just above the threshold, the tag alone runs nothing.
const SCORE: f32 = 0.55;

/// Longest value considered a single tag.
const MAX_LEN: usize = 512;

pub(super) fn judge(text: &str) -> Option<(f32, String)> {
    let t = text.trim();
    if t.len() > MAX_LEN {
        return None;
    }
    let inner = t.strip_prefix("{{")?.strip_suffix("}}")?;
    let inner = inner.trim_matches('~').trim();
    let body = inner.strip_prefix(['#', '/']);
    (!inner.contains("}}") && !inner.contains("{{") && body.is_some_and(starts_with_word))
        .then(|| (SCORE, "value is a lone Handlebars block tag".to_string()))
}

fn starts_with_word(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::judge;

    #[test]
    fn lone_block_tags_flagged() {
        for s in [
            "{{/each}}",
            " {{~/with~}} ",
            "{{#with \"e\"}}",
            "{{#each conslist}}",
        ] {
            assert!(judge(s).is_some(), "{s}");
        }
    }

    #[test]
    fn text_and_templates_pass() {
        for s in [
            "{{ name }}",
            "{{this}}",
            "{{#each items}}{{this}}{{/each}}",
            "{% include 'admin/base.html' %}",
            "{% from '_helpers.html' import my_macro with context %}",
            "{{# }}",
            "{{#}}",
            "{{!-- comment --}}",
            "{{/}}",
        ] {
            assert!(judge(s).is_none(), "{s}");
        }
    }
}

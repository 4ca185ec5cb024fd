//! Client-side template injection: an AngularJS / Vue `{{ ... }}` expression that reaches the
//! Function constructor or the framework's own evaluator (`constructor.constructor('..')()`,
//! `$on.constructor`, `_c.constructor`, `$eval(`, `toString().constructor.prototype.charAt=`).
//! Plain `{{ name }}` and server-side expressions (`{{ 7*7 }}`, `__class__`) are left to the
//! SSTI detector.

use super::js_sink::find_sinks;
use super::Hit;

/// An expression body longer than this is cut (payloads are short; this bounds the work).
const MAX_EXPR: usize = 1024;
const MAX_EXPRS: usize = 16;

fn compact_lower(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .take(MAX_EXPR)
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether [`compact_lower`] of `expr` holds `constructor`, without building it: the lowered
/// characters are matched as they come, keeping the longest start of the word just read.
fn names_constructor(expr: &str) -> bool {
    const WORD: &[u8] = b"constructor";
    // The longest start of WORD that ends `WORD[..matched]` followed by `c`.
    let step = |matched: usize, c: char| {
        (1..=matched + 1)
            .rev()
            .find(|&k| {
                char::from(WORD[k - 1]) == c && WORD[..k - 1] == WORD[matched + 1 - k..matched]
            })
            .unwrap_or(0)
    };
    let mut matched = 0;
    let lowered = expr
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(MAX_EXPR)
        .flat_map(char::to_lowercase);
    for c in lowered {
        matched = step(matched, c);
        if matched == WORD.len() {
            return true;
        }
    }
    false
}

/// Judges one `{{ ... }}` body.
fn judge(expr: &str) -> Option<Hit> {
    // Every verdict below needs a call (`(`, `` ` ``), a `$` marker, or the word
    // `constructor`: most bodies (`{{ count }}`, `{{ user.name }}`) hold none of them.
    if memchr::memchr3(b'(', b'`', b'$', expr.as_bytes()).is_none() && !names_constructor(expr) {
        return None;
    }
    let c = compact_lower(expr);
    let ctor = c.contains("constructor");
    if ctor && (c.contains(")(") || c.contains("constructor(") || c.contains("constructor`")) {
        return Some(Hit::new(
            0.9,
            "client-side template expression reaching the Function constructor",
        ));
    }
    if ctor && (c.contains("prototype") || c.contains("charat=") || c.contains("__proto__")) {
        return Some(Hit::new(
            0.85,
            "client-side template sandbox escape via prototype",
        ));
    }
    for marker in [
        "$on.",
        "$eval(",
        "$emit.",
        "$parse(",
        "_c.constructor",
        "_b.constructor",
        "_v.constructor",
        "$event.view",
    ] {
        if c.contains(marker) {
            return Some(Hit::new(
                0.85,
                format!("client-side template expression using {marker}"),
            ));
        }
    }
    if let Some(s) = find_sinks(expr)
        .into_iter()
        .find(|s| s.name != "this" && s.name != "self")
    {
        // `{{ document.title }}` is unusual but harmless text; a call of a sink is not.
        if expr
            .as_bytes()
            .get(s.at..)
            .is_some_and(|r| r.contains(&b'(') || r.contains(&b'`'))
        {
            return Some(Hit::new(
                0.7,
                format!("client-side template expression calling {}", s.name),
            ));
        }
    }
    None
}

/// Every `{{` opens an expression up to the next `}}` (or the end: payloads are often cut).
pub fn inspect(text: &str) -> Option<Hit> {
    let b = text.as_bytes();
    let mut best: Option<Hit> = None;
    for p in memchr::memmem::find_iter(b, b"{{").take(MAX_EXPRS) {
        let body_start = p + 2;
        let body_end =
            memchr::memmem::find(&b[body_start..], b"}}").map_or(b.len(), |q| body_start + q);
        let Some(body) = text.get(body_start..body_end) else {
            continue;
        };
        if let Some(h) = judge(body) {
            if best.as_ref().is_none_or(|b| h.score > b.score) {
                best = Some(h);
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads() {
        for t in [
            "{{constructor.constructor('alert(1)')()}}",
            " x {{constructor.constructor('alert(1)')()}} . ff",
            "{{$on.constructor('alert(1)')()}}",
            "{{_c.constructor('alert(1)')()}}",
            "{{'a'.constructor.prototype.charAt=[].join;$eval('x=1} } };alert(1)//');}}",
            "{{toString().constructor.prototype.charAt=[].join}}",
            "{{x = {'y':''.constructor.prototype}; x['y'].charAt=[].join;$eval('x=alert(1)');}}",
        ] {
            assert!(inspect(t).is_some_and(|h| h.score >= 0.5), "{t}");
        }
    }

    #[test]
    fn constructor_test_agrees_with_the_lowered_copy() {
        // Pieces that overlap the word in every way (`construconstructor`), upper case,
        // spaces inside it, and characters that lower-case to several or to ASCII.
        let pieces = [
            "constructor",
            "constru",
            "construc",
            "c",
            "co",
            "tor",
            "ctor",
            "CONSTRUCTOR",
            "Con",
            "s T",
            "\t",
            "x",
            "(",
            "\u{212A}",
            "\u{130}",
            "é",
            "r",
        ];
        let mut rng = crate::test_rng::TestRng::new(0x0123_4567_89AB_CDEF);
        for _ in 0..50_000 {
            let n = rng.below(8);
            let s: String = (0..n).map(|_| pieces[rng.below(pieces.len())]).collect();
            assert_eq!(
                names_constructor(&s),
                compact_lower(&s).contains("constructor"),
                "{s:?}"
            );
        }
        assert!(names_constructor("construconstructor"));
        let long = format!("{}constructor", " ".repeat(2000));
        assert!(names_constructor(&long));
        let cut = format!("{}constructor", "x".repeat(MAX_EXPR - 5));
        assert!(!names_constructor(&cut) && !compact_lower(&cut).contains("constructor"));
    }

    #[test]
    fn plain_templates_pass() {
        for t in [
            "{{ name }}",
            "Hello {{ user.first_name }}!",
            "{{ url_for('static', filename='style.css') }}",
            "{{ 7*7 }}",
            "{% if x %}{{ x|e }}{% endif %}",
            "{{ ''.__class__.__mro__ }}",
            "{{ document.title }}",
        ] {
            assert!(inspect(t).is_none(), "{t}");
        }
    }
}

//! Attribute walks inside a template expression that only an exploit needs: from any value to
//! the JavaScript `Function` constructor (Handlebars and other JS sandboxes), pulling array or
//! string methods out as values (Handlebars has no call syntax, so gadgets bind `pop`, `split`
//! or `apply` through `this.` and block helpers), and reading the framework objects that hold
//! signing keys or the server environment. A path of ordinary data names passes.

/// Properties every JavaScript object has; walking to them reaches `Function`.
const JS_PROTO: [&str; 7] = [
    "constructor",
    "__proto__",
    "prototype",
    "__definegetter__",
    "__definesetter__",
    "__lookupgetter__",
    "__lookupsetter__",
];

/// Array, string and function methods that Handlebars gadgets take as values.
const JS_METHODS: [&str; 10] = [
    "pop", "push", "shift", "unshift", "splice", "split", "concat", "apply", "bind", "sub",
];

/// Attributes that hold signing keys or the process environment (`messages.storages.0.signer`,
/// `settings.secret_key`, `request.environ`). Only matched as an attribute of something: a
/// bare `{{ secret }}` is a placeholder.
const SECRET_HOLDERS: [&str; 5] = ["secret_key", "signer", "private_key", "environ", "secret"];

/// Handlebars block helpers whose subject becomes the context of the block.
const BLOCK_HELPERS: [&str; 3] = ["#with", "#each", "#let"];

/// Identifiers examined per expression.
const MAX_TOKENS: usize = 256;

/// One identifier of the expression and what precedes it.
struct Token<'a> {
    word: &'a str,
    /// The identifier before it when the two are joined by a `.` (`this` for `this.pop`).
    parent: Option<&'a str>,
    /// The byte right after it.
    next: Option<u8>,
}

fn tokens(lower: &str) -> Vec<Token<'_>> {
    let b = lower.as_bytes();
    let mut out: Vec<Token<'_>> = Vec::new();
    let mut prev_end = usize::MAX;
    let mut i = 0;
    while i < b.len() && out.len() < MAX_TOKENS {
        if !is_ident(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && is_ident(b[i]) {
            i += 1;
        }
        // Identifier bytes are ASCII, so both ends are char boundaries.
        let word = &lower[start..i];
        let dotted = start > 0 && b[start - 1] == b'.' && prev_end == start - 1;
        let parent = if dotted {
            out.last().map(|t| t.word)
        } else {
            None
        };
        let next = b.get(i).copied();
        out.push(Token { word, parent, next });
        prev_end = i;
    }
    out
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$'
}

/// Scores an expression (lower-cased content between delimiters) of the template family
/// opened by `open`.
pub(super) fn judge(lower: &str, open: &str) -> Option<(f32, String)> {
    // Every rule needs a parent (`.`), a byte after a word that starts a walk (`.` `[` or a
    // quote) or a block helper (`#`): a bare name is not even split into words.
    if !lower
        .bytes()
        .any(|c| matches!(c, b'.' | b'[' | b'"' | b'\'' | b'#'))
    {
        return None;
    }
    let toks = tokens(lower);
    // `x.constructor`, `constructor.constructor`, `"constructor"`: a walk, not the word alone
    // (`[[Constructor (computer science)]]` is a wiki link).
    if let Some(t) = toks.iter().find(|t| {
        JS_PROTO.contains(&t.word)
            && (t.parent.is_some() || matches!(t.next, Some(b'.' | b'[' | b'"' | b'\'')))
    }) {
        return Some((0.85, format!("walking to the JavaScript '{}'", t.word)));
    }
    let helper = BLOCK_HELPERS.iter().find(|h| {
        lower.starts_with(*h) && !lower[h.len()..].starts_with(|c: char| is_ident(c as u8))
    });
    if open == "{{" {
        if let Some(t) = toks.iter().find(|t| {
            JS_METHODS.contains(&t.word)
                && (t.parent == Some("this") || helper.is_some())
                // `sub` is also a plain name (a JWT subject); only `x.sub` is the method.
                && (t.word != "sub" || t.parent.is_some())
        }) {
            return Some((0.7, format!("taking the method '{}' as a value", t.word)));
        }
        if let Some(h) = helper {
            // `{{#with "s" as |string|}}`: a block over a literal only serves to get a String.
            if lower[h.len()..].trim_start().starts_with(['"', '\'']) {
                return Some((0.7, format!("block helper '{h}' over a string literal")));
            }
        }
    }
    if let Some(t) = toks.iter().find(|t| {
        (t.parent.is_some() && SECRET_HOLDERS.contains(&t.word))
            || (t.word == "server" && t.parent == Some("request"))
    }) {
        return Some((
            0.7,
            format!("reading the secret-bearing attribute '{}'", t.word),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::judge;

    fn hit(expr: &str, open: &str) -> bool {
        judge(&expr.to_ascii_lowercase(), open).is_some_and(|(s, _)| s >= 0.5)
    }

    #[test]
    fn walks_to_runtime_or_secrets() {
        for (e, o) in [
            ("this.pop", "{{"),
            ("this.push (lookup string.sub \"constructor\")", "{{"),
            ("#with string.split as |codelist|", "{{"),
            ("#with split as |conslist|", "{{"),
            ("#with \"s\" as |string|", "{{"),
            ("x.__proto__.polluted", "${"),
            ("''.constructor.prototype", "{{"),
            ("messages.storages.0.signer.key", "{{"),
            ("app.request.server.all|join(',')", "{{"),
            ("request.environ", "{{"),
            ("django.conf.settings.SECRET_KEY", "{{"),
        ] {
            assert!(hit(e, o), "{e}");
        }
    }

    #[test]
    fn data_paths_pass() {
        for (e, o) in [
            ("this.title", "{{"),
            ("#each items", "{{"),
            ("#with person", "{{"),
            ("city.pop", "{{"),
            ("secret", "{{"),
            ("user.first_name", "{{"),
            ("render_field(form.password)", "{{"),
            ("server.name", "{{"),
            ("this.split", "${"),
            ("#withdrawal.amount", "{{"),
            ("Constructor (object-oriented programming)", "[["),
            ("Prototype|the comic", "[["),
            ("#with sub", "{{"),
        ] {
            assert!(!hit(e, o), "{e}");
        }
    }
}

//! Attribute names a Jinja expression builds instead of spelling them, so that filters looking
//! for `__class__` never see it: joined string pieces (`'__cla'+'ss__'`, `'__cla'~'ss__'`),
//! escapes (`"\137\137class\137\137"`), keyword names joined (`dict(__cla=1,ss__=1)|join`),
//! characters cut from an object's string form (`(()|select|string)[24]`), or names taken
//! from the request at render time (`()[request.args.a]`, `|attr(request.args.b)`). A
//! template has no reason for any of these: it names what it reads.

/// Pieces of a name collected per expression.
const MAX_REBUILT: usize = 512;

/// Judges one lower-cased template expression.
pub(super) fn judge(lower: &str, dunders: &[&str]) -> Option<(f32, String)> {
    for marker in ["[request.", "[request[", "attr(request.", "attr(request["] {
        if lower.contains(marker) {
            return Some((
                0.9,
                "indexing an object by a name taken from the request".to_string(),
            ));
        }
    }
    if (lower.contains("|string)[") || lower.contains("|string|list"))
        && (lower.contains("select") || lower.contains("lipsum") || lower.contains("()|"))
    {
        return Some((
            0.85,
            "cutting characters out of an object's string form".to_string(),
        ));
    }
    let rebuilt = rebuild(lower)?;
    let d = dunders.iter().find(|d| rebuilt.contains(*d))?;
    Some((
        0.95,
        format!("building Python reflection attribute {d} from pieces"),
    ))
}

/// The names the expression spells in pieces, one after another; None when it has none.
fn rebuild(lower: &str) -> Option<String> {
    let b = lower.as_bytes();
    let pieces = memchr::memchr2(b'\'', b'"', b).is_some();
    let dict = lower.contains("dict(");
    if !pieces && !dict {
        return None;
    }
    let mut out = String::new();
    let mut i = 0;
    let mut joined = false;
    while i < b.len() && out.len() < MAX_REBUILT {
        match b[i] {
            q @ (b'\'' | b'"') => {
                let (body, end) = literal(lower, i, q);
                if !joined {
                    out.push(' ');
                }
                out.push_str(&body);
                i = end;
                // `'a' + 'b'`, `'a' ~ 'b'`: the next literal continues this name.
                let rest = lower[i..].trim_start();
                joined =
                    rest.starts_with(['+', '~']) && rest[1..].trim_start().starts_with(['\'', '"']);
                if joined {
                    i = lower.len() - rest[1..].trim_start().len();
                }
            }
            b'd' if lower[i..].starts_with("dict(") => {
                let args_end = lower[i..].find(')').map_or(lower.len(), |p| i + p);
                if lower[args_end..].starts_with(")|join") {
                    out.push(' ');
                    for arg in lower[i + 5..args_end].split(',') {
                        if let Some((name, _)) = arg.split_once('=') {
                            out.push_str(name.trim());
                        }
                    }
                }
                i = args_end.max(i + 1);
                joined = false;
            }
            _ => {
                i += 1;
                joined = false;
            }
        }
    }
    Some(out)
}

/// The content of the string literal opening at `i` with quote `q`, its escapes decoded, and
/// where the literal ends.
fn literal(s: &str, i: usize, q: u8) -> (String, usize) {
    let b = s.as_bytes();
    let mut out = String::new();
    let mut j = i + 1;
    while j < b.len() {
        let c = b[j];
        if c == q {
            return (out, j + 1);
        }
        if c == b'\\' {
            // Python's `\137`, `\x5f` and `\u005f` read as JavaScript's do.
            if let Some((ch, used)) = super::xss::js_sink::js_escape(&s[j + 1..]) {
                out.push(ch);
                j += 1 + used;
                continue;
            }
        }
        // Any other byte is kept as it is (UTF-8 sequences stay whole).
        let len = s[j..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&s[j..j + len]);
        j += len;
    }
    (out, b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: [&str; 3] = ["__class__", "__mro__", "__subclasses__"];

    #[test]
    fn names_built_from_pieces() {
        for e in [
            "''['__cla'+'ss__']",
            "''['__cla' ~ 'ss__']['__mr'+'o__']",
            "''[\"\\137\\137class\\137\\137\"]",
            "''[\"\\x5f\\x5fclass\\x5f\\x5f\"]",
            "dict(__cla=1,ss__=1)|join",
            "set a=dict(__subcla=1,sses__=1)|join",
        ] {
            assert!(judge(e, &D).is_some_and(|(s, _)| s >= 0.9), "{e}");
        }
        for e in [
            "()[request.args.a][request.args.b]",
            "()|attr(request.args.x)",
            "(()|select|string)[24]~(()|select|string)[24]",
        ] {
            assert!(judge(e, &D).is_some(), "{e}");
        }
    }

    #[test]
    fn ordinary_expressions_pass() {
        for e in [
            "'hello ' ~ user.name",
            "'a' + 'b'",
            "dict(a=1, b=2)|tojson",
            "request.args.get('page', 1)",
            "items|join(', ')",
            "price|string",
            "'\\\\x' ~ code",
            "\"unterminated",
        ] {
            assert!(judge(e, &D).is_none(), "{e}");
        }
    }
}

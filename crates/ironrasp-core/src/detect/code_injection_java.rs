//! Java: command execution APIs, OGNL and SpEL expressions, Spring4Shell class-loader paths,
//! serialized object streams and gadget classes in deserialization contexts.
//!
//! A class name in prose is not an attack; a class name is one when it stands where a
//! deserializer reads a type: the whole value, a JSON `@type`, an XMLDecoder `class=`, an
//! XStream element, or next to the functor classes of a gadget chain.

use super::class;
use super::needle::{has, sites};
use super::{call_at, Best, View, MAX_SITES};
use crate::detect::code_injection_java_base64 as base64;

/// Packages and classes whose presence as a type to instantiate means code execution, JNDI or
/// class loading (deserialization gadgets and their sinks).
pub(super) const DANGEROUS_TYPES: [&str; 34] = [
    "java.lang.runtime",
    "java.lang.processbuilder",
    "java.lang.process",
    "java.lang.reflect.",
    "java.lang.classloader",
    "java.lang.system",
    "java.net.urlclassloader",
    "java.beans.eventhandler",
    "java.rmi.",
    "javax.script.",
    "javax.naming.",
    "javax.management.",
    "javax.el.",
    "sun.rmi.",
    "com.sun.rowset.",
    "com.sun.jndi.",
    "com.sun.org.apache",
    "org.apache.xalan",
    "org.apache.commons.collections.functors",
    "org.apache.commons.collections4.functors",
    "org.apache.commons.beanutils",
    "org.apache.commons.configuration",
    "org.apache.xbean.",
    "org.apache.tomcat.dbcp",
    "org.apache.ibatis.datasource",
    "org.springframework.beans.factory",
    "org.springframework.context.support",
    "org.codehaus.groovy.runtime",
    "groovy.lang.",
    "bsh.",
    "com.mchange.v2.c3p0",
    "com.opensymphony.xwork2",
    "ognl.",
    "org.mozilla.javascript",
];

/// Commons-Collections functor classes chained to reach `Runtime.exec`.
pub(super) const FUNCTORS: [&str; 11] = [
    "invokertransformer",
    "instantiatetransformer",
    "chainedtransformer",
    "constanttransformer",
    "clonetransformer",
    "forclosure",
    "whileclosure",
    "instantiatefactory",
    "prototypeclonefactory",
    "prototypeserializationfactory",
    "templatesimpl",
];

/// Type families that are a file, stream, reflection, thread or remote-object primitive when a
/// deserializer builds them (Jackson or Fastjson polymorphic typing, XStream, XMLDecoder):
/// a package and a test of the rest of the (lower-cased) name. Plain data types (`String`,
/// `Integer`, `Object`, `StringBuilder`) and exceptions are not among them: schema and search
/// forms carry those.
const PRIMITIVE_FAMILIES: [(&str, MemberTest); 7] = [
    // Files, streams, readers and writers: read or write a file, or deserialize again.
    ("java.io.", is_io_class),
    ("java.nio.file.", is_member),
    ("java.nio.channels.", is_member),
    // Reflection on methods and classes by handle, and the class object itself.
    ("java.lang.invoke.", is_member),
    ("java.lang.", is_lang_primitive),
    // CORBA/IIOP remote references and naming: a lookup of a remote object, like JNDI.
    ("org.omg.", is_member),
    // The JDK's own internals (`sun.misc.Unsafe`, `jdk.internal.reflect`...).
    ("jdk.internal.", is_member),
];

/// Whether the rest of a name after a family's package is a member of the family.
type MemberTest = fn(&str) -> bool;

/// Class names of the JDK's process execution: under any JDK root package (`java.Runtime`,
/// `jdk.x.ProcessImpl`) they name nothing a form or schema carries, only a probe or a
/// gadget.
const EXEC_CLASSES: [&str; 5] = [
    "runtime",
    "process",
    "processbuilder",
    "processimpl",
    "unixprocess",
];

/// Root packages of the JDK.
const JDK_ROOTS: [&str; 4] = ["java", "javax", "jdk", "sun"];

/// Keywords whose base64 fragment smuggles an execution class or a gadget chain's functor.
const BASE64_KEYWORDS: [&str; 2 + FUNCTORS.len()] = {
    let mut k = [""; 2 + FUNCTORS.len()];
    k[0] = "runtime";
    k[1] = "processbuilder";
    let mut i = 0;
    while i < FUNCTORS.len() {
        k[2 + i] = FUNCTORS[i];
        i += 1;
    }
    k
};

/// The spellings of [`BASE64_KEYWORDS`] in base64 (see [`base64::Spellings`]).
const SPELLINGS: base64::Spellings = base64::Spellings::of(&BASE64_KEYWORDS);
static BASE64_SPELLINGS: base64::Spellings = SPELLINGS;

/// Whether a keyword can be spelled by hex digits of one case (and base64 symbols): not
/// with the keywords above, so that a hex value (an id, a hash, a UUID) is not read at all.
const SPELLED_IN_LOWER_HEX: bool = SPELLINGS.spelled_in_hex(false);
const SPELLED_IN_UPPER_HEX: bool = SPELLINGS.spelled_in_hex(true);

/// `java.io.` classes that touch files or streams: `File*`, `*Stream`, `*Reader`, `*Writer`,
/// `RandomAccessFile`; not exceptions (`FileNotFoundException`) or `Serializable`.
fn is_io_class(rest: &str) -> bool {
    let class = rest.split('$').next().unwrap_or("");
    !class.contains('.')
        && !class.ends_with("exception")
        && !class.ends_with("error")
        && (class.starts_with("file")
            || ["stream", "reader", "writer", "file"]
                .iter()
                .any(|s| class.ends_with(s)))
}

/// Any class or subpackage of the package.
fn is_member(rest: &str) -> bool {
    !rest.is_empty()
}

/// `java.lang` classes that load or inspect classes or start threads of execution.
fn is_lang_primitive(rest: &str) -> bool {
    let class = rest.split('$').next().unwrap_or("");
    matches!(class, "class" | "thread" | "threadgroup" | "compiler")
}

/// The package a [`DANGEROUS_TYPES`] entry names (`javax.naming.` gives `javax.naming`), if it
/// is a dotted package: every member of it is a gadget or a sink, so the package named alone
/// where a type is read is as much a probe as one of its classes.
fn package_name(t: &'static str) -> Option<&'static str> {
    t.strip_suffix('.').filter(|p| p.contains('.'))
}

/// `run` (a lower-cased dotted name) is a primitive family member or an execution class under
/// a JDK root: the family's description if so.
fn primitive_type(run: &str) -> Option<&'static str> {
    for (package, member) in PRIMITIVE_FAMILIES.iter() {
        if let Some(rest) = run.strip_prefix(package) {
            if member(rest) {
                return Some(package);
            }
        }
    }
    let root = run.split('.').next().unwrap_or("");
    let class = run.rsplit('.').next().unwrap_or("");
    (JDK_ROOTS.contains(&root) && EXEC_CLASSES.contains(&class))
        .then_some("a JDK root with an execution class")
}

/// Texts no literal of the code-injection gate admits that a Java rule of this file may still
/// flag: a primitive family's package or an execution class name, or a base64 fragment of a
/// keyword.
#[cfg(test)]
pub(super) fn may_match(text: &str) -> bool {
    // Every family and execution name is a dotted class name.
    (text.contains('.') && super::gate::has_dotted_needle(text)) || may_hold_base64_keyword(text)
}

/// The literals of [`may_match`] that count only in a value with a `.` (ASCII case ignored).
/// The shared gate of `code_injection` folds them into its own automaton.
pub(super) fn dotted_needles() -> impl Iterator<Item = &'static str> {
    PRIMITIVE_FAMILIES
        .iter()
        .map(|(p, _)| *p)
        .chain(["process", "runtime"])
        // A gadget package named alone (`javax.naming`), without the trailing dot.
        .chain(DANGEROUS_TYPES.iter().filter_map(|t| package_name(t)))
}

/// The base64 half of [`may_match`]: a keyword in a base64 fragment, every token decoded
/// (what the readings below must equal).
#[cfg(test)]
pub(super) fn may_hold_base64_keyword(text: &str) -> bool {
    base64_hit_decoded(text).is_some()
}

/// [`may_hold_base64_keyword`] of `text`, whose byte classes are `seen`: a value whose letters
/// are all hex digits of one case is ruled out by its classes alone when no keyword is
/// spelled in such digits, others by [`base64_hit_spelled`].
pub(super) fn may_hold_base64_keyword_seen(text: &str, seen: class::Set) -> bool {
    let hex = (seen & class::NOT_LOWER_HEX == 0 && !SPELLED_IN_LOWER_HEX)
        || (seen & class::NOT_UPPER_HEX == 0 && !SPELLED_IN_UPPER_HEX);
    !hex && text.len() >= base64::MIN_CHARS && base64_hit_spelled(text).is_some()
}

/// A keyword in a base64 fragment that counts: a gadget chain's functor anywhere in a bounded
/// token (no benign text names them), an execution class only when it is most of the fragment
/// (a base64 JSON config with `"runtime":"python3.11"` is not).
fn base64_hit(text: &str) -> Option<base64::Hit> {
    // No token without a long enough run: code and prose (what reaches the rules) are
    // skipped a few bytes per word, faster than the spellings are read.
    if !super::has_long_run(text.as_bytes()) {
        return None;
    }
    base64_hit_spelled(text)
}

/// [`base64_hit`], the tokens decoded only when the value spells a keyword's group somewhere.
fn base64_hit_spelled(text: &str) -> Option<base64::Hit> {
    // Most tokens (ids, hashes, session values) spell no keyword at any alignment: ruled out
    // before any token is cut or decoded.
    if !BASE64_SPELLINGS.may_be_in(text.as_bytes()) {
        return None;
    }
    base64_hit_decoded(text)
}

/// [`base64_hit`] without its pre-test: every token decoded. Not inlined: its decoding buffer
/// would make every caller's frame large.
#[inline(never)]
fn base64_hit_decoded(text: &str) -> Option<base64::Hit> {
    base64::find(text, &BASE64_KEYWORDS, |h| {
        h.dominant() || FUNCTORS.contains(&h.keyword)
    })
}

/// Base64 fragments of execution classes and functors, at any alignment.
fn base64_fragments(v: &View, best: &mut Best) {
    if let Some(h) = base64_hit(v.text) {
        let score = if FUNCTORS.contains(&h.keyword) {
            0.85
        } else {
            0.8
        };
        best.keep_with(score, || {
            format!(
                "base64 fragment (any alignment) decoding to Java keyword {}",
                h.keyword
            )
        });
    }
}

/// Serialization magic, or what [`may_match`] admits (the pre-gate of
/// `code_injection::inspect` for values without any trigger byte).
#[cfg(test)]
pub(super) fn may_be_magic(text: &str) -> bool {
    let seen = class::of(text.as_bytes());
    may_be_magic_seen(text, seen, super::has_long_run_seen(text.as_bytes(), seen))
}

/// [`may_be_magic`] of `text`, whose byte classes are `seen`, and which has a run of base64
/// characters long enough for a fragment when `long_run`: each reading runs only when its
/// bytes are there (see [`may_be_serialized_seen`] for the magics). Every dotted needle holds
/// a `.`, and every base64 token worth decoding is such a run with an upper-case letter or a
/// digit.
pub(super) fn may_be_magic_seen(text: &str, seen: class::Set, long_run: bool) -> bool {
    (seen & (class::MAGIC_0 | class::MAGIC_7 | class::MAGIC_A | class::NON_ASCII) != 0
        && may_be_serialized_seen(text, seen))
        || (seen & class::DOT != 0 && super::gate::has_dotted_needle(text))
        || (long_run && seen & class::MIXED != 0 && may_hold_base64_keyword_seen(text, seen))
}

/// The magic `AC ED 00 05` read as Latin-1 text (a WSGI path or a body decoded byte per
/// character): unlike the UTF-8 reading, the bytes survive, so the match is exact.
const LATIN1_MAGIC: &str = "\u{ac}\u{ed}\u{0}\u{5}";

/// The raw stream opens the value (a body or a field that is the object), as the UTF-8
/// reading above: one comparison, nothing scanned.
fn has_latin1_magic(text: &str) -> bool {
    text.starts_with(LATIN1_MAGIC)
}

/// [`may_be_serialized`] of `text`, whose byte classes are `seen`: the base64 magics are
/// looked for only when a pair of their bytes is there ([`class::magic_pair`]), and from the
/// bytes no hex digit is (`O`, `Q`, `z`); the hex magic opens the value; U+FFFD is looked for
/// only when its lead byte `EF` is there (Latin, Cyrillic, Greek and common CJK text have
/// none).
fn may_be_serialized_seen(text: &str, seen: class::Set) -> bool {
    let b = text.as_bytes();
    let at = |i: usize, back: usize, magic: &[u8]| i >= back && b[i - back..].starts_with(magic);
    (class::magic_pair(seen)
        && memchr::memchr3_iter(b'O', b'Q', b'z', b).any(|i| match b[i] {
            b'O' => at(i, 1, b"rO0AB"),
            b'Q' => at(i, 2, b"s7QAF"),
            _ => at(i, 0, b"ztAA"),
        }))
        || (matches!(b.first(), Some(b'a' | b'A'))
            && b.len() >= 8
            && b[..8].eq_ignore_ascii_case(b"aced0005"))
        || (seen & class::NON_ASCII != 0
            && ((seen & class::LEAD_EF != 0 && text.contains('\u{fffd}'))
                || has_latin1_magic(text)))
}

/// Serialization magic anywhere in `text`: the reading [`may_be_serialized_seen`] must equal.
#[cfg(test)]
fn may_be_serialized(text: &str) -> bool {
    let b = text.as_bytes();
    // One scan for the rare bytes inside the base64 magics (`rO0AB`, `ztAA`, `s7QAF`), each
    // then checked in place: cheaper on prose than a substring search per magic.
    let at = |i: usize, back: usize, magic: &[u8]| i >= back && b[i - back..].starts_with(magic);
    memchr::memchr3_iter(b'0', b'7', b'A', b).any(|i| match b[i] {
        b'0' => at(i, 2, b"rO0AB"),
        b'7' => at(i, 1, b"s7QAF"),
        _ => at(i, 2, b"ztAA"),
    }) || (!text.is_ascii() && (text.contains('\u{fffd}') || has_latin1_magic(text)))
        || text.len() >= 8 && b[..8].eq_ignore_ascii_case(b"aced0005")
}

pub(super) fn scan(v: &View, best: &mut Best) {
    if v.calls {
        exec_apis(v, best);
    }
    ognl_spel(v, best);
    class_loader_paths(v, best);
    xstream_elements(v, best);
    xml_decoders(v, best);
    xml_attribute_classes(v, best);
    // Element and attribute names of an XML document are never read as a type or a stream
    // (only XStream reads element names, and then as an object with members: the rule
    // above); the data rules below see the document with its names blanked.
    match names_blanked(v.text) {
        Some(text) => {
            let lower = text.to_ascii_lowercase();
            let blanked = View::new(&text, &lower);
            serialized(&blanked, best);
            gadget_types(&blanked, best);
            base64_fragments(&blanked, best);
        }
        None => {
            serialized(v, best);
            gadget_types(v, best);
            base64_fragments(v, best);
        }
    }
}

/// Bytes of a name in an XML tag: element names (`a:b.c-d`) and attribute names.
fn is_name_byte(b: u8) -> bool {
    super::is_ident(b) || matches!(b, b'.' | b':' | b'-' | b'$')
}

/// `text` with the element and attribute names of its tags replaced by spaces (same byte
/// offsets; text, attribute values and everything outside tags kept), or `None` when it has
/// no tag. One pass, linear in the length.
fn names_blanked(text: &str) -> Option<String> {
    let b = text.as_bytes();
    memchr::memchr(b'<', b)?;
    let mut out = b.to_vec();
    let mut i = 0;
    let mut tags = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        if b.get(j) == Some(&b'/') {
            j += 1;
        }
        if !b
            .get(j)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        {
            i += 1;
            continue;
        }
        tags += 1;
        // The element name.
        while j < b.len() && is_name_byte(b[j]) {
            out[j] = b' ';
            j += 1;
        }
        // Attributes up to `>`: names blanked, quoted values skipped.
        while j < b.len() && b[j] != b'>' && b[j] != b'<' {
            match b[j] {
                q @ (b'"' | b'\'') => {
                    j += 1 + b[j + 1..]
                        .iter()
                        .position(|&c| c == q)
                        .unwrap_or(b.len() - j - 1);
                    j += 1;
                }
                c if is_name_byte(c) => {
                    let start = j;
                    while j < b.len() && is_name_byte(b[j]) {
                        j += 1;
                    }
                    let mut k = j;
                    while k < b.len() && b[k].is_ascii_whitespace() {
                        k += 1;
                    }
                    // A run right after `=` is an unquoted value (base64 ends in `=` too).
                    if b.get(k) == Some(&b'=') && b[start - 1] != b'=' {
                        out[start..j].fill(b' ');
                    }
                }
                _ => j += 1,
            }
        }
        i = j;
    }
    // Only ASCII name bytes were replaced by ASCII spaces: still UTF-8.
    (tags > 0).then(|| String::from_utf8(out).unwrap_or_default())
}

/// XMLDecoder `<java ...><object class="...">` documents and XStream proxies (element names
/// matter here, so this reads the original view).
fn xml_decoders(v: &View, best: &mut Best) {
    if v.has("<java") && (v.has("<object class=") || v.has("<void ")) {
        let score = if DANGEROUS_TYPES.iter().any(|t| v.has(t)) || v.has("method=\"start\"") {
            0.95
        } else {
            0.75
        };
        best.keep(score, "XMLDecoder document (<java><object class=...>)");
    }
    if v.has("<dynamic-proxy") && v.has("eventhandler") {
        best.keep(0.95, "XStream dynamic proxy with EventHandler");
    }
}

/// Attribute values of one XML document that name a JDK type (`="java.lang.String"`) and an
/// execution class by its simple name (`="Runtime"`, `="ProcessBuilder"`): the shape of a
/// bean or decoder document wiring a process class by attributes. The simple name must be
/// spelled as a class (upper-case initial): a mapping with a property `name="runtime"` and a
/// `type="java.lang.Integer"` is a movie table, not a gadget.
fn xml_attribute_classes(v: &View, best: &mut Best) {
    let l = v.lower;
    if memchr::memchr(b'<', l.as_bytes()).is_none()
        || !(v.has("=\"java.") || v.has("='java.") || v.has("=\"javax."))
    {
        return;
    }
    for class in ["runtime", "processbuilder"] {
        for at in v.sites(class).take(MAX_SITES) {
            let b = l.as_bytes();
            let Some(q @ (b'"' | b'\'')) = at.checked_sub(1).map(|k| b[k]) else {
                continue;
            };
            let end = at + class.len();
            let closed = b.get(end) == Some(&q);
            let assigned = at >= 2 && b[..at - 1].trim_ascii_end().ends_with(b"=");
            let as_class = v.text.as_bytes()[at].is_ascii_uppercase();
            if closed && assigned && as_class {
                best.keep_with(0.75, || {
                    format!("XML attributes naming a JDK type and the execution class {class}")
                });
                return;
            }
        }
    }
}

/// XStream reads an element name as the class to build: `<java.lang.ProcessBuilder>` holding
/// member elements (`<command>`). An element with only text or attributes builds nothing.
fn xstream_elements(v: &View, best: &mut Best) {
    let l = v.lower;
    if memchr::memchr(b'<', l.as_bytes()).is_none() {
        return;
    }
    for t in DANGEROUS_TYPES.iter() {
        for at in v.sites(t).take(MAX_SITES) {
            if at == 0 || l.as_bytes()[at - 1] != b'<' {
                continue;
            }
            let rest = &l[at..];
            let name_len = rest.bytes().take_while(|c| is_name_byte(*c)).count();
            let Some(close) = rest.find('>') else {
                continue;
            };
            if close < name_len || rest[..close].ends_with('/') {
                continue;
            }
            let content = rest[close + 1..].trim_start();
            if content.starts_with('<') && !content.starts_with("</") {
                best.keep_with(0.85, || {
                    format!(
                        "XStream element naming {} with members",
                        super::head(&rest[..name_len], 60)
                    )
                });
                return;
            }
        }
    }
}

fn exec_apis(v: &View, best: &mut Best) {
    let l = v.lower;
    if let Some(at) = v.find("getruntime") {
        if call_at(l, at + 10).is_some() {
            let score = if has(&l[at..], ".exec") { 0.95 } else { 0.85 };
            best.keep(score, "Java Runtime.getRuntime() call");
        }
    }
    for at in v.sites("processbuilder").take(MAX_SITES) {
        let mut before = &l[..at];
        while let Some(b) = before.strip_suffix("java.lang.") {
            before = b;
        }
        let before = before.trim_end();
        if let Some(call) = call_at(l, at + 14) {
            if before.ends_with("new") || call.after.trim_start().starts_with(".start") {
                best.keep(0.9, "Java new ProcessBuilder(...)");
            }
        }
    }
    for ctx in [
        "filesystemxmlapplicationcontext",
        "classpathxmlapplicationcontext",
    ] {
        if let Some(at) = v.find(ctx) {
            if call_at(l, at + ctx.len()).is_some() {
                best.keep(0.9, "Spring XML application context loaded from a URL");
            }
        }
    }
    if v.has("scriptenginemanager") && v.has(".eval(") {
        best.keep(0.9, "Java ScriptEngine eval");
    }
}

fn ognl_spel(v: &View, best: &mut Best) {
    let l = v.lower;
    for (needle, score, why) in [
        (
            "#_memberaccess",
            0.95,
            "OGNL #_memberAccess (sandbox switch)",
        ),
        ("@ognl.ognlcontext@", 0.95, "OGNL OgnlContext static access"),
        ("#context[", 0.85, "OGNL #context[...] access"),
        ("#context.get(", 0.85, "OGNL #context.get(...)"),
        (
            "com.opensymphony.xwork2.dispatcher",
            0.85,
            "Struts dispatcher object in an expression",
        ),
        ("#application[", 0.7, "OGNL #application access"),
    ] {
        if v.has(needle) {
            best.keep(score, why);
        }
    }
    // `@java.lang.Runtime@getRuntime()`: OGNL static member access on a class.
    for (at, _) in l.match_indices('@').take(MAX_SITES * 2) {
        let rest = &l[at + 1..];
        let n = rest
            .bytes()
            .take_while(|b| super::is_ident(*b) || *b == b'.' || *b == b'$')
            .count();
        if n > 3 && rest[..n].contains('.') && rest[n..].starts_with('@') {
            let after = &rest[n + 1..];
            if after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
                best.keep(0.9, "OGNL static access @pkg.Class@member");
            }
        }
    }
    // `%{ ... }` with OGNL variables or statics; `(#a=...)` assignment chains.
    for at in v.sites("%{").take(MAX_SITES) {
        let body = super::head(&l[at + 2..], 400);
        if body.contains('#') || body.contains('@') || has(body, "(new ") {
            best.keep(0.85, "OGNL expression %{...} with variables or statics");
        }
    }
    // `(#a=...)(#b=...)`: each link assigns an OGNL variable (`(#306 by [@x])` in a
    // changelog is no assignment).
    let assignments = v
        .sites("(#")
        .take(MAX_SITES)
        .filter(|at| {
            let rest = &l[at + 2..];
            let n = rest.bytes().take_while(|b| super::is_ident(*b)).count();
            n > 0 && !rest.as_bytes()[0].is_ascii_digit() && rest[n..].trim_start().starts_with('=')
        })
        .count();
    if assignments >= 2 && (l.contains('@') || v.has(".exec")) {
        best.keep(0.85, "OGNL assignment chain (#a=...)(#b=...)");
    }
    // SpEL `T(java.lang.Runtime)`: a type reference to a class.
    for at in v.sites("t(").take(MAX_SITES) {
        let b = l.as_bytes();
        if at > 0 && super::is_ident(b[at - 1]) {
            continue;
        }
        let inner = l[at + 2..].trim_start();
        if DANGEROUS_TYPES.iter().any(|t| inner.starts_with(t)) {
            best.keep(0.95, "SpEL type reference T(...) to an execution class");
            continue;
        }
        // `T(java.lang.Class)`, `T(java.io.File)`: a JDK primitive reached by type reference
        // (class loading, files, threads), the first link of a chain to execution.
        let name_len = inner
            .bytes()
            .take_while(|b| super::is_ident(*b) || matches!(b, b'.' | b'$'))
            .count();
        let name = &inner[..name_len];
        if inner[name_len..].trim_start().starts_with(')')
            && is_dotted_name(name)
            && primitive_type(name).is_some()
        {
            best.keep(0.85, "SpEL type reference T(...) to a JDK primitive class");
        }
    }
}

/// Spring4Shell and Struts class-loader manipulation through bound parameter names.
fn class_loader_paths(v: &View, best: &mut Best) {
    for needle in [
        "class.module.classloader",
        "class.classloader",
        "class['classloader']",
    ] {
        if v.has(needle) {
            best.keep(0.95, "class loader reached through a bean property path");
        }
    }
    if v.has(".classloader.resources.") || v.has("classloader.urls[") {
        best.keep(
            0.9,
            "class loader resources reached through a property path",
        );
    }
}

/// Base64 of the magic `AC ED 00 05` at the three byte alignments, each with its lower case.
const BASE64_MAGICS: [(&str, &str); 3] = [("rO0AB", "ro0ab"), ("ztAA", "ztaa"), ("s7QAF", "s7qaf")];

/// Java serialization streams: base64 `rO0AB...`, hex `aced0005`, or the raw magic bytes
/// (already replaced as invalid UTF-8: two replacement characters, then `\0\x05`).
fn serialized(v: &View, best: &mut Best) {
    let t = v.text;
    // Base64 of the magic `AC ED 00 05` at the three byte alignments.
    for (i, (needle, lower)) in BASE64_MAGICS.into_iter().enumerate() {
        // Where the value holds a magic, its lower-cased copy holds the magic lower-cased:
        // the copy's byte pairs rule most values out without a search.
        if !v.pairs.may_hold(lower) {
            continue;
        }
        for at in sites(t, needle).take(MAX_SITES) {
            let b = t.as_bytes();
            let start = b[..at]
                .iter()
                .rev()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'_' | b'-'))
                .count();
            let next = b.get(at + needle.len()).copied();
            let aligned = match i {
                0 => true,
                // `ztAA` must be followed by the high bits of the version byte 0x05.
                1 => matches!(next, Some(b'U' | b'V' | b'W' | b'X')) && start >= 1,
                _ => start >= 1,
            };
            // An XML element or attribute name is never read as a stream by a deserializer.
            let token_end = at
                + b[at..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='))
                    .count();
            let before = (at - start).checked_sub(1).map(|k| b[k]);
            let as_name =
                before == Some(b'<') || (before == Some(b' ') && b.get(token_end) == Some(&b'='));
            if aligned && !as_name {
                let score = if start == 0 { 0.9 } else { 0.75 };
                best.keep(score, "base64 of a Java serialization stream (AC ED 00 05)");
            }
        }
    }
    let l = v.lower;
    for at in v.sites("aced0005").take(MAX_SITES) {
        let b = l.as_bytes();
        if at == 0 || !b[at - 1].is_ascii_hexdigit() {
            best.keep(0.9, "hex of a Java serialization stream (AC ED 00 05)");
        }
    }
    if t.starts_with("\u{fffd}\u{fffd}\u{0}\u{5}") {
        best.keep(0.85, "raw Java serialization stream header");
    }
    if has_latin1_magic(t) {
        best.keep(
            0.85,
            "raw Java serialization stream header (bytes read as Latin-1)",
        );
    }
}

/// Dangerous classes where a deserializer reads a type.
/// Bytes of a (dotted) name run: identifier bytes, `.` and `$`, as a table (every byte of
/// every value that reaches the Java rules is read through it).
static RUN_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'$');
        i += 1;
    }
    t
};

/// The first bytes of [`DANGEROUS_TYPES`]: a run starting with another byte is none of them
/// (one look-up instead of a comparison per type).
static TYPE_FIRST_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < DANGEROUS_TYPES.len() {
        t[DANGEROUS_TYPES[i].as_bytes()[0] as usize] = true;
        i += 1;
    }
    t
};

fn gadget_types(v: &View, best: &mut Best) {
    let l = v.lower;
    // A class or package name of a gadget package standing alone as a value: the whole
    // value, a JSON string, an XML attribute or element text, a `name=value` piece. Prose
    // ("use java.lang.Runtime to ...") has it between spaces and does not count.
    let b = l.as_bytes();
    let mut i = 0;
    let mut runs = 0;
    let in_run = |c: u8| RUN_BYTES[usize::from(c)];
    // A run that starts after the last `.` has none and is passed over: stop there.
    let end = memchr::memrchr(b'.', b).map_or(0, |d| d + 1);
    while i < end && runs < MAX_SITES * 8 {
        if !in_run(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut dot = false;
        while i < b.len() && in_run(b[i]) {
            dot |= b[i] == b'.';
            i += 1;
        }
        runs += 1;
        let run = &l[start..i];
        // Most runs are words; a dotted name has a dot, seen while reading the run. Only a
        // run standing alone counts (tested below): most dotted runs of prose and documents
        // (host names, file names, versions) do not, and need no name test.
        const OPEN: &[u8] = b"=&>\"'[{,:";
        const CLOSE: &[u8] = b"=&<\"']},:";
        let delimited = || {
            start.checked_sub(1).is_none_or(|k| OPEN.contains(&b[k]))
                && b.get(i).is_none_or(|c| CLOSE.contains(c) || *c == b'\n')
        };
        if !dot || !delimited() || !is_dotted_name(run) {
            continue;
        }
        // Both tests need `run` to begin with the type's first byte, compared first; the
        // package test also needs the lengths to fit (it searches `t` for a dot).
        let family = if TYPE_FIRST_BYTES[usize::from(b[start])]
            && DANGEROUS_TYPES.iter().any(|t| {
                t.as_bytes()[0] == b[start]
                    && (starts_type(run, t)
                        || (run.len() + 1 == t.len() && package_name(t) == Some(run)))
            }) {
            None
        } else if let Some(f) = primitive_type(run) {
            Some(f)
        } else {
            continue;
        };
        match family {
            None => best.keep_with(0.85, || {
                format!("value naming gadget class {}", super::head(run, 60))
            }),
            Some(f) => best.keep_with(0.8, || {
                format!(
                    "value naming JDK primitive class {} ({f})",
                    super::head(run, 60)
                )
            }),
        }
    }
    for key in ["\"@type\"", "\"$type\"", "\"@class\""] {
        for at in v.sites(key).take(MAX_SITES) {
            let rest = l[at + key.len()..].trim_start();
            if let Some(val) = rest.strip_prefix(':').map(str::trim_start) {
                if let Some(val) = val.strip_prefix('"') {
                    let name = val.split('"').next().unwrap_or("");
                    if is_dotted_name(name) {
                        let score = if DANGEROUS_TYPES.iter().any(|t| starts_type(name, t)) {
                            0.95
                        } else if has(name, "jdbcrowset") || has(name, "datasource") {
                            0.85
                        } else {
                            0.6
                        };
                        best.keep_with(score, || {
                            format!("polymorphic type key {key} naming a class")
                        });
                    }
                }
            }
        }
    }
    for t in DANGEROUS_TYPES.iter().filter(|t| !t.ends_with('.')) {
        // The name itself first: most values name no type, and the search allocates. The
        // attribute name `class` is blanked in this view: `="` then the type.
        if v.has(t) && v.has(&format!("=\"{t}")) && v.text.contains('<') {
            best.keep_with(0.85, || format!("XML class attribute naming {t}"));
        }
    }
    // An execution class next to a Commons-Collections functor: a gadget chain's fingerprint.
    let exec = v.has("runtime") || v.has("processbuilder");
    if exec {
        if let Some(f) = FUNCTORS.iter().find(|f| v.has(f)) {
            best.keep_with(0.85, || {
                format!("gadget chain: execution class with functor {f}")
            });
        }
    }
}

/// `a.b.C`, `a.b.c$Inner`: identifiers joined by dots, at least two dots or a class segment.
fn is_dotted_name(s: &str) -> bool {
    s.len() >= 5
        && s.len() <= 200
        && s.contains('.')
        && !s.starts_with('.')
        && !s.ends_with('.')
        && s.bytes()
            .all(|b| super::is_ident(b) || b == b'.' || b == b'$')
        && !has(s, "..")
}

/// `s` is the type `t` or lies inside it (package prefix, or class followed by `$`/`.`).
fn starts_type(s: &str, t: &str) -> bool {
    if !s.starts_with(t) {
        return false;
    }
    t.ends_with('.')
        || s.len() == t.len()
        || matches!(s.as_bytes()[t.len()], b'.' | b'$')
        || t == "com.sun.org.apache"
}

#[cfg(test)]
mod tests {
    use super::{may_be_magic, may_match, scan, Best, View};

    /// The pre-gate before it read byte classes: every reading on every value, the dotted
    /// needles through an automaton of their own.
    fn may_be_magic_unclassed(text: &str, ac: &aho_corasick::AhoCorasick) -> bool {
        super::may_be_serialized(text)
            || (text.contains('.') && ac.is_match(text))
            || super::may_hold_base64_keyword(text)
    }

    #[test]
    fn base64_magics_name_their_lower_case() {
        for (magic, lower) in super::BASE64_MAGICS {
            assert_eq!(magic.to_ascii_lowercase(), lower);
        }
    }

    #[test]
    fn pre_gate_by_byte_classes_reads_like_every_reading() {
        // Pieces that make each reading match or nearly match, joined at random.
        const PIECES: [&str; 35] = [
            "O0",
            "Q7",
            "zA",
            "rO0AB",
            "rO0",
            "s7QAF",
            "ztAA",
            "aced0005",
            "ACED0005",
            "\u{fffd}",
            "\u{ac}\u{ed}\u{0}\u{5}",
            ".",
            "java.io.",
            "File",
            "Stream",
            "JAVA.LANG.",
            "Class",
            "runtime",
            "Process",
            "javax.naming",
            "org.omg.x",
            "cnVudGltZQ",
            "UHJvY2Vzc0J1aWxkZXI",
            "SW52b2tlclRyYW5zZm9ybWVy",
            " ",
            "é",
            "A",
            "0",
            "7",
            "x",
            "Zürich",
            "\u{3000}",
            "a-b_c/d+e",
            "aced",
            "s7",
        ];
        let mut rng = crate::test_rng::TestRng::new(0x9E37_79B9_7F4A_7C15);
        let ac = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(super::dotted_needles())
            .unwrap();
        let mut admitted = 0;
        for _ in 0..20_000 {
            let t = rng.pieces(&PIECES, 8);
            let want = may_be_magic_unclassed(&t, &ac);
            assert_eq!(may_be_magic(&t), want, "{t:?}");
            admitted += usize::from(want);
        }
        // The pieces reach both answers often.
        assert!((2_000..18_000).contains(&admitted), "{admitted}");
    }

    #[test]
    fn base64_pre_test_reads_like_decoding_every_token() {
        use crate::detect::code_injection_java_base64::tests::cut;
        // Keyword fragments cut at every alignment and in both cases, halves of them, random
        // base64 characters, hex ids and separators, joined at random.
        let mut pieces: Vec<String> = Vec::new();
        for word in super::BASE64_KEYWORDS.iter().chain(&["java.lang.runtime"]) {
            for word in [word.to_string(), word.to_ascii_uppercase()] {
                for pad in 0..3 {
                    let frag = cut(&word, pad);
                    pieces.push(frag[..frag.len() / 2].to_string());
                    pieces.push(frag[frag.len() / 2..].to_string());
                    pieces.push(frag);
                }
            }
        }
        for p in [
            " ",
            "=",
            ".",
            "-",
            "_",
            "/",
            "é",
            "rO0AB",
            "9e3779b97f4a7c15",
            "3F9A1C2E",
            "7b6d",
        ] {
            pieces.push(p.to_string());
        }
        const ALPHABET: &[u8] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_";
        let mut rng = crate::test_rng::TestRng::new(0x7E57_0F6A_7E5B_A5E6);
        let (mut found, mut ruled_out) = (0, 0);
        for _ in 0..50_000 {
            let mut t = String::new();
            for _ in 0..1 + rng.below(5) {
                if rng.below(3) == 0 {
                    for _ in 0..1 + rng.below(24) {
                        t.push(char::from(ALPHABET[rng.below(ALPHABET.len())]));
                    }
                } else {
                    t.push_str(&pieces[rng.below(pieces.len())]);
                }
            }
            let full = super::base64_hit_decoded(&t);
            assert_eq!(super::base64_hit(&t), full, "{t:?}");
            assert_eq!(super::base64_hit_spelled(&t), full, "{t:?}");
            let seen = super::class::of(t.as_bytes());
            assert_eq!(
                super::may_hold_base64_keyword_seen(&t, seen),
                full.is_some(),
                "{t:?}"
            );
            found += usize::from(full.is_some());
            ruled_out += usize::from(!super::BASE64_SPELLINGS.may_be_in(t.as_bytes()));
        }
        // Both answers are common: the pre-test rules out, and what it admits is found.
        assert!(found > 5_000, "{found}");
        assert!(ruled_out > 5_000, "{ruled_out}");
    }

    #[test]
    fn hex_values_are_ruled_out_by_their_classes() {
        // The keywords are not spelled in hex digits of one case, so the shortcut applies.
        const { assert!(!super::SPELLED_IN_LOWER_HEX && !super::SPELLED_IN_UPPER_HEX) };
        for t in [
            "9e3779b97f4a7c15",
            "3f9a1c2e-7b6d-4e2a-9c1b-0d8e7f6a5b4c",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "E3B0C44298FC1C149AFBF4C8996FB924",
        ] {
            assert!(!super::may_hold_base64_keyword_seen(
                t,
                super::class::of(t.as_bytes())
            ));
        }
    }

    /// The Java rules' verdict on one view (past the shared gate: see `may_match`).
    fn flagged(text: &str) -> bool {
        let lower = text.to_ascii_lowercase();
        let mut best = Best::default();
        scan(&View::new(text, &lower), &mut best);
        best.0.is_some_and(|(s, _)| s >= super::super::THRESHOLD)
    }

    #[test]
    fn jdk_primitive_classes_standing_alone_are_flagged() {
        for t in [
            "java.io.FileOutputStream",
            "java.io.File",
            "java.io.ObjectInputStream",
            "java.io.BufferedReader",
            "java.io.RandomAccessFile",
            "java.nio.file.Files",
            "java.lang.Class",
            "java.lang.Thread",
            "java.lang.invoke.MethodHandles",
            "org.omg.CORBA",
            "org.omg.CosNaming.NamingContext",
            "java.Runtime",
            "javax.ProcessBuilder",
            "x=java.io.PrintWriter",
            "java.io.InputStreamReader=x",
            "{\"t\": \"java.io.FileInputStream\"}",
            "{\"java.lang.Class\": 1}",
            "<a b=\"java.io.FileWriter\">c</a>",
            "<a b=\"c\">java.io.StringReader</a>",
        ] {
            assert!(flagged(t), "{t}");
            assert!(may_match(t), "gate: {t}");
        }
    }

    #[test]
    fn data_types_exceptions_and_prose_are_not() {
        for t in [
            "java.lang.String",
            "java.lang.Integer",
            "java.lang.Object",
            "java.lang.StringBuilder",
            "java.lang.NullPointerException",
            "java.io.IOException",
            "java.io.FileNotFoundException",
            "java.io.Serializable",
            "java.lang.ThreadLocal",
            "org.apache.commons",
            "com.example.Runtime",
            "Open it with java.io.FileInputStream and read the bytes",
            "We moved java.lang.Thread usage to executors last sprint",
            "Caused by: java.io.IOException: Stream closed",
            "AWS Lambda runtime python3.11",
        ] {
            assert!(!flagged(t), "{t}");
        }
    }

    #[test]
    fn base64_fragments_of_keywords_are_flagged_at_every_alignment() {
        // "Runtime", "ProcessBuilder" and functor names encoded after 0, 1 or 2 other bytes,
        // with the characters holding only those bytes cut off.
        for t in [
            "UnVudGltZQ",
            "FJ1bnRpbWU",
            "lSdW50aW1l",
            "UHJvY2Vzc0J1aWxkZXI",
            "FByb2Nlc3NCdWlsZGVy",
            "Q2hhaW5lZFRyYW5zZm9ybWVy",
            "q=lUZW1wbGF0ZXNJbXBs",
            "{\"k\": \"0luc3RhbnRpYXRlRmFjdG9yeQ\"}",
            // base64 of "java.lang.Runtime": the class name is the whole fragment.
            "amF2YS5sYW5nLlJ1bnRpbWU=",
        ] {
            assert!(flagged(t), "{t}");
            assert!(may_match(t), "gate: {t}");
            assert!(may_be_magic(t), "pre-gate: {t}");
        }
    }

    #[test]
    fn base64_tokens_that_only_mention_or_miss_a_keyword_are_not() {
        for t in [
            // JWT.
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
            // SHA-256 hex.
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            // A random base64 token.
            "k2Vx9QmZr7TtYb0LwPq3HsNdA1fGc8Ue",
            // base64 of {"FunctionName":"api","Runtime":"python3.11","MemorySize":128}
            "eyJGdW5jdGlvbk5hbWUiOiJhcGkiLCJSdW50aW1lIjoicHl0aG9uMy4xMSIsIk1lbW9yeVNpemUiOjEyOH0=",
            // base64 of {"runtime":"nodejs18.x"}
            "eyJydW50aW1lIjoibm9kZWpzMTgueCJ9",
            "JavaScript TypeScript getElementById",
        ] {
            assert!(!flagged(t), "{t}");
            assert!(!may_match(t), "gate: {t}");
        }
    }

    #[test]
    fn gadget_packages_named_alone_are_flagged_in_prose_they_are_not() {
        for t in [
            "java.lang.reflect",
            "javax.naming",
            "{\"com.sun.jndi\": 1}",
            "<a b=\"c\">javax.script</a>",
            "x=groovy.lang",
        ] {
            assert!(flagged(t), "{t}");
            assert!(may_match(t), "gate: {t}");
        }
        for t in [
            "the java.lang.reflect package holds Method and Field",
            "org.apache.commons",
            "groupId=org.apache.commons",
            "javax.swing",
            "java.lang",
            "docs.oracle.com/javase/8/docs/api/javax/naming/package-summary.html",
        ] {
            assert!(!flagged(t), "{t}");
        }
    }

    #[test]
    fn spel_type_references_to_jdk_primitives_are_flagged() {
        for t in [
            "${T(java.lang.Class).forName('x')}",
            "#{T(java.io.File).listRoots()}",
            "T( java.lang.Thread ).sleep(5000)",
        ] {
            assert!(flagged(t), "{t}");
        }
        for t in [
            "${T(java.lang.Math).random()}",
            "T(java.lang.String)",
            "at(java.lang.Class)",
        ] {
            assert!(!flagged(t), "{t}");
        }
    }

    #[test]
    fn latin1_read_serialization_header_is_flagged() {
        let t = "\u{ac}\u{ed}\u{0}\u{5}sr\u{0}\u{11}java.util.HashMap";
        assert!(may_be_magic(t));
        assert!(flagged(t));
        // Only where the stream starts.
        assert!(!may_be_magic(&format!("x {t}")));
        // The two letters alone are French or Spanish text, not a stream.
        assert!(!may_be_magic("¬í"));
        assert!(!flagged("¬í 5"));
    }

    #[test]
    fn xml_attributes_wiring_an_execution_class_are_flagged() {
        for t in [
            "<bean factory=\"java.lang.Object\" class=\"ProcessBuilder\"/>",
            "<a t='java.lang.String' c='Runtime'>x</a>",
            "<x><e k = \"Runtime\" v=\"javax.management.Query\"/></x>",
        ] {
            assert!(flagged(t), "{t}");
        }
        for t in [
            // A mapping: property names are lower case.
            "<property name=\"runtime\" type=\"java.lang.Integer\"/>",
            // No JDK type in the document.
            "<dependency scope=\"Runtime\"><groupId>org.example</groupId></dependency>",
            // The word in text, not in an attribute value.
            "<doc type=\"java.lang.String\">Runtime</doc>",
            "<a t=\"java.lang.String\" c=\"RuntimeError\"/>",
        ] {
            assert!(!flagged(t), "{t}");
        }
    }

    #[test]
    fn magics_are_found_anywhere() {
        for t in [
            "rO0ABXNy",
            "x=rO0AB",
            "H4sIAAAAztAA",
            "s7QAFx",
            "aced0005737200",
            "a\u{fffd}b",
        ] {
            assert!(may_be_magic(t), "{t}");
        }
        for t in ["Running shoes", "A7", "r0", "ztA", "0", "zAA", "rO0A"] {
            assert!(!may_be_magic(t), "{t}");
        }
    }
}

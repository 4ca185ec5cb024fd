//! Line protocol command injection: a value that breaks a line and goes on with a command of
//! a protocol that reads one command per line (SMTP, POP3, IMAP, Redis, memcached, FTP, an HTTP
//! request). An application that writes a value into its conversation with such a server (a
//! sender address, a mailbox name, a cache key, a file name, a header) sends the injected line
//! as a command of its own, and so does a server reached through SSRF. Only lines after a line
//! break count, and only in the exact syntax of the protocol: verbs with the argument shapes
//! the protocols define (`MAIL FROM:<...>`, `RETR 12`, `a001 SELECT INBOX`, `CONFIG SET dir
//! /x`, `set k 0 0 1`, `GET /admin HTTP/1.1`), so that lines of prose starting with "list",
//! "help" or "set" pass.

/// Lines looked at per value.
const MAX_LINES: usize = 64;
/// Longest line looked at (protocol command lines are short).
const MAX_LINE: usize = 512;

/// IMAP commands (RFC 3501 and the common extensions), lower case.
const IMAP: &[&str] = &[
    "append",
    "authenticate",
    "capability",
    "check",
    "close",
    "copy",
    "create",
    "delete",
    "examine",
    "expunge",
    "fetch",
    "idle",
    "list",
    "login",
    "logout",
    "lsub",
    "move",
    "rename",
    "search",
    "select",
    "status",
    "store",
    "subscribe",
    "uid",
    "unsubscribe",
];

/// The protocol and the command line injected after a line break, if there is one.
pub(super) fn injected_command(text: &str) -> Option<(&'static str, &str)> {
    let b = text.as_bytes();
    let first_break = memchr::memchr2(b'\n', b'\r', b)?;
    // The pieces of `text[first_break..].split(['\n', '\r'])`, found by memchr (the split
    // tests every character). Line breaks are ASCII: every cut is a char boundary.
    let mut from = first_break;
    for _ in 0..MAX_LINES {
        let to = memchr::memchr2(b'\n', b'\r', &b[from..]).map_or(b.len(), |p| from + p);
        let l = text.get(from..to).unwrap_or("").trim();
        if !l.is_empty() && l.len() <= MAX_LINE {
            if let Some(p) = protocol_of(l) {
                return Some((p, l));
            }
        }
        if to == b.len() {
            break;
        }
        from = to + 1;
    }
    None
}

/// The SMTP and POP3 verbs that [`smtp`] and [`pop3`] accept, lower case.
const VERBS: &[&str] = &[
    "mail", "rcpt", "ehlo", "helo", "data", "quit", "rset", "noop", "turn", "vrfy", "expn", "help",
    "retr", "dele", "list", "uidl", "top", "stat", "apop", "auth", "user", "pass",
];

/// The verbs of [`redis`], [`memcached`], [`ftp`] and [`http_request`], lower case.
const OTHER_VERBS: &[&str] = &[
    "flushall",
    "flushdb",
    "save",
    "bgsave",
    "shutdown",
    "config",
    "slaveof",
    "replicaof",
    "module",
    "eval",
    "evalsha",
    "set",
    "keys",
    "debug",
    "flush_all",
    "add",
    "replace",
    "append",
    "prepend",
    "cas",
    "stor",
    "stou",
    "appe",
    "port",
    "site",
    "get",
    "post",
    "put",
    "head",
    "options",
    "patch",
    "delete",
    "connect",
    "trace",
];

fn protocol_of(line: &str) -> Option<&'static str> {
    // A line of prose or code seldom opens with a verb, or with a tag of letters and digits
    // and an IMAP command: told from its first two words, before the words are collected and
    // lower-cased.
    let mut words = line.split_whitespace();
    let verb = words.next()?;
    let listed = |w: &str, list: &[&str]| list.iter().any(|v| w.eq_ignore_ascii_case(v));
    let tag = || verb.len() <= 10 && verb.bytes().all(|c| c.is_ascii_alphanumeric());
    if !(listed(verb, VERBS)
        || listed(verb, OTHER_VERBS)
        || (tag() && words.next().is_some_and(|c| listed(c, IMAP))))
    {
        return None;
    }
    protocol_of_words(line)
}

/// [`protocol_of`] without its first test.
fn protocol_of_words(line: &str) -> Option<&'static str> {
    let words: Vec<&str> = line.split_whitespace().take(16).collect();
    let verb = *words.first()?;
    let args = &words[1..];
    if smtp(verb, args, line) {
        Some("SMTP")
    } else if pop3(verb, args) {
        Some("POP3")
    } else if imap(verb, args) {
        Some("IMAP")
    } else if redis(verb, args) {
        Some("Redis")
    } else if memcached(verb, args) {
        Some("memcached")
    } else if ftp(verb, args) {
        Some("FTP")
    } else if http_request(verb, args) {
        Some("HTTP")
    } else {
        None
    }
}

fn number(w: &str) -> bool {
    !w.is_empty() && w.len() <= 10 && w.bytes().all(|c| c.is_ascii_digit())
}

/// Redis commands as an attacker sends them to take over the server (write a file, replicate
/// from a rogue master, load a module, run Lua) or wipe it, in upper case as clients and
/// payloads write them: `CONFIG SET dir /var/www`, `SLAVEOF a.tld 6379`, `FLUSHALL`,
/// `SET k v`. "SET THE TABLE" is prose: a key or value holds a lower-case letter, a digit or
/// a quote.
fn redis(verb: &str, args: &[&str]) -> bool {
    if !upper(verb) {
        return false;
    }
    let bare_or = |opts: &[&str]| args.is_empty() || (args.len() == 1 && opts.contains(&args[0]));
    let not_prose = |w: &&str| !upper(w);
    match verb {
        "FLUSHALL" | "FLUSHDB" => bare_or(&["ASYNC", "SYNC"]),
        "SAVE" | "BGSAVE" => args.is_empty(),
        "SHUTDOWN" => bare_or(&["NOSAVE", "SAVE"]),
        "CONFIG" => match args {
            ["SET", _, _, ..] => true,
            ["GET", p] => not_prose(p) || *p == "*",
            _ => false,
        },
        "SLAVEOF" | "REPLICAOF" => {
            matches!(args, ["NO", "ONE"]) || (args.len() == 2 && number(args[1]))
        }
        "MODULE" => args.len() >= 2 && args[0] == "LOAD",
        "EVAL" | "EVALSHA" => args.len() >= 2 && number(args[1]),
        "SET" => args.len() == 2 && args.iter().any(not_prose),
        "KEYS" => args.len() == 1 && args[0].contains('*'),
        "DEBUG" => matches!(args.first(), Some(&("SEGFAULT" | "SLEEP" | "RELOAD"))),
        _ => false,
    }
}

/// memcached's text protocol, lower case as it is defined: a storage command with its flags,
/// expiry and length (`set k 0 0 1`), or `flush_all`.
fn memcached(verb: &str, args: &[&str]) -> bool {
    match verb {
        "flush_all" => args.is_empty() || (args.len() == 1 && number(args[0])),
        "set" | "add" | "replace" | "append" | "prepend" => {
            (4..=5).contains(&args.len()) && args[1..4].iter().all(|a| number(a))
        }
        "cas" => (5..=6).contains(&args.len()) && args[1..5].iter().all(|a| number(a)),
        _ => false,
    }
}

/// FTP commands that write or move files or open a data connection elsewhere: `STOR x.php`,
/// `PORT 10,0,0,1,4,1`, `SITE EXEC ...`.
fn ftp(verb: &str, args: &[&str]) -> bool {
    if !upper(verb) {
        return false;
    }
    match verb {
        "STOR" | "STOU" | "APPE" => args.len() == 1 && args[0].contains('.'),
        "PORT" => {
            args.len() == 1 && {
                let parts: Vec<&str> = args[0].split(',').collect();
                parts.len() == 6 && parts.iter().all(|p| number(p))
            }
        }
        "SITE" => matches!(args.first(), Some(&("EXEC" | "CHMOD" | "CPFR" | "CPTO"))),
        _ => false,
    }
}

/// A request line (`GET /admin HTTP/1.1`): a second request smuggled after the first one's.
fn http_request(verb: &str, args: &[&str]) -> bool {
    upper(verb)
        && args.len() == 2
        && (args[0].starts_with('/') || args[0].starts_with("http") || args[0] == "*")
        && args[1].starts_with("HTTP/1.")
}

fn upper(w: &str) -> bool {
    w.bytes().all(|c| c.is_ascii_uppercase())
}

/// `MAIL FROM:<a@b>`, `RCPT TO:<x>`, `EHLO host`, and the bare verbs in upper case.
fn smtp(verb: &str, args: &[&str], line: &str) -> bool {
    let v = verb.to_ascii_lowercase();
    match v.as_str() {
        "mail" | "rcpt" => {
            let rest = line[verb.len()..].trim_start().to_ascii_lowercase();
            let field = if v == "mail" { "from:" } else { "to:" };
            rest.strip_prefix(field)
                .is_some_and(|r| r.trim_start().starts_with('<'))
        }
        // The argument is a host: a dotted name or an address literal ("HELO everyone" opens
        // a line of a letter as often).
        "ehlo" | "helo" => {
            args.len() == 1
                && (args[0].contains('.') && !args[0].ends_with('.')
                    || args[0].starts_with('[')
                    || args[0].eq_ignore_ascii_case("localhost"))
        }
        "data" | "quit" | "rset" | "noop" | "turn" => upper(verb) && args.is_empty(),
        "vrfy" | "expn" => upper(verb) && args.len() == 1,
        // "HELP wanted": only the bare verb, or help on another verb.
        "help" => {
            upper(verb)
                && (args.is_empty()
                    || args.len() == 1
                        && ["mail", "rcpt", "data", "vrfy", "expn", "ehlo", "helo"]
                            .contains(&args[0].to_ascii_lowercase().as_str()))
        }
        _ => false,
    }
}

/// `RETR 3`, `TOP 1 2`, `list 3`, `APOP name <md5 hex>`, `AUTH mech <base64>`, `USER x`.
fn pop3(verb: &str, args: &[&str]) -> bool {
    let num = |w: &&str| !w.is_empty() && w.len() <= 9 && w.bytes().all(|c| c.is_ascii_digit());
    match verb.to_ascii_lowercase().as_str() {
        "retr" | "dele" | "list" | "uidl" => args.len() == 1 && num(&args[0]),
        "top" => args.len() == 2 && args.iter().all(num),
        "stat" => upper(verb) && args.is_empty(),
        "apop" => {
            args.len() == 2 && args[1].len() == 32 && args[1].bytes().all(|c| c.is_ascii_hexdigit())
        }
        "auth" => {
            upper(verb)
                && (1..=2).contains(&args.len())
                && args.get(1).is_none_or(|t| {
                    t.len() >= 8
                        && t.bytes()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='))
                })
        }
        "user" | "pass" => upper(verb) && args.len() == 1,
        _ => false,
    }
}

/// `tag COMMAND args`: the tag mixes letters and digits (`a001`, `A1`), or the arguments use
/// IMAP's own syntax (a mailbox, flags, a parenthesized list, a literal, a sequence set).
fn imap(tag: &str, args: &[&str]) -> bool {
    let Some(cmd) = args.first() else {
        return false;
    };
    if tag.len() > 10
        || !tag.bytes().all(|c| c.is_ascii_alphanumeric())
        || !IMAP.contains(&cmd.to_ascii_lowercase().as_str())
    {
        return false;
    }
    let letters = tag.bytes().any(|c| c.is_ascii_alphabetic());
    let digits = tag.bytes().any(|c| c.is_ascii_digit());
    let digit_count = tag.bytes().filter(u8::is_ascii_digit).count();
    // "A1 select the first cell" is a spreadsheet instruction: a short tag needs the command in
    // upper case, as clients send it.
    let tagged = letters
        && digits
        && tag.as_bytes()[0].is_ascii_alphabetic()
        && (digit_count >= 2 || upper(cmd));
    let imap_arg = |a: &&str| {
        let l = a.to_ascii_lowercase();
        l.trim_matches('"').starts_with("inbox")
            || a.starts_with('\\')
            || a.starts_with("(\\")
            || l.ends_with("flags")
            || (a.starts_with('{') && a.ends_with('}'))
            || (a.contains(':')
                && a.bytes()
                    .all(|c| c.is_ascii_digit() || matches!(c, b':' | b'*' | b',')))
    };
    tagged || args[1..].iter().any(imap_arg)
}

#[cfg(test)]
mod tests {
    use super::{injected_command, protocol_of, protocol_of_words, IMAP, OTHER_VERBS, VERBS};

    #[test]
    fn lines_are_the_pieces_of_a_split() {
        fn reference(text: &str) -> Option<(&'static str, &str)> {
            let first_break = text.find(['\n', '\r'])?;
            text[first_break..]
                .split(['\n', '\r'])
                .take(super::MAX_LINES)
                .map(str::trim)
                .filter(|l| !l.is_empty() && l.len() <= super::MAX_LINE)
                .find_map(|l| protocol_of(l).map(|p| (p, l)))
        }
        let parts = [
            "\n",
            "\r",
            "\r\n",
            " ",
            "QUIT",
            "RETR 1",
            "a001 select INBOX",
            "é",
            "x",
            "\u{a0}",
        ];
        let mut rng = crate::test_rng::TestRng::new(0x9E37_79B9_7F4A_7C15);
        let mut found = 0;
        for _ in 0..20_000 {
            let t = rng.pieces(&parts, 12);
            let want = reference(&t);
            found += usize::from(want.is_some());
            assert_eq!(injected_command(&t), want, "{t:?}");
        }
        // The 64th piece is read, the 65th is not.
        let late = |n: usize| format!("{}QUIT", "\n".repeat(n));
        assert!(injected_command(&late(63)).is_some() && injected_command(&late(64)).is_none());
        assert!(found > 1000, "{found}");
    }

    #[test]
    fn the_first_test_keeps_every_command() {
        let verbs = || VERBS.iter().chain(IMAP).chain(OTHER_VERBS);
        let mut alphabet: Vec<String> = verbs().map(|w| w.to_string()).collect();
        alphabet.extend(verbs().map(|w| w.to_ascii_uppercase()));
        for w in [
            "a001",
            "A1",
            "x",
            "1",
            "12",
            "INBOX",
            "(\\Seen)",
            "{5}",
            "1:*",
            "FROM:<a@b.c>",
            "to:<x>",
            "a.b",
            "[1.2.3.4]",
            "localhost",
            "PLAIN",
            "dGhpc2lzIWF0ZXN0",
            "the",
            "é",
            "7d0a3bd8e5b2abcfb3e256633c23b891",
            "abcdefghijk1",
            "0",
            "/admin",
            "HTTP/1.1",
            "ONE",
            "LOAD",
            "dir",
            "10,0,0,1,4,1",
            "x.php",
        ] {
            alphabet.push(w.to_string());
        }
        let mut rng = crate::test_rng::TestRng::new(0x9E37_79B9_7F4A_7C15);
        let mut found = 0;
        for _ in 0..50_000 {
            let line = (0..1 + rng.below(4))
                .map(|_| alphabet[rng.below(alphabet.len())].as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let want = protocol_of_words(&line);
            found += usize::from(want.is_some());
            assert_eq!(protocol_of(&line), want, "{line:?}");
        }
        assert!(found > 1000, "{found}");
    }

    #[test]
    fn mail_commands_after_a_line_break() {
        for t in [
            "\r\nMAIL FROM:<a@b.com>",
            "x@y.com\r\nRCPT TO:<postmaster>",
            "\r\nEHLO test.com",
            "\r\nHELO [192.0.2.1]",
            "\r\nHELP\r\nHELP RCPT",
            "\r\nDATA",
            "\nQUIT",
            "\r\nRETR 123",
            "\r\nTOP 1 2",
            "\r\nlist 3",
            "\r\nAPOP user 7d0a3bd8e5b2abcfb3e256633c23b891",
            "\r\nAUTH PLAIN dGhpc2lzIWF0ZXN0",
            "\r\na001 EXAMINE INBOX",
            "\r\nd store 2 +FLAGS (\\Deleted)",
            "\r\nA1 list \"INBOX/\" \"*\"",
            "box\r\na001 authenticate PLAIN",
        ] {
            assert!(injected_command(t).is_some(), "{t:?}");
        }
    }

    #[test]
    fn other_line_protocols_after_a_line_break() {
        for (t, proto) in [
            ("x\r\nCONFIG SET dir /var/www/html\r\n", "Redis"),
            ("x\r\nFLUSHALL\r\n", "Redis"),
            ("x\r\nSLAVEOF a.tld 6379\r\n", "Redis"),
            ("x\r\nSET k v\r\n", "Redis"),
            ("x\r\nMODULE LOAD /tmp/x.so", "Redis"),
            ("x\r\nset k 0 0 1\r\n1\r\n", "memcached"),
            ("x\r\nflush_all\r\n", "memcached"),
            ("x\r\nSTOR shell.php\r\n", "FTP"),
            ("x\r\nPORT 10,0,0,1,4,1", "FTP"),
            (
                "x HTTP/1.1\r\nHost: internal\r\n\r\nGET /admin HTTP/1.1",
                "HTTP",
            ),
        ] {
            assert_eq!(injected_command(t).map(|(p, _)| p), Some(proto), "{t:?}");
        }
    }

    #[test]
    fn prose_lines_pass() {
        for t in [
            "MAIL FROM:<a@b.com>",
            "Shopping\nlist of things to buy",
            "Steps:\n1 select the size\n2 copy the code",
            "Notes\nData is stored for 30 days",
            "Thanks\nQuit smoking today",
            "Menu\nTop 10 dishes",
            "Hi\nhelp me please",
            "line one\nA1 select the first cell",
            "Dear team,\r\nMail from: the office",
            "Meeting notes\nHELO everyone",
            "Jobs board\nHELP wanted",
            "Recipe\r\nSET THE TABLE",
            "Steps\r\nset the oven to 200",
            "Config\r\nconfig set is easy",
            "Notes\r\nSAVE THE DATE",
            "Todo\r\nflush all the pipes",
            "Menu\r\nadd 2 eggs and 1 cup",
            "Links\r\nGET /api/users returns a list",
            "Store\r\nSTOR is an FTP command",
            "Keys\r\nKEYS are in the drawer",
            "Meeting\r\nDEBUG session at 3pm",
        ] {
            assert!(injected_command(t).is_none(), "{t:?}");
        }
    }
}

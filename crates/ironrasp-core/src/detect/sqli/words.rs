//! Which SQL words change the grammar. Deliberately short: any other word is a name
//! (column, table, alias), which is what most words are in payloads (`user`, `password`, ...).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordClass {
    Statement,
    Union,
    Clause,
    Logic,
    WordOp,
    Literal,
    Case,
    Keyword,
    Name,
}

/// For each pair of first two bytes (folded to their low five bits, which ASCII case does not
/// change), bit `n` set when some word of a list has `n` bytes and starts with that pair. One
/// table load rejects most words of prose before any copy or comparison: "the", "booking",
/// "tonight" or "Mozilla" start no grammar word of their length. Bytes other than letters may
/// share a slot with a letter: that only lets a word through to the exact comparison.
pub struct LengthGate([u32; 1024]);

impl LengthGate {
    /// Built at compile time from the very list the lookup matches (see [`word_match`]), so
    /// the gate never rejects a word the lookup knows. Words have 2 to 31 bytes.
    pub const fn new(words: &[&[u8]]) -> Self {
        LengthGate([0u32; 1024]).and(words)
    }

    /// This gate letting the words of `words` through as well: one table load answers for
    /// several lists.
    pub const fn and(self, words: &[&[u8]]) -> Self {
        let mut t = self.0;
        let mut k = 0;
        while k < words.len() {
            let w = words[k];
            assert!(w.len() >= 2 && w.len() < 32);
            t[Self::slot(w[0], w[1])] |= 1u32 << w.len();
            k += 1;
        }
        LengthGate(t)
    }

    const fn slot(a: u8, b: u8) -> usize {
        ((a & 31) as usize) << 5 | (b & 31) as usize
    }

    /// Whether a word of the list could equal `w` ignoring ASCII case.
    pub fn may_hold(&self, w: &[u8]) -> bool {
        match w {
            [a, b, ..] if w.len() < 32 => self.0[Self::slot(*a, *b)] & (1u32 << w.len()) != 0,
            _ => false,
        }
    }
}

/// Defines `$list`, every word of the arms (for a [`LengthGate`]), and `$lookup`, a `match`
/// over the same arms: one list of words, so gate and lookup cannot drift apart.
macro_rules! word_match {
    ($list:ident, fn $lookup:ident -> $ty:ty { $($($word:literal)|+ => $val:expr,)+ _ => $default:expr $(,)? }) => {
        const $list: &[&[u8]] = &[$($($word,)+)+];
        fn $lookup(w: &[u8]) -> $ty {
            match w {
                $($($word)|+ => $val,)+
                _ => $default,
            }
        }
    };
}
pub(super) use word_match;

/// Longest word we look up; anything longer is a name.
const MAX_WORD: usize = 24;

word_match!(GRAMMAR_WORDS, fn grammar_class -> WordClass {
    b"SELECT" | b"INSERT" | b"UPDATE" | b"DELETE" | b"DROP" | b"CREATE" | b"ALTER"
    | b"TRUNCATE" | b"EXEC" | b"EXECUTE" | b"DECLARE" | b"SHUTDOWN" | b"WAITFOR" | b"GRANT"
    | b"REVOKE" | b"MERGE" | b"CALL" | b"HANDLER" | b"LOAD" | b"RENAME" | b"DO" | b"SET"
    | b"USE" | b"PREPARE" | b"REPLACE" | b"BEGIN" | b"COPY" | b"GOTO" => WordClass::Statement,
    b"UNION" | b"INTERSECT" | b"EXCEPT" | b"MINUS" => WordClass::Union,
    b"FROM" | b"WHERE" | b"HAVING" | b"ORDER" | b"GROUP" | b"LIMIT" | b"OFFSET" | b"INTO"
    | b"PROCEDURE" | b"JOIN" | b"ON" | b"USING" | b"VALUES" => WordClass::Clause,
    b"AND" | b"OR" | b"XOR" | b"NOT" => WordClass::Logic,
    b"LIKE" | b"RLIKE" | b"ILIKE" | b"REGEXP" | b"SIMILAR" | b"SOUNDS" | b"IS" | b"IN"
    | b"BETWEEN" | b"DIV" | b"MOD" | b"GLOB" | b"ESCAPE" | b"COLLATE" => WordClass::WordOp,
    b"NULL" | b"TRUE" | b"FALSE" | b"UNKNOWN" | b"CURRENT_USER" | b"CURRENT_DATE"
    | b"CURRENT_TIME" | b"CURRENT_TIMESTAMP" | b"SYSTEM_USER" | b"SESSION_USER"
    | b"LOCALTIME" | b"SYSDATE" => WordClass::Literal,
    b"CASE" | b"WHEN" | b"THEN" | b"ELSE" | b"END" => WordClass::Case,
    b"AS" | b"ALL" | b"DISTINCT" | b"DISTINCTROW" | b"BY" | b"ASC" | b"DESC" | b"TABLE" | b"DATABASE"
    | b"SCHEMA" | b"VIEW" | b"INDEX" | b"TOP" | b"BINARY" | b"INTERVAL" | b"EXISTS"
    | b"DELAY" | b"TIME" | b"OUTFILE" | b"DUMPFILE" | b"LEFT" | b"RIGHT" | b"INNER"
    | b"OUTER" | b"CROSS" | b"NATURAL" | b"FULL" | b"IF" | b"WITH" | b"NOWAIT" | b"FOR"
    | b"CHAR" | b"CAST" | b"CONVERT" | b"TRIGGER" | b"FUNCTION" | b"USER" | b"LOGIN" => {
        WordClass::Keyword
    },
    _ => WordClass::Name,
});

static GRAMMAR_GATE: LengthGate = LengthGate::new(GRAMMAR_WORDS);

pub fn classify_word(w: &str) -> WordClass {
    let b = w.as_bytes();
    // Most names fail the gate (no grammar word shares their length and first two letters)
    // and skip the copy and the comparisons.
    if !GRAMMAR_GATE.may_hold(b) {
        return WordClass::Name;
    }
    let mut buf = [0u8; MAX_WORD];
    let Some(up) = buf.get_mut(..b.len()) else {
        return WordClass::Name;
    };
    for (d, s) in up.iter_mut().zip(b) {
        *d = s.to_ascii_uppercase();
    }
    grammar_class(up)
}

/// Calls that only make sense in an attack's tail: they sleep, raise errors that leak data,
/// or reach outside the database.
pub fn is_attack_function(name: &str) -> bool {
    const NAMES: [&str; 24] = [
        "sleep",
        "lo_get",
        "lo_export",
        "pg_ls_dir",
        "pg_read_binary_file",
        "benchmark",
        "pg_sleep",
        "extractvalue",
        "updatexml",
        "receive_message",
        "get_host_address",
        "get_host_name",
        "xp_cmdshell",
        "xp_dirtree",
        "load_file",
        "name_const",
        "gtid_subset",
        "randomblob",
        "sys_eval",
        "sys_exec",
        "dbms_xmlgen",
        "drithsx",
        "pg_read_file",
        "lo_import",
    ];
    NAMES.iter().any(|n| name.eq_ignore_ascii_case(n))
}

/// Calls that read the database's identity: harmless in themselves, but a value that breaks
/// out of a literal to call them is probing.
pub fn is_probe_function(name: &str) -> bool {
    const NAMES: [&str; 15] = [
        "version",
        "current_setting",
        "database",
        "user",
        "current_user",
        "system_user",
        "db_name",
        "user_name",
        "schema",
        "host_name",
        "suser_name",
        "@@version",
        "connection_id",
        "last_insert_id",
        "row_count",
    ];
    NAMES.iter().any(|n| name.eq_ignore_ascii_case(n))
}

/// Oracle packages whose members reach the network or the file system, or wait.
pub fn is_attack_package(name: &str) -> bool {
    const NAMES: [&str; 6] = [
        "utl_http",
        "utl_inaddr",
        "utl_file",
        "utl_tcp",
        "dbms_lock",
        "dbms_pipe",
    ];
    NAMES.iter().any(|n| name.eq_ignore_ascii_case(n))
}

/// Schemas and tables that describe the database itself, the map an attacker reads first.
pub const CATALOGS: [&[u8]; 20] = [
    b"information_schema",
    b"pg_catalog",
    b"pg_shadow",
    b"pg_user",
    b"pg_tables",
    b"sqlite_master",
    b"sqlite_schema",
    b"sysibm",
    b"syscat",
    b"sysobjects",
    b"syscolumns",
    b"sysdatabases",
    b"sysusers",
    b"all_tables",
    b"all_tab_columns",
    b"all_tab_tables",
    b"all_users",
    b"dba_users",
    b"user_tables",
    b"user_tab_columns",
];

static CATALOG_GATE: LengthGate = LengthGate::new(&CATALOGS);

/// Whether `name`, without the quotes or brackets around it, is one of [`CATALOGS`].
pub fn is_catalog(name: &str) -> bool {
    // Quotes and brackets trimmed from both ends, by bytes (all four are ASCII): a `char`
    // pattern costs more than the comparisons on the words of every value.
    let b = name.as_bytes();
    let quoting = |c: &u8| matches!(c, b'`' | b'"' | b'[' | b']');
    let start = b.iter().position(|c| !quoting(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !quoting(c)).map_or(start, |p| p + 1);
    is_catalog_name(&b[start..end])
}

/// Whether `name`, as it is, is one of [`CATALOGS`] (ASCII case aside).
pub fn is_catalog_name(name: &[u8]) -> bool {
    // Most words (every word of prose) are decided by the gate without a comparison.
    CATALOG_GATE.may_hold(name) && CATALOGS.iter().any(|n| name.eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_insensitive_and_bounded() {
        assert_eq!(classify_word("sElEcT"), WordClass::Statement);
        assert_eq!(classify_word("Union"), WordClass::Union);
        assert_eq!(classify_word("password"), WordClass::Name);
        assert_eq!(classify_word(&"a".repeat(100)), WordClass::Name);
        assert_eq!(classify_word("sélect"), WordClass::Name);
        assert!(is_attack_function("PG_SLEEP"));
        assert!(!is_attack_function("count"));
        assert!(is_probe_function("Version"));
        assert!(is_attack_package("UTL_HTTP"));
        assert!(is_catalog("`information_schema`"));
        assert!(!is_catalog("users"));
    }

    #[test]
    fn gates_let_every_listed_word_through() {
        for w in GRAMMAR_WORDS {
            let w = std::str::from_utf8(w).unwrap();
            assert_ne!(classify_word(w), WordClass::Name, "{w}");
            assert_ne!(
                classify_word(&w.to_ascii_lowercase()),
                WordClass::Name,
                "{w}"
            );
        }
        for w in CATALOGS {
            let w = std::str::from_utf8(w).unwrap();
            assert!(is_catalog(&w.to_ascii_uppercase()), "{w}");
        }
        // Words of a listed length and first letter that are not listed stay names.
        assert_eq!(classify_word("Dram"), WordClass::Name);
        assert_eq!(classify_word("tonight"), WordClass::Name);
    }
}

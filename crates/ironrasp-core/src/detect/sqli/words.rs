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

/// Longest word we look up; anything longer is a name.
const MAX_WORD: usize = 24;

pub fn classify_word(w: &str) -> WordClass {
    let b = w.as_bytes();
    // Every word below has 2 to 17 bytes: most names are decided by their length alone.
    if !(2..=17).contains(&b.len()) {
        return WordClass::Name;
    }
    let mut buf = [0u8; MAX_WORD];
    for (d, s) in buf.iter_mut().zip(b) {
        *d = s.to_ascii_uppercase();
    }
    let up = &buf[..b.len()];
    use WordClass::*;
    match up {
        b"SELECT" | b"INSERT" | b"UPDATE" | b"DELETE" | b"DROP" | b"CREATE" | b"ALTER"
        | b"TRUNCATE" | b"EXEC" | b"EXECUTE" | b"DECLARE" | b"SHUTDOWN" | b"WAITFOR" | b"GRANT"
        | b"REVOKE" | b"MERGE" | b"CALL" | b"HANDLER" | b"LOAD" | b"RENAME" | b"DO" | b"SET"
        | b"USE" | b"PREPARE" | b"REPLACE" | b"BEGIN" | b"COPY" | b"GOTO" => Statement,
        b"UNION" | b"INTERSECT" | b"EXCEPT" | b"MINUS" => Union,
        b"FROM" | b"WHERE" | b"HAVING" | b"ORDER" | b"GROUP" | b"LIMIT" | b"OFFSET" | b"INTO"
        | b"PROCEDURE" | b"JOIN" | b"ON" | b"USING" | b"VALUES" => Clause,
        b"AND" | b"OR" | b"XOR" | b"NOT" => Logic,
        b"LIKE" | b"RLIKE" | b"ILIKE" | b"REGEXP" | b"SIMILAR" | b"SOUNDS" | b"IS" | b"IN"
        | b"BETWEEN" | b"DIV" | b"MOD" | b"GLOB" | b"ESCAPE" | b"COLLATE" => WordOp,
        b"NULL" | b"TRUE" | b"FALSE" | b"UNKNOWN" | b"CURRENT_USER" | b"CURRENT_DATE"
        | b"CURRENT_TIME" | b"CURRENT_TIMESTAMP" | b"SYSTEM_USER" | b"SESSION_USER"
        | b"LOCALTIME" | b"SYSDATE" => Literal,
        b"CASE" | b"WHEN" | b"THEN" | b"ELSE" | b"END" => Case,
        b"AS" | b"ALL" | b"DISTINCT" | b"BY" | b"ASC" | b"DESC" | b"TABLE" | b"DATABASE"
        | b"SCHEMA" | b"VIEW" | b"INDEX" | b"TOP" | b"BINARY" | b"INTERVAL" | b"EXISTS"
        | b"DELAY" | b"TIME" | b"OUTFILE" | b"DUMPFILE" | b"LEFT" | b"RIGHT" | b"INNER"
        | b"OUTER" | b"CROSS" | b"NATURAL" | b"FULL" | b"IF" | b"WITH" | b"NOWAIT" | b"FOR"
        | b"CHAR" | b"CAST" | b"CONVERT" | b"TRIGGER" | b"FUNCTION" | b"USER" | b"LOGIN" => Keyword,
        _ => Name,
    }
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
pub fn is_catalog(name: &str) -> bool {
    const NAMES: [&str; 20] = [
        "information_schema",
        "pg_catalog",
        "pg_shadow",
        "pg_user",
        "pg_tables",
        "sqlite_master",
        "sqlite_schema",
        "sysibm",
        "syscat",
        "sysobjects",
        "syscolumns",
        "sysdatabases",
        "sysusers",
        "all_tables",
        "all_tab_columns",
        "all_tab_tables",
        "all_users",
        "dba_users",
        "user_tables",
        "user_tab_columns",
    ];
    // Quotes and brackets trimmed from both ends, by bytes (all four are ASCII): a `char`
    // pattern costs more than the comparisons on the words of every value.
    let b = name.as_bytes();
    let quoting = |c: &u8| matches!(c, b'`' | b'"' | b'[' | b']');
    let start = b.iter().position(|c| !quoting(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !quoting(c)).map_or(start, |p| p + 1);
    let name = &b[start..end];
    // Every name above has 6 to 18 bytes, and equal strings have equal lengths: most words
    // (every word of prose) are decided here without a comparison.
    (6..=18).contains(&name.len())
        && NAMES
            .iter()
            .any(|n| name.eq_ignore_ascii_case(n.as_bytes()))
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
}

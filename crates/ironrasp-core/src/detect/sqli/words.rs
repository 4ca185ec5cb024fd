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
    if b.len() > MAX_WORD || b.is_empty() {
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
        | b"USE" | b"PREPARE" | b"REPLACE" | b"BEGIN" | b"COPY" => Statement,
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
    const NAMES: [&str; 20] = [
        "sleep",
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
    const NAMES: [&str; 14] = [
        "version",
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
    }
}

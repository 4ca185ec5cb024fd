//! Unsafe upload names: a client names the file it uploads (a multipart part's `filename=`, an
//! `X-Filename` / `X-File-Name` / `X-Upload-Filename` header, a request `Content-Disposition`),
//! and many applications keep that name when they store the file. The name is dangerous when
//! the web server in front of the upload directory would run the file, or when the file
//! reconfigures that server:
//!
//! - server-side script extensions a stock server executes: PHP (`.php`, `.php5`, `.phtml`,
//!   `.phar`...), ASP / ASP.NET (`.asp`, `.aspx`, `.asa`, `.ashx`, `.cshtml`...), JSP, ColdFusion,
//!   CGI and server-side includes (`.shtml`). Scripts a server does not run by itself are
//!   ordinary uploads (`.py`, `.pl`, `.rb`, `.sh` to a code-sharing or homework app), and so are
//!   certificates (`.cer`, which only IIS 6 ever mapped to ASP);
//! - Apache's multiple-extension rule (`AddHandler` runs `a.php.jpg` as PHP): a PHP extension
//!   right before the last one. Only that position: dotted titles like "Learning.PHP.and.MySQL.pdf"
//!   pass;
//! - what servers and file systems drop from a name: trailing dots and spaces (Windows writes
//!   `a.php...` as `a.php`), spaces around an extension (`photo. php`, which apps that tidy
//!   names store as `photo.php`), case, and the tail after a NUL, after `;` (IIS: `a.asp;.jpg`)
//!   or after `:` (an NTFS stream: `a.asp::$DATA`);
//! - server configuration: `.htaccess`, `.htpasswd`, `.user.ini`, `php.ini`, `web.config`;
//! - a PHP session file name (`sess_` and an id in PHP's session-id alphabet): written into the
//!   session directory it forges a session that a file inclusion then runs.
//!
//! Names are judged by their last path component (`uploads/../a.php`, `C:\fakepath\a.php`).
//! Nothing here decodes: the engine hands this check every decoded view of the name.

use crate::check::Check;
use crate::extract::Location;
use crate::finding::Finding;

/// How a value names an uploaded file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadField {
    /// The value is a file name (multipart `filename`, `X-Filename` and the like).
    Name,
    /// The value is a `Content-Disposition` header: its `filename` parameters are the names.
    Disposition,
}

/// Header names (compared on letters and digits only, so `X-Filename`, `X_Filename`,
/// `X.Filename` and `X-File-Name` are one) that carry the name of the uploaded body.
const NAME_HEADERS: [&[u8]; 3] = [b"xfilename", b"xuploadfilename", b"xuploadfile"];

/// Whether a value at `location` names an uploaded file. Every other location is one match.
pub fn upload_field(location: &Location<'_>) -> Option<UploadField> {
    match location {
        Location::MultipartFilename(_) => Some(UploadField::Name),
        Location::Header(name) => header_field(name),
        _ => None,
    }
}

fn header_field(name: &str) -> Option<UploadField> {
    // Every request carries headers: most are refused on their first byte.
    match name.as_bytes().first() {
        Some(b'c' | b'C') if name.eq_ignore_ascii_case("content-disposition") => {
            return Some(UploadField::Disposition)
        }
        Some(b'x' | b'X') => {}
        _ => return None,
    }
    // Longest listed name, and a little room for separators.
    if name.len() > 24 {
        return None;
    }
    let mut squeezed = [0u8; 24];
    let mut n = 0;
    for b in name.bytes().filter(u8::is_ascii_alphanumeric) {
        squeezed[n] = b.to_ascii_lowercase();
        n += 1;
    }
    NAME_HEADERS
        .contains(&&squeezed[..n])
        .then_some(UploadField::Name)
}

/// Inspects a value that [`upload_field`] said names an upload.
pub fn inspect_field(field: UploadField, text: &str) -> Option<Finding> {
    match field {
        UploadField::Name => inspect(text),
        UploadField::Disposition => inspect_disposition(text),
    }
}

/// `filename` parameters read from one `Content-Disposition` value.
const MAX_DISPOSITION_NAMES: usize = 4;

/// Inspects the `filename` / `filename*` parameters of a `Content-Disposition` value.
pub fn inspect_disposition(header: &str) -> Option<Finding> {
    disposition_names(header).into_iter().find_map(inspect)
}

/// The `filename` and `filename*` values (quotes removed; `charset'lang'` removed from the
/// extended form, whose percent-encoding the engine's decoded views undo).
fn disposition_names(header: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = header;
    while names.len() < MAX_DISPOSITION_NAMES {
        let Some((param, after)) = next_param(rest) else {
            break;
        };
        rest = after;
        let Some((key, value)) = param.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if key.eq_ignore_ascii_case("filename") {
            names.push(value.trim().trim_matches('"'));
        } else if key.eq_ignore_ascii_case("filename*") {
            let v = value.trim().trim_matches('"');
            names.push(v.rsplit_once('\'').map_or(v, |(_, name)| name));
        }
    }
    names
}

/// Splits off the next `;`-separated parameter, keeping `;` inside double quotes (a quoted
/// `a.asp;.jpg` is one name). `None` at the end.
fn next_param(s: &str) -> Option<(&str, &str)> {
    if s.is_empty() {
        return None;
    }
    let mut quoted = false;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b';' if !quoted => return Some((&s[..i], &s[i + 1..])),
            _ => {}
        }
    }
    Some((s, ""))
}

/// Inspects one uploaded file name.
pub fn inspect(name: &str) -> Option<Finding> {
    // The name as given, and as the server may cut it: at a NUL, at `;` (IIS), at `:` (an NTFS
    // stream name). A cut can also hide an extension (`x;.php`), so the whole name is judged too.
    let cuts = [
        Some(name),
        cut_at(name, '\0'),
        cut_at(name, ';'),
        cut_at(leaf(name), ':'),
    ];
    cuts.into_iter().flatten().find_map(judge)
}

fn cut_at(name: &str, c: char) -> Option<&str> {
    name.find(c).map(|i| &name[..i])
}

/// The last path component, without the trailing dots, spaces and separators that file systems
/// and servers drop.
fn leaf(name: &str) -> &str {
    let trimmed =
        name.trim_end_matches(|c: char| c == '.' || c == '/' || c == '\\' || c.is_whitespace());
    match trimmed.rfind(['/', '\\']) {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

fn judge(name: &str) -> Option<Finding> {
    let leaf = leaf(name);
    let bare = leaf.trim();
    if let Some(cfg) = SERVER_CONFIG.iter().find(|c| bare.eq_ignore_ascii_case(c)) {
        return Some(Finding::new(
            Check::UnsafeUpload,
            0.9,
            format!("upload named '{cfg}' rewrites the web server's configuration"),
        ));
    }
    if is_session_file(bare) {
        return Some(Finding::new(
            Check::UnsafeUpload,
            0.8,
            "upload named like a PHP session file (sess_<id>)",
        ));
    }
    // Extensions, each without the spaces around it ("photo. php").
    let mut parts = leaf.rsplit('.').map(str::trim);
    let last = parts.next()?;
    let before = parts.next()?;
    if let Some(kind) = server_runs(last) {
        return Some(Finding::new(
            Check::UnsafeUpload,
            0.95,
            format!("upload named with the {kind} extension '.{last}'"),
        ));
    }
    // `before` is the stem when there is only one dot: that is "php-manual", not ".php".
    let inner_is_extension = parts.next().is_some();
    if inner_is_extension && is_php(before) && !is_php_source_only(before) {
        return Some(Finding::new(
            Check::UnsafeUpload,
            0.8,
            format!("upload named '.{before}.{last}': Apache runs the inner PHP extension"),
        ));
    }
    None
}

/// Files that configure the web server or PHP for their directory (or, for `.htpasswd`, who
/// may log in to it).
const SERVER_CONFIG: [&str; 5] = [
    ".htaccess",
    ".htpasswd",
    ".user.ini",
    "php.ini",
    "web.config",
];

/// Extensions a stock server hands to an interpreter, by kind (besides PHP's).
const SCRIPT_EXTENSIONS: [(&str, &str); 18] = [
    ("asp", "ASP"),
    ("aspx", "ASP.NET"),
    ("asa", "ASP"),
    ("asax", "ASP.NET"),
    ("ascx", "ASP.NET"),
    ("ashx", "ASP.NET"),
    ("asmx", "ASP.NET"),
    ("cshtml", "ASP.NET"),
    ("vbhtml", "ASP.NET"),
    ("jsp", "JSP"),
    ("jspx", "JSP"),
    ("cfm", "ColdFusion"),
    ("cfml", "ColdFusion"),
    ("cfc", "ColdFusion"),
    ("cgi", "CGI"),
    ("shtml", "server-side include"),
    ("shtm", "server-side include"),
    ("stm", "server-side include"),
];

/// The kind of script a server runs for extension `ext`, if any.
fn server_runs(ext: &str) -> Option<&'static str> {
    if is_php(ext) {
        return Some("PHP");
    }
    SCRIPT_EXTENSIONS
        .iter()
        .find(|(e, _)| ext.eq_ignore_ascii_case(e))
        .map(|(_, kind)| *kind)
}

/// PHP's extensions: `php` with an optional version number (`php5`, `php7`: distribution
/// configurations map several), `phtml`, `pht`, `phar`, and the source-listing `phps` / test
/// `phpt` (served through PHP's handler on many setups).
fn is_php(ext: &str) -> bool {
    let b = ext.as_bytes();
    let php = b.len() >= 3
        && b[..3].eq_ignore_ascii_case(b"php")
        && b[3..].iter().all(u8::is_ascii_digit);
    php || ["phtml", "pht", "phar", "phps", "phpt"]
        .iter()
        .any(|e| ext.eq_ignore_ascii_case(e))
}

/// PHP extensions that highlight or test source rather than run it: dangerous as the last
/// extension (CGI setups run them), not worth a finding when inner.
fn is_php_source_only(ext: &str) -> bool {
    ext.eq_ignore_ascii_case("phps") || ext.eq_ignore_ascii_case("phpt")
}

/// `sess_` and an id in PHP's session-id alphabet (`[0-9a-zA-Z,-]`, session.sid_bits_per_character
/// 4 to 6) of at most PHP's 256 characters. At least 16 characters with a digit: shorter or
/// all-letter tails are words ("sess_notes"), not generated ids.
fn is_session_file(name: &str) -> bool {
    let b = name.as_bytes();
    if b.len() < 5 || !b[..5].eq_ignore_ascii_case(b"sess_") {
        return false;
    }
    let id = &b[5..];
    (16..=256).contains(&id.len())
        && id
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b',' | b'-'))
        && id.iter().any(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn flagged(name: &str) -> bool {
        inspect(name).is_some_and(|f| f.check == Check::UnsafeUpload && f.score >= 0.5)
    }

    #[test]
    fn server_run_extensions_are_refused() {
        for n in [
            "a.php",
            "A.PhP",
            "shell.php5",
            "x.php7",
            "x.php907",
            "x.phtml",
            "x.phar",
            "x.pht",
            "x.phps",
            "x.phpt",
            ".php",
            "x.asp",
            "x.aspx",
            "x.ashx",
            "x.asa",
            "x.cshtml",
            "x.jsp",
            "x.jspx",
            "x.cfm",
            "x.cgi",
            "x.shtml",
        ] {
            assert!(flagged(n), "{n}");
        }
    }

    #[test]
    fn what_servers_drop_does_not_hide_the_extension() {
        for n in [
            "a.php..",
            "shell.phtml....",
            "fda.php5...",
            "a.php.",
            "photo.php ",
            "photo.php  ",
            "photo. php",
            "dangerous. phtml",
            "dir/sub/x.php.............",
            "C:\\fakepath\\x.aspx",
            "../../var/www/x.php",
            "a.php\0.jpg",
            "a.asp;.jpg",
            "x;.php",
            "a.asp::$DATA",
            "a.php/",
        ] {
            assert!(flagged(n), "{n:?}");
        }
    }

    #[test]
    fn an_inner_php_extension_is_refused() {
        for n in [
            "test.php.jpg",
            "test.php7.gif",
            "test.phar.png",
            "test. php.jpg",
            "test.phar .png",
            "test. php5.gif",
            "index.PHP.bak",
        ] {
            assert!(flagged(n), "{n}");
        }
    }

    #[test]
    fn server_configuration_and_session_files_are_refused() {
        for n in [
            ".htaccess",
            ".HTACCESS",
            "uploads/.htaccess",
            ".htaccess.",
            ".user.ini",
            "web.config",
            "php.ini",
            ".htpasswd",
            "sess_d8ew88tqmabdcokhumchy8htqm",
            "/tmp/sess_abc123def456ghi789jkl",
            "C:\\temp\\sess_malicious12345678901",
            "SESS_abc123def456ghi789jkl",
            "sess_abc123,def456,ghi789jkl",
            "sess_abc-123-def-456-ghij",
        ] {
            assert!(flagged(n), "{n}");
        }
    }

    #[test]
    fn ordinary_uploads_pass() {
        for n in [
            "photo.jpg",
            "report.pdf",
            "my.phone.numbers.csv",
            "archive.tar.gz",
            "php-manual.pdf",
            "phpinfo notes.txt",
            "safe.phpinfo",
            "x.phtml987",
            "fthi/sfewfda.phtml987...",
            "Learning.PHP.and.MySQL.pdf",
            "php",
            "php.pdf",
            "site.cer",
            "script.py",
            "backup.pl",
            "run.sh",
            "my_sess_data.txt",
            "session_report.txt",
            "sess_short",
            "sess_quarterlyreviewnotes",
            "mydata.sess",
            "htaccess.txt",
            "web.config.example.txt",
            "notes;v2.txt",
            "C:\\fakepath\\IMG_0001.JPG",
            "",
            ".",
            "...",
            "a.",
            "résumé.docx",
            "ファイル.png",
        ] {
            assert!(!flagged(n), "{n}");
        }
    }

    #[test]
    fn content_disposition_names_are_read() {
        for h in [
            "attachment; filename=\"a.php\"",
            "form-data; name=\"f\"; filename=shell.phtml",
            "attachment; filename=\"a.asp;.jpg\"",
            "attachment; FILENAME*=UTF-8''x.php",
            "inline; filename=\"ok.txt\"; filename*=UTF-8''x.php",
        ] {
            assert!(inspect_disposition(h).is_some(), "{h}");
        }
        for h in [
            "attachment; filename=\"report.pdf\"",
            "attachment",
            "inline; name=\"a.php\"",
            "",
            "\"unterminated; filename=a.jpg",
        ] {
            assert!(inspect_disposition(h).is_none(), "{h}");
        }
    }

    #[test]
    fn only_upload_name_locations_are_fields() {
        let h = |n: &'static str| Location::Header(Cow::Borrowed(n));
        assert_eq!(
            upload_field(&Location::MultipartFilename("f".into())),
            Some(UploadField::Name)
        );
        for n in [
            "x-filename",
            "x-file-name",
            "x.filename",
            "x-upload-filename",
        ] {
            assert_eq!(upload_field(&h(n)), Some(UploadField::Name), "{n}");
        }
        assert_eq!(
            upload_field(&h("content-disposition")),
            Some(UploadField::Disposition)
        );
        for l in [
            h("user-agent"),
            h("x-filenames-are-long-and-this-one-is-longer"),
            h("filename"),
            Location::QueryValue("filename".into()),
            Location::MultipartValue("filename".into()),
            Location::File("f".into()),
            Location::FormValue("x-filename".into()),
        ] {
            assert_eq!(upload_field(&l), None, "{l}");
        }
    }

    #[test]
    fn hostile_names_do_not_panic() {
        let long = "a.".repeat(50_000) + "php";
        assert!(flagged(&long));
        for n in [
            "\0",
            ";",
            ":",
            "é.",
            ".é",
            "sess_",
            "x.\u{3000}php",
            "\u{feff}.php",
        ] {
            let _ = inspect(n);
            let _ = inspect_disposition(n);
        }
    }
}

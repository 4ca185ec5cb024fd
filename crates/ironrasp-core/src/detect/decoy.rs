//! Decoys: paths that scanners probe and no real application serves. A request for one is a
//! scanner at work. The application's own routes always win (see [`crate::routes`]).

use crate::check::Check;
use crate::finding::Finding;

/// Hidden entries (`.env`, `.git`, `.aws`, `.claude`, ...) are a decoy wherever they appear in
/// the path: an application never serves its dot-files, and scanners sweep for every new tool
/// that keeps secrets in one. Only the published well-known locations are served (RFC 8615);
/// an application that routes another hidden path keeps it, since its routes always win.
const SERVED_DOT_SEGMENTS: &[&str] = &[".well-known"];

/// A hidden file or directory name: a dot, then a name (not `.` or `..`, which normalization
/// and the traversal checks handle).
fn is_hidden_entry(seg: &str) -> bool {
    let b = seg.as_bytes();
    b.len() >= 2 && b[0] == b'.' && b[1] != b'.' && !SERVED_DOT_SEGMENTS.contains(&seg)
}

/// Path prefixes (compared segment-wise, case-insensitively).
const PREFIXES: &[&str] = &[
    "/wp-admin",
    "/wp-login.php",
    "/wp-content",
    "/wp-includes",
    "/wp-config.php",
    "/xmlrpc.php",
    "/phpmyadmin",
    "/pma",
    "/myadmin",
    "/phpinfo.php",
    "/server-status",
    "/server-info",
    "/actuator",
    "/cgi-bin",
    "/boaform",
    "/hnap1",
    "/solr/admin",
    "/vendor/phpunit",
    "/config.php",
    "/web.config",
    "/administrator/index.php",
    "/manager/html",
    "/jmx-console",
    "/owa/auth",
    "/autodiscover/autodiscover.xml",
    "/ecp/",
    "/_profiler",
    "/telescope/requests",
    "/debug/default/view",
    "/elmah.axd",
    "/trace.axd",
    "/shell.php",
    "/cmd.php",
    "/eval-stdin.php",
    "/sftp-config.json",
    "/containers/json",
    "/.well-known/../",
];

/// Compiled decoy list.
#[derive(Clone, Debug)]
pub struct Decoys {
    prefixes: Vec<String>,
}

impl Decoys {
    /// The built-in list plus `extra` prefixes from configuration.
    pub fn new(extra: &[String]) -> Self {
        let mut prefixes: Vec<String> = PREFIXES.iter().map(|s| s.to_string()).collect();
        prefixes.extend(extra.iter().map(|s| normalize(s)));
        Decoys { prefixes }
    }

    /// Is `path` a decoy? (Route matching is the caller's job.)
    pub fn inspect(&self, path: &str) -> Option<Finding> {
        let p = normalize(path);
        for seg in p.split('/') {
            if is_hidden_entry(seg) {
                return Some(Finding::new(
                    Check::Decoy,
                    1.0,
                    format!("scanner path to the hidden entry '{seg}'"),
                ));
            }
        }
        for pre in &self.prefixes {
            let pre = pre.trim_end_matches('/');
            if p == pre || (p.starts_with(pre) && p.as_bytes().get(pre.len()) == Some(&b'/')) {
                return Some(Finding::new(
                    Check::Decoy,
                    1.0,
                    format!("scanner path '{pre}'"),
                ));
            }
        }
        None
    }
}

/// Lower-case, percent-decoded once, `//` and `/./` collapsed.
fn normalize(path: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .to_ascii_lowercase();
    let mut out = String::with_capacity(decoded.len() + 1);
    for seg in decoded.split('/') {
        if seg.is_empty() || seg == "." {
            continue;
        }
        out.push('/');
        out.push_str(seg);
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanner_paths_are_decoys() {
        let d = Decoys::new(&["/old-admin".into()]);
        for p in [
            "/.env",
            "/app/.git/config",
            "/.aws/credentials",
            "/wp-admin/",
            "/WP-LOGIN.PHP",
            "/xmlrpc.php",
            "/phpmyadmin/index.php",
            "/.DS_Store",
            "/server-status",
            "/actuator/env",
            "/cgi-bin/test.cgi",
            "//.env",
            "/%2eenv",
            "/old-admin/x",
            "/.claude/settings.json",
            "/app/.cursor/mcp.json",
            "/.n8n/config",
            "/static/.gitkeep",
        ] {
            assert!(d.inspect(p).is_some(), "{p}");
        }
    }

    #[test]
    fn ordinary_paths_are_not() {
        let d = Decoys::new(&[]);
        for p in [
            "/",
            "/login",
            "/admin",
            "/api/users",
            "/wp-admin-guide",
            "/.well-known/security.txt",
            "/.well-known/acme-challenge/x1",
            "/blog/..",
            "/static/app.js",
            "/files/report.v2.pdf",
            "/environment",
        ] {
            assert!(d.inspect(p).is_none(), "{p}");
        }
    }
}

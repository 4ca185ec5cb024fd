//! Host header spoofing: a Host outside `allowed_hosts` is refused (cache poisoning, password
//! reset poisoning, virtual-host routing abuse). No list configured: the check is off.

use crate::check::Check;
use crate::finding::Finding;

/// Compiled allowed-host patterns: "example.com" exact, ".example.com" the domain and its
/// subdomains, "*.example.com" subdomains only, "*" anything.
#[derive(Clone, Debug, Default)]
pub struct AllowedHosts {
    patterns: Vec<String>,
}

impl AllowedHosts {
    pub fn new(list: &[String]) -> Self {
        AllowedHosts {
            patterns: list
                .iter()
                .map(|s| strip_port(s.trim()).to_ascii_lowercase())
                .collect(),
        }
    }

    pub fn is_configured(&self) -> bool {
        !self.patterns.is_empty()
    }

    /// Checks the Host header value (None when absent).
    pub fn inspect(&self, host: Option<&str>) -> Option<Finding> {
        if self.patterns.is_empty() {
            return None;
        }
        let Some(raw) = host else {
            return Some(Finding::new(Check::Spoofing, 1.0, "no Host header"));
        };
        let h = strip_port(raw.trim()).to_ascii_lowercase();
        let h = h.trim_end_matches('.');
        let ok = self.patterns.iter().any(|p| {
            if p == "*" {
                true
            } else if let Some(dom) = p.strip_prefix("*.") {
                h.len() > dom.len()
                    && h.ends_with(dom)
                    && h.as_bytes()[h.len() - dom.len() - 1] == b'.'
            } else if let Some(dom) = p.strip_prefix('.') {
                h == dom
                    || (h.ends_with(dom)
                        && h.len() > dom.len()
                        && h.as_bytes()[h.len() - dom.len() - 1] == b'.')
            } else {
                h == p
            }
        });
        if ok {
            None
        } else {
            let shown: String = raw.chars().take(80).collect();
            Some(Finding::new(
                Check::Spoofing,
                1.0,
                format!("Host '{shown}' is not an allowed host"),
            ))
        }
    }
}

fn strip_port(h: &str) -> &str {
    if let Some(rest) = h.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match h.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            host
        }
        _ => h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        let a = AllowedHosts::new(&[
            "example.com".into(),
            ".corp.io".into(),
            "*.apps.net".into(),
            "[::1]".into(),
        ]);
        for ok in [
            "example.com",
            "EXAMPLE.com:8080",
            "corp.io",
            "a.corp.io",
            "x.apps.net",
            "[::1]:80",
            "example.com.",
        ] {
            assert!(a.inspect(Some(ok)).is_none(), "{ok}");
        }
        for bad in [
            "evil.com",
            "example.com.evil.com",
            "apps.net",
            "xcorp.io",
            "notexample.com",
            "",
        ] {
            assert!(a.inspect(Some(bad)).is_some(), "{bad}");
        }
        assert!(a.inspect(None).is_some());
        assert!(AllowedHosts::new(&[]).inspect(Some("evil.com")).is_none());
    }
}

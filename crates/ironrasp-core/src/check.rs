//! Every kind of event IronRASP reports, with its stable slug, MITRE ATT&CK technique and
//! IronRASP code. Slugs and codes are part of the log format: never renumber.

use serde::{Deserialize, Serialize};

/// One check (or event type). The slug is the configuration section name and the `type` field
/// of every event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    Blacklist,
    Decoy,
    Spoofing,
    Flood,
    BruteForce,
    UnroutedPath,
    MethodNotAllowed,
    Ztaa,
    SessionFixation,
    Cmdi,
    PathTraversal,
    Sqli,
    Xss,
    Ssrf,
    Ssti,
    Nosqli,
    Jndi,
    Xxe,
    Ldapi,
    Crlf,
    Rfi,
    CodeInjection,
    UnsafeUpload,
    LimitExceeded,
}

impl Check {
    /// Every check, in a fixed order (banner, docs, tests).
    pub const ALL: [Check; 24] = [
        Check::Blacklist,
        Check::Decoy,
        Check::Spoofing,
        Check::Flood,
        Check::BruteForce,
        Check::UnroutedPath,
        Check::MethodNotAllowed,
        Check::Ztaa,
        Check::SessionFixation,
        Check::Cmdi,
        Check::PathTraversal,
        Check::Sqli,
        Check::Xss,
        Check::Ssrf,
        Check::Ssti,
        Check::Nosqli,
        Check::Jndi,
        Check::Xxe,
        Check::Ldapi,
        Check::Crlf,
        Check::Rfi,
        Check::CodeInjection,
        Check::UnsafeUpload,
        Check::LimitExceeded,
    ];

    /// Stable machine-readable name.
    pub fn slug(self) -> &'static str {
        match self {
            Check::Blacklist => "blacklist",
            Check::Decoy => "decoy",
            Check::Spoofing => "spoofing",
            Check::Flood => "flood",
            Check::BruteForce => "brute_force",
            Check::UnroutedPath => "unrouted_path",
            Check::MethodNotAllowed => "method_not_allowed",
            Check::Ztaa => "ztaa",
            Check::SessionFixation => "session_fixation",
            Check::Cmdi => "cmdi",
            Check::PathTraversal => "path_traversal",
            Check::Sqli => "sqli",
            Check::Xss => "xss",
            Check::Ssrf => "ssrf",
            Check::Ssti => "ssti",
            Check::Nosqli => "nosqli",
            Check::Jndi => "jndi",
            Check::Xxe => "xxe",
            Check::Ldapi => "ldapi",
            Check::Crlf => "crlf",
            Check::Rfi => "rfi",
            Check::CodeInjection => "code_injection",
            Check::UnsafeUpload => "unsafe_upload",
            Check::LimitExceeded => "limit_exceeded",
        }
    }

    /// Short upper-case label used on the console.
    pub fn label(self) -> &'static str {
        match self {
            Check::Blacklist => "BLACKLISTED",
            Check::Decoy => "DECOY",
            Check::Spoofing => "HOST SPOOFING",
            Check::Flood => "FLOOD",
            Check::BruteForce => "BRUTE FORCE",
            Check::UnroutedPath => "UNROUTED PATH",
            Check::MethodNotAllowed => "METHOD NOT ALLOWED",
            Check::Ztaa => "ZTAA",
            Check::SessionFixation => "SESSION FIXATION",
            Check::Cmdi => "COMMAND INJECTION",
            Check::PathTraversal => "PATH TRAVERSAL",
            Check::Sqli => "SQL INJECTION",
            Check::Xss => "XSS",
            Check::Ssrf => "SSRF",
            Check::Ssti => "TEMPLATE INJECTION",
            Check::Nosqli => "NOSQL INJECTION",
            Check::Jndi => "JNDI INJECTION",
            Check::Xxe => "XXE",
            Check::Ldapi => "LDAP INJECTION",
            Check::Crlf => "CRLF INJECTION",
            Check::Rfi => "REMOTE FILE INCLUSION",
            Check::CodeInjection => "CODE INJECTION",
            Check::UnsafeUpload => "UNSAFE UPLOAD",
            Check::LimitExceeded => "LIMIT EXCEEDED",
        }
    }

    /// MITRE ATT&CK technique.
    pub fn mitre(self) -> &'static str {
        match self {
            Check::Blacklist => "T1190",
            Check::Decoy => "T1595.003",
            Check::Spoofing => "T1557",
            Check::Flood => "T1499.002",
            Check::BruteForce => "T1110",
            Check::UnroutedPath => "T1595.003",
            Check::MethodNotAllowed => "T1595.002",
            Check::Ztaa => "T1078",
            // Browser Session Hijacking: the victim's browser is made to carry a session the
            // adversary knows (T1563 is hijacking of SSH/RDP sessions, not web sessions).
            Check::SessionFixation => "T1185",
            Check::Cmdi => "T1059.004",
            Check::PathTraversal => "T1083",
            Check::Sqli => "T1190",
            Check::Xss => "T1059.007",
            Check::Ssrf => "T1090",
            Check::Ssti => "T1190",
            Check::Nosqli => "T1190",
            Check::Jndi => "T1190",
            Check::Xxe => "T1190",
            Check::Ldapi => "T1190",
            Check::Crlf => "T1190",
            Check::Rfi => "T1105",
            Check::CodeInjection => "T1059",
            // Server Software Component: Web Shell.
            Check::UnsafeUpload => "T1505.003",
            Check::LimitExceeded => "T1499",
        }
    }

    /// IronRASP code: IR-1xxx request-level, IR-2xxx value-level, IR-9xxx engine.
    pub fn code(self) -> &'static str {
        match self {
            Check::Blacklist => "IR-1001",
            Check::Decoy => "IR-1002",
            Check::Spoofing => "IR-1003",
            Check::Flood => "IR-1004",
            Check::BruteForce => "IR-1005",
            Check::UnroutedPath => "IR-1006",
            Check::MethodNotAllowed => "IR-1007",
            Check::Ztaa => "IR-1008",
            Check::SessionFixation => "IR-1009",
            Check::Cmdi => "IR-2001",
            Check::PathTraversal => "IR-2002",
            Check::Sqli => "IR-2003",
            Check::Xss => "IR-2004",
            Check::Ssrf => "IR-2005",
            Check::Ssti => "IR-2006",
            Check::Nosqli => "IR-2007",
            Check::Jndi => "IR-2008",
            Check::Xxe => "IR-2009",
            Check::Ldapi => "IR-2010",
            Check::Crlf => "IR-2011",
            Check::Rfi => "IR-2012",
            Check::CodeInjection => "IR-2013",
            Check::UnsafeUpload => "IR-2014",
            Check::LimitExceeded => "IR-9001",
        }
    }

    /// Parses a slug (configuration, CLI).
    pub fn from_slug(s: &str) -> Option<Check> {
        Check::ALL.into_iter().find(|c| c.slug() == s)
    }

    /// True for checks that inspect single values (run on every decoded view).
    pub fn is_value_check(self) -> bool {
        !matches!(
            self,
            Check::Blacklist
                | Check::Decoy
                | Check::Spoofing
                | Check::Flood
                | Check::BruteForce
                | Check::UnroutedPath
                | Check::MethodNotAllowed
                | Check::Ztaa
                | Check::SessionFixation
                | Check::LimitExceeded
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_codes_are_unique_and_round_trip() {
        let mut slugs = std::collections::HashSet::new();
        let mut codes = std::collections::HashSet::new();
        for c in Check::ALL {
            assert!(slugs.insert(c.slug()), "duplicate slug {}", c.slug());
            assert!(codes.insert(c.code()), "duplicate code {}", c.code());
            assert_eq!(Check::from_slug(c.slug()), Some(c));
            assert!(c.mitre().starts_with('T'));
        }
        assert_eq!(Check::from_slug("nope"), None);
    }
}

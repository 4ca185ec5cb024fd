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
    Cmdi,
    PathTraversal,
    LimitExceeded,
}

impl Check {
    /// Every check, in a fixed order (banner, docs, tests).
    pub const ALL: [Check; 11] = [
        Check::Blacklist,
        Check::Decoy,
        Check::Spoofing,
        Check::Flood,
        Check::BruteForce,
        Check::UnroutedPath,
        Check::MethodNotAllowed,
        Check::Ztaa,
        Check::Cmdi,
        Check::PathTraversal,
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
            Check::Cmdi => "cmdi",
            Check::PathTraversal => "path_traversal",
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
            Check::Cmdi => "COMMAND INJECTION",
            Check::PathTraversal => "PATH TRAVERSAL",
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
            Check::Cmdi => "T1059.004",
            Check::PathTraversal => "T1083",
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
            Check::Cmdi => "IR-2001",
            Check::PathTraversal => "IR-2002",
            Check::LimitExceeded => "IR-9001",
        }
    }

    /// Parses a slug (configuration, CLI).
    pub fn from_slug(s: &str) -> Option<Check> {
        Check::ALL.into_iter().find(|c| c.slug() == s)
    }

    /// True for checks that inspect single values (run on every decoded view).
    pub fn is_value_check(self) -> bool {
        matches!(self, Check::Cmdi | Check::PathTraversal)
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

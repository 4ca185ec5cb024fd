//! Detectors, one per file. Value-level detectors see one decoded view of one value and return
//! a [`Finding`] or nothing; request-level detectors see the request. None of them decides an
//! action: that is [`crate::policy`].

pub mod cmdi;
pub mod code_injection;
pub mod crlf;
pub mod decoy;
pub mod jndi;
pub mod ldapi;
pub mod nosqli;
pub mod path_traversal;
pub mod rate;
pub mod rfi;
pub mod spoofing;
pub mod sqli;
pub mod ssrf;
pub mod ssti;
pub mod xss;
pub mod xxe;
pub mod ztaa;

use crate::check::Check;
use crate::finding::Finding;

/// A detector that needs no state: one function of the text.
type ValueFn = fn(&str) -> Option<Finding>;

/// Every stateless value detector, by check.
const STATELESS: [(Check, ValueFn); 12] = [
    (Check::PathTraversal, path_traversal::inspect),
    (Check::Sqli, sqli::inspect),
    (Check::Xss, xss::inspect),
    (Check::Ssrf, ssrf::inspect),
    (Check::Ssti, ssti::inspect),
    (Check::Nosqli, nosqli::inspect),
    (Check::Jndi, jndi::inspect),
    (Check::Xxe, xxe::inspect),
    (Check::Ldapi, ldapi::inspect),
    (Check::Crlf, crlf::inspect),
    (Check::Rfi, rfi::inspect),
    (Check::CodeInjection, code_injection::inspect),
];

/// The enabled value-level detectors, built once at startup.
pub struct ValueDetectors {
    cmdi: Option<cmdi::CmdiDetector>,
    stateless: Vec<(Check, ValueFn)>,
}

impl ValueDetectors {
    /// Builds the detectors for which `enabled` says yes.
    pub fn new(enabled: impl Fn(Check) -> bool) -> Self {
        ValueDetectors {
            cmdi: enabled(Check::Cmdi).then(cmdi::CmdiDetector::from_env),
            stateless: STATELESS
                .iter()
                .copied()
                .filter(|(c, _)| enabled(*c))
                .collect(),
        }
    }

    /// Runs every enabled value detector on one view; pushes findings.
    pub fn inspect(&self, text: &str, out: &mut Vec<Finding>) {
        if let Some(c) = &self.cmdi {
            out.extend(c.inspect(text));
        }
        for (_, f) in &self.stateless {
            out.extend(f(text));
        }
    }

    /// Which value checks are on (banner).
    pub fn enabled(&self) -> Vec<Check> {
        let mut v: Vec<Check> = self.cmdi.iter().map(|_| Check::Cmdi).collect();
        v.extend(self.stateless.iter().map(|(c, _)| *c));
        v
    }
}

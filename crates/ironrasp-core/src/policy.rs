//! Findings -> actions. A detector never blocks by itself: this decides, from the check's
//! configured action, the global mode, the whitelist and `blacklist_ttl`.

use crate::check::Check;
use crate::config::{Action, Config, Mode};

/// What is done about one finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Check disabled: not even logged.
    Ignore,
    Log,
    /// Would have acted, but monitor mode or whitelist: logged only.
    Monitor,
    Block,
    Blacklist,
}

impl Outcome {
    /// The `action` field of the event.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ignore => "ignore",
            Outcome::Log => "log",
            Outcome::Monitor => "monitor",
            Outcome::Block => "block",
            Outcome::Blacklist => "blacklist",
        }
    }

    pub fn blocks(self) -> bool {
        matches!(self, Outcome::Block | Outcome::Blacklist)
    }
}

/// Decides the outcome of a finding of `check`.
pub fn decide(config: &Config, check: Check, whitelisted: bool) -> Outcome {
    let (enabled, action) = config.check(check);
    if !enabled {
        return Outcome::Ignore;
    }
    let wanted = match action {
        Action::Log => return Outcome::Log,
        Action::Block => Outcome::Block,
        // blacklist_ttl = 0 disables blacklisting; the request is still refused.
        Action::Blacklist if config.blacklist_ttl == 0 => Outcome::Block,
        Action::Blacklist => Outcome::Blacklist,
    };
    if config.mode == Mode::Monitor || whitelisted {
        Outcome::Monitor
    } else {
        wanted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_whitelist_and_ttl() {
        let mut c = Config::default();
        assert_eq!(decide(&c, Check::Decoy, false), Outcome::Blacklist);
        assert_eq!(decide(&c, Check::Decoy, true), Outcome::Monitor);
        assert_eq!(decide(&c, Check::Cmdi, false), Outcome::Block);
        assert_eq!(decide(&c, Check::UnroutedPath, false), Outcome::Log);
        c.blacklist_ttl = 0;
        assert_eq!(decide(&c, Check::Decoy, false), Outcome::Block);
        c.mode = Mode::Monitor;
        assert_eq!(decide(&c, Check::Cmdi, false), Outcome::Monitor);
        c.cmdi.enabled = false;
        assert_eq!(decide(&c, Check::Cmdi, false), Outcome::Ignore);
    }
}

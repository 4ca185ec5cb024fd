//! Configuration: one TOML or JSON document (or a dict passed from Python as JSON), merged onto
//! the defaults, then single keys overridden by `IRONRASP_<KEY>` environment variables
//! (`IRONRASP_FLOOD__MAX_REQUESTS` or `IRONRASP_FLOOD_MAX_REQUESTS` for nested keys). Unknown
//! keys are errors, and every error names the key and the problem. The result is validated
//! once; the engine compiles it (CIDR tables, automata) at startup and never reads it per
//! request. docs/configuration.md documents every key; a test keeps the two in step.

use crate::check::Check;
use crate::client_ip::parse_net;
use crate::limits::Limits;
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

/// Global mode: `protect` acts on findings, `monitor` only logs them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Protect,
    Monitor,
}

/// What a check does when it fires (in protect mode).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Log,
    Block,
    /// Block, and blacklist the client address for `blacklist_ttl` seconds.
    Blacklist,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Log => "log",
            Action::Block => "block",
            Action::Blacklist => "blacklist",
        }
    }
}

/// Where console lines go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Console {
    Stdout,
    Stderr,
    Off,
}

/// On/off and action of one check.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    pub enabled: bool,
    pub action: Action,
}

/// A value-level detector: on/off, action, and the score from which it reports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectorConfig {
    pub enabled: bool,
    pub action: Action,
    pub threshold: f32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecoyConfig {
    pub enabled: bool,
    pub action: Action,
    /// Extra decoy path prefixes, added to the built-in list.
    pub paths: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FloodConfig {
    pub enabled: bool,
    pub action: Action,
    pub max_requests: u32,
    pub window: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BruteForceConfig {
    pub enabled: bool,
    pub action: Action,
    pub max_errors: u32,
    pub window: f64,
    pub statuses: Vec<u16>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZtaaConfig {
    pub enabled: bool,
    pub action: Action,
    pub header: String,
    pub secret: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionFixationConfig {
    pub enabled: bool,
    pub action: Action,
    /// The application's own session cookie names, added to the built-in framework names.
    pub names: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockConfig {
    pub status: u16,
    pub body: String,
    pub content_type: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    pub console: Console,
    /// Path of a JSON-lines event file; empty = none.
    pub json_file: String,
    pub banner: bool,
    /// Characters of payload kept in an event.
    pub max_payload: usize,
    /// Events waiting for the output worker; past it they are dropped and counted.
    pub queue_size: usize,
    /// Events reported per request at most (the rest are counted).
    pub max_events_per_request: usize,
}

/// The whole configuration. Field names are the configuration keys.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub app_name: String,
    pub mode: Mode,
    pub blacklist_ttl: u64,
    pub whitelist: Vec<String>,
    pub allowed_hosts: Vec<String>,
    pub trusted_proxies: Vec<String>,
    /// On an internal error, refuse the request instead of letting it pass.
    pub fail_closed: bool,
    /// Addresses tracked by counters and blacklist at most.
    pub max_tracked: usize,
    pub block: BlockConfig,
    pub log: LogConfig,
    pub limits: Limits,
    pub blacklist: CheckConfig,
    pub decoy: DecoyConfig,
    pub spoofing: CheckConfig,
    pub flood: FloodConfig,
    pub brute_force: BruteForceConfig,
    pub validation: CheckConfig,
    pub ztaa: ZtaaConfig,
    pub session_fixation: SessionFixationConfig,
    pub cmdi: DetectorConfig,
    pub path_traversal: DetectorConfig,
    pub sqli: DetectorConfig,
    pub xss: DetectorConfig,
    pub ssrf: DetectorConfig,
    pub ssti: DetectorConfig,
    pub nosqli: DetectorConfig,
    pub jndi: DetectorConfig,
    pub xxe: DetectorConfig,
    pub ldapi: DetectorConfig,
    pub crlf: DetectorConfig,
    pub rfi: DetectorConfig,
    pub code_injection: DetectorConfig,
    pub unsafe_upload: DetectorConfig,
    pub limit_exceeded: CheckConfig,
}

fn check(enabled: bool, action: Action) -> CheckConfig {
    CheckConfig { enabled, action }
}

fn detector(action: Action) -> DetectorConfig {
    DetectorConfig {
        enabled: true,
        action,
        threshold: 0.5,
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            app_name: "app".into(),
            mode: Mode::Protect,
            blacklist_ttl: 86_400,
            whitelist: vec![],
            allowed_hosts: vec![],
            trusted_proxies: vec![],
            fail_closed: false,
            max_tracked: 100_000,
            block: BlockConfig {
                status: 403,
                body: "Forbidden".into(),
                content_type: "text/plain; charset=utf-8".into(),
            },
            log: LogConfig {
                console: Console::Stdout,
                json_file: String::new(),
                banner: true,
                max_payload: 200,
                queue_size: 10_000,
                max_events_per_request: 16,
            },
            limits: Limits::default(),
            blacklist: check(true, Action::Block),
            decoy: DecoyConfig {
                enabled: true,
                action: Action::Blacklist,
                paths: vec![],
            },
            spoofing: check(true, Action::Block),
            flood: FloodConfig {
                enabled: true,
                action: Action::Block,
                max_requests: 300,
                window: 10.0,
            },
            brute_force: BruteForceConfig {
                enabled: true,
                action: Action::Blacklist,
                max_errors: 50,
                window: 60.0,
                statuses: vec![401, 403, 404],
            },
            validation: check(true, Action::Log),
            ztaa: ZtaaConfig {
                enabled: false,
                action: Action::Block,
                header: "x-ironrasp-access".into(),
                secret: String::new(),
            },
            session_fixation: SessionFixationConfig {
                enabled: true,
                action: Action::Block,
                names: vec![],
            },
            cmdi: detector(Action::Block),
            path_traversal: detector(Action::Block),
            sqli: detector(Action::Block),
            xss: detector(Action::Block),
            ssrf: detector(Action::Block),
            ssti: detector(Action::Block),
            nosqli: detector(Action::Block),
            jndi: detector(Action::Block),
            xxe: detector(Action::Block),
            ldapi: detector(Action::Block),
            crlf: detector(Action::Block),
            rfi: detector(Action::Block),
            code_injection: detector(Action::Block),
            unsafe_upload: detector(Action::Block),
            limit_exceeded: check(true, Action::Log),
        }
    }
}

/// A configuration problem: which key, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub key: String,
    pub message: String,
}

impl ConfigError {
    fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigError {
            key: key.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            write!(f, "ironrasp configuration: {}", self.message)
        } else {
            write!(
                f,
                "ironrasp configuration: key `{}`: {}",
                self.key, self.message
            )
        }
    }
}

impl std::error::Error for ConfigError {}

/// Where the configuration document comes from.
#[derive(Clone, Copy, Debug)]
pub enum Source<'a> {
    /// Defaults only (plus environment).
    Defaults,
    /// A file: `.json` is JSON, anything else TOML.
    File(&'a Path),
    Toml(&'a str),
    Json(&'a str),
}

impl Config {
    /// Loads, merges onto the defaults, applies `IRONRASP_*` overrides from `env`, validates.
    /// `IRONRASP_CONFIG` in `env` names the file when `source` is `Defaults`.
    pub fn load(source: Source<'_>, env: &[(String, String)]) -> Result<Config, ConfigError> {
        let env_file = env
            .iter()
            .find(|(k, _)| k == "IRONRASP_CONFIG")
            .map(|(_, v)| v.clone());
        let user = match (source, env_file.as_deref()) {
            (Source::Defaults, Some(p)) if !p.is_empty() => read_file(Path::new(p))?,
            (Source::Defaults, _) => toml::Table::new(),
            (Source::File(p), _) => read_file(p)?,
            (Source::Toml(t), _) => parse_toml(t)?,
            (Source::Json(j), _) => parse_json(j)?,
        };
        let mut table = defaults_table();
        merge(&mut table, user);
        apply_env(&mut table, env)?;
        let config: Config =
            serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
                let key = e.path().to_string();
                let key = if key == "." { String::new() } else { key };
                ConfigError::new(key, e.into_inner().to_string().trim().to_string())
            })?;
        config.validate()?;
        Ok(config)
    }

    /// Checks values that types alone cannot.
    pub fn validate(&self) -> Result<(), ConfigError> {
        nets("whitelist", &self.whitelist)?;
        nets("trusted_proxies", &self.trusted_proxies)?;
        if self.app_name.trim().is_empty() {
            return Err(ConfigError::new("app_name", "must not be empty"));
        }
        if !(100..=599).contains(&self.block.status) {
            return Err(ConfigError::new(
                "block.status",
                format!("{} is not an HTTP status (100-599)", self.block.status),
            ));
        }
        if self.flood.max_requests == 0 {
            return Err(ConfigError::new(
                "flood.max_requests",
                "must be greater than 0",
            ));
        }
        if self.flood.window.is_nan() || self.flood.window <= 0.0 {
            return Err(ConfigError::new(
                "flood.window",
                "must be a positive number of seconds",
            ));
        }
        if self.brute_force.max_errors == 0 {
            return Err(ConfigError::new(
                "brute_force.max_errors",
                "must be greater than 0",
            ));
        }
        if self.brute_force.window.is_nan() || self.brute_force.window <= 0.0 {
            return Err(ConfigError::new(
                "brute_force.window",
                "must be a positive number of seconds",
            ));
        }
        for (i, s) in self.brute_force.statuses.iter().enumerate() {
            if !(100..=599).contains(s) {
                return Err(ConfigError::new(
                    format!("brute_force.statuses[{i}]"),
                    format!("{s} is not an HTTP status"),
                ));
            }
        }
        if self.ztaa.enabled && self.ztaa.secret.is_empty() {
            return Err(ConfigError::new(
                "ztaa.secret",
                "required when ztaa.enabled is true",
            ));
        }
        if self.ztaa.header.trim().is_empty() {
            return Err(ConfigError::new("ztaa.header", "must not be empty"));
        }
        if self.max_tracked == 0 {
            return Err(ConfigError::new("max_tracked", "must be greater than 0"));
        }
        if self.log.queue_size == 0 {
            return Err(ConfigError::new("log.queue_size", "must be greater than 0"));
        }
        for (name, d) in self.detectors() {
            if !(0.0..=1.0).contains(&d.threshold) {
                return Err(ConfigError::new(
                    format!("{name}.threshold"),
                    "must be between 0 and 1",
                ));
            }
        }
        for (i, n) in self.session_fixation.names.iter().enumerate() {
            if n.trim().is_empty() {
                return Err(ConfigError::new(
                    format!("session_fixation.names[{i}]"),
                    "must not be empty",
                ));
            }
        }
        for p in &self.decoy.paths {
            if !p.starts_with('/') {
                return Err(ConfigError::new(
                    "decoy.paths",
                    format!("'{p}' must start with '/'"),
                ));
            }
        }
        self.limits
            .validate()
            .map_err(|(k, m)| ConfigError::new(k, m))
    }

    /// Value-level detector sections by slug.
    pub fn detectors(&self) -> [(&'static str, &DetectorConfig); 14] {
        [
            ("cmdi", &self.cmdi),
            ("path_traversal", &self.path_traversal),
            ("sqli", &self.sqli),
            ("xss", &self.xss),
            ("ssrf", &self.ssrf),
            ("ssti", &self.ssti),
            ("nosqli", &self.nosqli),
            ("jndi", &self.jndi),
            ("xxe", &self.xxe),
            ("ldapi", &self.ldapi),
            ("crlf", &self.crlf),
            ("rfi", &self.rfi),
            ("code_injection", &self.code_injection),
            ("unsafe_upload", &self.unsafe_upload),
        ]
    }

    /// Enabled flag and action of a check (the policy's view of the configuration).
    pub fn check(&self, c: Check) -> (bool, Action) {
        let cc = |x: &CheckConfig| (x.enabled, x.action);
        let dc = |x: &DetectorConfig| (x.enabled, x.action);
        match c {
            Check::Blacklist => cc(&self.blacklist),
            Check::Decoy => (self.decoy.enabled, self.decoy.action),
            Check::Spoofing => cc(&self.spoofing),
            Check::Flood => (self.flood.enabled, self.flood.action),
            Check::BruteForce => (self.brute_force.enabled, self.brute_force.action),
            Check::UnroutedPath | Check::MethodNotAllowed => cc(&self.validation),
            Check::Ztaa => (self.ztaa.enabled, self.ztaa.action),
            Check::SessionFixation => (self.session_fixation.enabled, self.session_fixation.action),
            Check::Cmdi => dc(&self.cmdi),
            Check::PathTraversal => dc(&self.path_traversal),
            Check::Sqli => dc(&self.sqli),
            Check::Xss => dc(&self.xss),
            Check::LimitExceeded => cc(&self.limit_exceeded),
            Check::Ssrf => dc(&self.ssrf),
            Check::Ssti => dc(&self.ssti),
            Check::Nosqli => dc(&self.nosqli),
            Check::Jndi => dc(&self.jndi),
            Check::Xxe => dc(&self.xxe),
            Check::Ldapi => dc(&self.ldapi),
            Check::Crlf => dc(&self.crlf),
            Check::Rfi => dc(&self.rfi),
            Check::CodeInjection => dc(&self.code_injection),
            Check::UnsafeUpload => dc(&self.unsafe_upload),
        }
    }

    /// Parsed whitelist networks (validated in `validate`).
    pub fn whitelist_nets(&self) -> Vec<IpNet> {
        self.whitelist.iter().filter_map(|s| parse_net(s)).collect()
    }

    /// Parsed trusted proxy networks.
    pub fn trusted_proxy_nets(&self) -> Vec<IpNet> {
        self.trusted_proxies
            .iter()
            .filter_map(|s| parse_net(s))
            .collect()
    }

    /// The defaults as a TOML document (`ironrasp check-config --defaults`, docs test).
    pub fn defaults_toml() -> String {
        toml::to_string(&Config::default()).unwrap_or_default()
    }
}

fn nets(key: &str, list: &[String]) -> Result<(), ConfigError> {
    for (i, s) in list.iter().enumerate() {
        if parse_net(s).is_none() {
            return Err(ConfigError::new(
                format!("{key}[{i}]"),
                format!("'{s}' is not an IP address or CIDR network"),
            ));
        }
    }
    Ok(())
}

fn defaults_table() -> toml::Table {
    match toml::Value::try_from(Config::default()) {
        Ok(toml::Value::Table(t)) => t,
        _ => toml::Table::new(),
    }
}

fn read_file(p: &Path) -> Result<toml::Table, ConfigError> {
    let text = std::fs::read_to_string(p).map_err(|e| {
        ConfigError::new(
            "",
            format!("cannot read configuration file {}: {e}", p.display()),
        )
    })?;
    let is_json = p
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let r = if is_json {
        parse_json(&text)
    } else {
        parse_toml(&text)
    };
    r.map_err(|e| ConfigError {
        message: format!("{} (in {})", e.message, p.display()),
        ..e
    })
}

fn parse_toml(text: &str) -> Result<toml::Table, ConfigError> {
    text.parse::<toml::Table>()
        .map_err(|e| ConfigError::new("", format!("invalid TOML: {}", e.message())))
}

fn parse_json(text: &str) -> Result<toml::Table, ConfigError> {
    let v: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| ConfigError::new("", format!("invalid JSON: {e}")))?;
    if !v.is_object() {
        return Err(ConfigError::new(
            "",
            "the configuration must be an object of keys",
        ));
    }
    json_to_toml(&v, "").map(|t| match t {
        toml::Value::Table(t) => t,
        _ => toml::Table::new(),
    })
}

fn json_to_toml(v: &serde_json::Value, key: &str) -> Result<toml::Value, ConfigError> {
    use serde_json::Value as J;
    Ok(match v {
        J::Null => {
            return Err(ConfigError::new(
                key,
                "null is not a value; leave the key out for its default",
            ))
        }
        J::Bool(b) => toml::Value::Boolean(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        J::String(s) => toml::Value::String(s.clone()),
        J::Array(a) => toml::Value::Array(
            a.iter()
                .enumerate()
                .map(|(i, x)| json_to_toml(x, &format!("{key}[{i}]")))
                .collect::<Result<_, _>>()?,
        ),
        J::Object(o) => {
            let mut t = toml::Table::new();
            for (k, x) in o {
                let sub = if key.is_empty() {
                    k.clone()
                } else {
                    format!("{key}.{k}")
                };
                t.insert(k.clone(), json_to_toml(x, &sub)?);
            }
            toml::Value::Table(t)
        }
    })
}

/// Deep merge: tables merge key by key, anything else replaces. Unknown keys are kept so that
/// deserialization reports them by path.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// Resolves an environment key (after the prefix, lower-cased) to a path in the defaults.
fn env_path(defaults: &toml::Table, key: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = key.split("__").collect();
    if lookup(defaults, &parts).is_some() {
        return Some(parts.iter().map(|s| s.to_string()).collect());
    }
    if parts.len() == 1 {
        // FLOOD_MAX_REQUESTS: the section is the longest prefix that names a table.
        for (i, _) in key.match_indices('_') {
            let (sec, rest) = (&key[..i], &key[i + 1..]);
            if matches!(defaults.get(sec), Some(toml::Value::Table(_)))
                && lookup(defaults, &[sec, rest]).is_some()
            {
                return Some(vec![sec.to_string(), rest.to_string()]);
            }
        }
    }
    None
}

fn lookup<'a>(t: &'a toml::Table, path: &[&str]) -> Option<&'a toml::Value> {
    let (first, rest) = path.split_first()?;
    let v = t.get(*first)?;
    if rest.is_empty() {
        return Some(v);
    }
    match v {
        toml::Value::Table(sub) => lookup(sub, rest),
        _ => None,
    }
}

fn apply_env(table: &mut toml::Table, env: &[(String, String)]) -> Result<(), ConfigError> {
    let defaults = defaults_table();
    let mut vars: Vec<&(String, String)> = env
        .iter()
        .filter(|(k, _)| k.starts_with("IRONRASP_") && k != "IRONRASP_CONFIG")
        .collect();
    vars.sort();
    for (name, raw) in vars {
        let key = name["IRONRASP_".len()..].to_ascii_lowercase();
        let path = env_path(&defaults, &key)
            .ok_or_else(|| ConfigError::new(name.as_str(), "unknown configuration key"))?;
        let refs: Vec<&str> = path.iter().map(String::as_str).collect();
        let template = lookup(&defaults, &refs)
            .cloned()
            .unwrap_or(toml::Value::String(String::new()));
        let value = env_value(&template, raw).map_err(|m| ConfigError::new(name.as_str(), m))?;
        let mut t = &mut *table;
        for seg in &path[..path.len() - 1] {
            let entry = t
                .entry(seg.clone())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            t = match entry {
                toml::Value::Table(sub) => sub,
                _ => return Err(ConfigError::new(name.as_str(), "is not a section")),
            };
        }
        t.insert(path[path.len() - 1].clone(), value);
    }
    Ok(())
}

/// Converts an environment string to the type of the default value at that key.
fn env_value(template: &toml::Value, raw: &str) -> Result<toml::Value, String> {
    use toml::Value as T;
    let raw_t = raw.trim();
    Ok(match template {
        T::String(_) => T::String(raw.to_string()),
        T::Integer(_) => T::Integer(
            raw_t
                .parse()
                .map_err(|_| format!("'{raw}' is not an integer"))?,
        ),
        T::Float(_) => T::Float(
            raw_t
                .parse()
                .map_err(|_| format!("'{raw}' is not a number"))?,
        ),
        T::Boolean(_) => T::Boolean(match raw_t.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => true,
            "0" | "false" | "no" | "off" => false,
            _ => return Err(format!("'{raw}' is not a boolean (true/false)")),
        }),
        T::Array(items) => {
            if raw_t.starts_with('[') {
                let doc: toml::Table = format!("v = {raw_t}")
                    .parse()
                    .map_err(|_| format!("'{raw}' is not a TOML array"))?;
                doc.get("v").cloned().unwrap_or(T::Array(vec![]))
            } else {
                let ints = matches!(items.first(), Some(T::Integer(_)));
                let mut out = Vec::new();
                for part in raw_t.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    out.push(if ints {
                        T::Integer(
                            part.parse()
                                .map_err(|_| format!("'{part}' is not an integer"))?,
                        )
                    } else {
                        T::String(part.to_string())
                    });
                }
                T::Array(out)
            }
        }
        _ => return Err("cannot be set from the environment".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn defaults_load() {
        let c = Config::load(Source::Defaults, &[]).unwrap();
        assert_eq!(c, Config::default());
        assert_eq!(c.blacklist_ttl, 86_400);
        assert_eq!(c.mode, Mode::Protect);
    }

    #[test]
    fn partial_sections_keep_their_own_defaults() {
        let c = Config::load(
            Source::Toml("[validation]\nenabled = false\n[flood]\nmax_requests = 5"),
            &[],
        )
        .unwrap();
        assert!(!c.validation.enabled);
        assert_eq!(c.validation.action, Action::Log);
        assert_eq!(c.flood.max_requests, 5);
        assert_eq!(c.flood.window, 10.0);
    }

    #[test]
    fn session_fixation_names_from_file_and_environment() {
        let c = Config::load(
            Source::Toml("[session_fixation]\nnames = ['SHOP_SID']\naction = 'log'"),
            &[],
        )
        .unwrap();
        assert_eq!(c.session_fixation.names, vec!["SHOP_SID"]);
        assert_eq!(c.check(Check::SessionFixation), (true, Action::Log));
        let c = Config::load(
            Source::Defaults,
            &env(&[("IRONRASP_SESSION_FIXATION_NAMES", "a_sess, b.sid")]),
        )
        .unwrap();
        assert_eq!(c.session_fixation.names, vec!["a_sess", "b.sid"]);
        assert_eq!(
            Config::default().check(Check::SessionFixation),
            (true, Action::Block)
        );
    }

    #[test]
    fn unknown_keys_are_errors_with_their_path() {
        let e = Config::load(Source::Toml("modes = 'monitor'"), &[]).unwrap_err();
        assert!(e.message.contains("unknown field `modes`"), "{e}");
        let e = Config::load(Source::Toml("[flood]\nmax = 1"), &[]).unwrap_err();
        assert_eq!(e.key, "flood.max");
        assert!(e.message.contains("max"), "{e}");
        let e = Config::load(Source::Json(r#"{"limits": {"max_body": "big"}}"#), &[]).unwrap_err();
        assert_eq!(e.key, "limits.max_body");
    }

    #[test]
    fn bad_values_name_the_key() {
        let e = Config::load(Source::Toml("mode = 'loud'"), &[]).unwrap_err();
        assert_eq!(e.key, "mode");
        let e =
            Config::load(Source::Toml("whitelist = ['10.0.0.1', '10.0.0.300']"), &[]).unwrap_err();
        assert_eq!(e.key, "whitelist[1]");
        let e = Config::load(Source::Toml("[ztaa]\nenabled = true"), &[]).unwrap_err();
        assert_eq!(e.key, "ztaa.secret");
        let e = Config::load(Source::Json("{\"mode\": null}"), &[]).unwrap_err();
        assert_eq!(e.key, "mode");
        let e =
            Config::load(Source::Toml("[session_fixation]\nnames = ['a', ' ']"), &[]).unwrap_err();
        assert_eq!(e.key, "session_fixation.names[1]");
        let e = Config::load(Source::Toml("[block]\nstatus = 42"), &[]).unwrap_err();
        assert_eq!(e.key, "block.status");
        assert!(e.to_string().contains("block.status"));
    }

    #[test]
    fn environment_overrides_single_keys() {
        let c = Config::load(
            Source::Toml("mode = 'protect'\nblacklist_ttl = 5"),
            &env(&[
                ("IRONRASP_MODE", "monitor"),
                ("IRONRASP_BLACKLIST_TTL", "0"),
                ("IRONRASP_WHITELIST", "10.0.0.1, 192.168.0.0/16"),
                ("IRONRASP_FLOOD__MAX_REQUESTS", "7"),
                ("IRONRASP_BRUTE_FORCE_STATUSES", "401,429"),
                ("IRONRASP_LOG_BANNER", "off"),
                ("PATH", "/bin"),
            ]),
        )
        .unwrap();
        assert_eq!(c.mode, Mode::Monitor);
        assert_eq!(c.blacklist_ttl, 0);
        assert_eq!(c.whitelist, vec!["10.0.0.1", "192.168.0.0/16"]);
        assert_eq!(c.flood.max_requests, 7);
        assert_eq!(c.brute_force.statuses, vec![401, 429]);
        assert!(!c.log.banner);
        let e = Config::load(Source::Defaults, &env(&[("IRONRASP_NOPE", "1")])).unwrap_err();
        assert_eq!(e.key, "IRONRASP_NOPE");
        let e = Config::load(
            Source::Defaults,
            &env(&[("IRONRASP_BLACKLIST_TTL", "soon")]),
        )
        .unwrap_err();
        assert_eq!(e.key, "IRONRASP_BLACKLIST_TTL");
    }

    #[test]
    fn config_file_from_environment() {
        let dir = std::env::temp_dir().join(format!("ironrasp-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("c.json");
        std::fs::write(
            &p,
            r#"{"app_name": "shop", "allowed_hosts": ["shop.example"]}"#,
        )
        .unwrap();
        let c = Config::load(
            Source::Defaults,
            &env(&[("IRONRASP_CONFIG", p.to_str().unwrap())]),
        )
        .unwrap();
        assert_eq!(c.app_name, "shop");
        assert_eq!(c.allowed_hosts, vec!["shop.example"]);
        let e = Config::load(Source::File(&dir.join("missing.toml")), &[]).unwrap_err();
        assert!(e.message.contains("cannot read"));
        std::fs::remove_dir_all(&dir).ok();
    }
}

//! Every bound on the work done for one request, in one place. Going past any of them is a
//! `limit_exceeded` finding (see [`crate::extract`]) so that what is not inspected never passes
//! silently.

use serde::{Deserialize, Serialize};

/// Bounds on extraction, decoding and inspection. All sizes are in bytes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Body bytes the adapter reads and the engine inspects (default 1 MiB).
    pub max_body: usize,
    /// Bytes of each uploaded file's content inspected (default 64 KiB).
    pub max_file_inspect: usize,
    /// Bytes of one value inspected; the rest is not scanned (default 64 KiB).
    pub max_value_len: usize,
    /// Query, form, multipart, header and cookie parameters taken per request (default 1,000).
    pub max_params: usize,
    /// Nesting depth followed in JSON (default 32).
    pub max_json_depth: usize,
    /// JSON keys and values taken per body or per decoded blob (default 10,000).
    pub max_json_nodes: usize,
    /// Decoding layers stacked on one value, e.g. base64 then percent then JSON (default 3).
    pub max_decode_depth: usize,
    /// Decoded views produced from one value (default 16).
    pub max_views_per_value: usize,
    /// Wall-clock budget for inspecting one request, in microseconds (default 20,000).
    pub deadline_us: u64,
    /// Distinct clean values remembered so that repeats are not inspected again (default
    /// 4,096; 0 turns the memo off; at most [`MAX_CLEAN_CACHE`], since its slots are
    /// allocated at startup).
    pub clean_cache: usize,
    /// Distinct whole requests (4 KiB at most) remembered as clean, so that a repeat runs only
    /// the client's checks (default 1,024; 0 turns this memo off, as does `clean_cache = 0`;
    /// at most [`MAX_CLEAN_CACHE`]).
    pub clean_requests: usize,
}

/// Largest `clean_cache`: 16 Mi slots of 8 bytes (128 MiB), far past any useful memo.
pub const MAX_CLEAN_CACHE: usize = 1 << 24;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body: 1024 * 1024,
            max_file_inspect: 64 * 1024,
            max_value_len: 64 * 1024,
            max_params: 1000,
            max_json_depth: 32,
            max_json_nodes: 10_000,
            max_decode_depth: 3,
            max_views_per_value: 16,
            deadline_us: 20_000,
            clean_cache: 4096,
            clean_requests: 1024,
        }
    }
}

impl Limits {
    /// Rejects nonsense: every bound must be positive.
    pub fn validate(&self) -> Result<(), (String, String)> {
        let fields: [(&str, u64); 9] = [
            ("max_body", self.max_body as u64),
            ("max_file_inspect", self.max_file_inspect as u64),
            ("max_value_len", self.max_value_len as u64),
            ("max_params", self.max_params as u64),
            ("max_json_depth", self.max_json_depth as u64),
            ("max_json_nodes", self.max_json_nodes as u64),
            ("max_decode_depth", self.max_decode_depth as u64),
            ("max_views_per_value", self.max_views_per_value as u64),
            ("deadline_us", self.deadline_us),
        ];
        for (name, v) in fields {
            if v == 0 {
                return Err((format!("limits.{name}"), "must be greater than 0".into()));
            }
        }
        for (name, v) in [
            ("clean_cache", self.clean_cache),
            ("clean_requests", self.clean_requests),
        ] {
            if v > MAX_CLEAN_CACHE {
                return Err((
                    format!("limits.{name}"),
                    format!(
                        "must be at most {MAX_CLEAN_CACHE} (its slots are allocated at startup)"
                    ),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_oversized_memo_is_refused_with_its_name() {
        let l = Limits {
            clean_cache: MAX_CLEAN_CACHE + 1,
            ..Limits::default()
        };
        let (key, why) = l.validate().unwrap_err();
        assert_eq!(key, "limits.clean_cache");
        assert!(why.contains("at most"), "{why}");
        let ok = Limits {
            clean_cache: MAX_CLEAN_CACHE,
            ..Limits::default()
        };
        assert!(ok.validate().is_ok());
        let requests = Limits {
            clean_requests: MAX_CLEAN_CACHE + 1,
            ..Limits::default()
        };
        assert_eq!(requests.validate().unwrap_err().0, "limits.clean_requests");
    }

    #[test]
    fn defaults_are_what_the_docs_say() {
        let l = Limits::default();
        assert_eq!(l.max_body, 1_048_576);
        assert_eq!(l.max_file_inspect, 65_536);
        assert_eq!(l.max_value_len, 65_536);
        assert_eq!(l.max_params, 1000);
        assert_eq!(l.max_json_depth, 32);
        assert_eq!(l.max_json_nodes, 10_000);
        assert_eq!(l.max_decode_depth, 3);
        assert_eq!(l.max_views_per_value, 16);
        assert_eq!(l.deadline_us, 20_000);
        assert_eq!(l.clean_cache, 4096);
        assert_eq!(l.clean_requests, 1024);
        assert!(l.validate().is_ok());
        let bad = Limits {
            max_params: 0,
            ..Limits::default()
        };
        assert_eq!(bad.validate().unwrap_err().0, "limits.max_params");
    }
}

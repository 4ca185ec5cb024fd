//! Event: what was seen, where, and what was done. One line per event on the console, one JSON
//! object per event in the JSON-lines file. Field names are the log format (docs/log-format.md).

use serde::Serialize;

/// Where in the request the payload was.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventLocation {
    /// Stable slug: path, qs_values, json_values, cookies_values, headers_values, ...
    pub kind: String,
    /// Parameter, header, cookie or field name, or JSON path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// JSON path inside a decoded value (e.g. a JWT payload or base64 JSON).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inner_path: Option<String>,
}

/// MITRE ATT&CK technique and IronRASP code.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Codes {
    pub mitre: &'static str,
    pub ironrasp: &'static str,
}

/// One security event.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    /// RFC 3339 UTC time.
    pub time: String,
    pub app: String,
    /// Event type (check slug).
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub client: String,
    pub method: String,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<EventLocation>,
    /// The payload made printable and truncated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    /// Decoders that revealed the payload, in order.
    pub decoders: Vec<String>,
    pub score: f32,
    pub evidence: String,
    pub codes: Codes,
    pub action: &'static str,
    /// Console label of the event type.
    #[serde(skip)]
    pub label: &'static str,
}

impl Event {
    /// The console line: `[!] COMMAND INJECTION: qs_values 'q' -> ;cat /etc/passwd (...)`.
    pub fn console_line(&self) -> String {
        let mut s = format!("[!] {}: ", self.label);
        match (&self.location, &self.payload) {
            (Some(loc), Some(p)) => {
                s.push_str(&loc.kind);
                if let Some(n) = &loc.name {
                    s.push_str(&format!(" '{n}'"));
                }
                if let Some(n) = &loc.inner_path {
                    s.push_str(&format!(" {n}"));
                }
                s.push_str(" -> ");
                s.push_str(p);
            }
            _ => s.push_str(&self.evidence),
        }
        s.push_str(&format!(
            " [{} {} {}{}] action={} code={} {}",
            self.client,
            self.method,
            self.path,
            if self.decoders.is_empty() {
                String::new()
            } else {
                format!(" via {}", self.decoders.join(">"))
            },
            self.action,
            self.codes.ironrasp,
            self.codes.mitre
        ));
        s
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Makes a payload printable (control and non-printing characters escaped) and truncates it to
/// `max` characters.
pub fn printable(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (n, c) in text.chars().enumerate() {
        if n >= max {
            out.push('…');
            break;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') =>
            {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// Current time as RFC 3339 UTC with milliseconds, from Unix seconds.
pub fn rfc3339(unix: f64) -> String {
    let secs = unix.floor() as i64;
    let ms = ((unix - secs as f64) * 1000.0).floor() as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{ms:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 -> (year, month, day) (proleptic Gregorian).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_format() {
        assert_eq!(rfc3339(0.0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(1_764_072_000.25), "2025-11-25T12:00:00.250Z");
        assert_eq!(rfc3339(951_782_400.0), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn printable_escapes_and_truncates() {
        assert_eq!(printable("a\nb\u{1b}[31m", 100), "a\\nb\\u{1b}[31m");
        assert_eq!(printable("abcdef", 3), "abc…");
        assert_eq!(printable("x\u{202e}y", 10), "x\\u{202e}y");
    }
}

//! Which address a request really comes from. The TCP peer, unless the peer is one of the
//! configured trusted proxies: then Forwarded / X-Forwarded-For / X-Real-IP are walked from the
//! right, skipping trusted hops, and the first untrusted address is the client. A client that
//! sends these headers itself (not through a trusted proxy) changes nothing: it cannot escape
//! the blacklist, claim a whitelisted address, or get a third party blacklisted.

use crate::request::Request;
use ipnet::IpNet;
use std::net::IpAddr;

/// Resolves client addresses; built once from `trusted_proxies`.
#[derive(Clone, Debug, Default)]
pub struct ClientResolver {
    trusted: Vec<IpNet>,
}

impl ClientResolver {
    pub fn new(trusted: Vec<IpNet>) -> Self {
        ClientResolver { trusted }
    }

    fn is_trusted(&self, ip: IpAddr) -> bool {
        self.trusted.iter().any(|n| n.contains(&ip))
    }

    /// The client address of `req`, or None when even the peer is not an address.
    pub fn resolve(&self, req: &Request) -> Option<IpAddr> {
        let peer = parse_addr(&req.peer)?;
        if !self.is_trusted(peer) {
            return Some(peer);
        }
        let chain = forwarded_chain(req);
        let mut client = peer;
        for hop in chain.iter().rev() {
            match parse_addr(hop) {
                Some(ip) => {
                    client = ip;
                    if !self.is_trusted(ip) {
                        break;
                    }
                }
                // A garbled hop ends the walk: trust stops at the last hop we could verify.
                None => break,
            }
        }
        Some(client)
    }
}

/// The headers a client address is resolved from, beside the peer: nothing else of a request
/// is read here (an adapter answering a remembered request hands over only these).
pub const FORWARDING_HEADERS: [&str; 3] = ["forwarded", "x-forwarded-for", "x-real-ip"];

/// Forwarded `for=` values if that header is present, else X-Forwarded-For, else X-Real-IP;
/// repeated headers are concatenated in order.
fn forwarded_chain(req: &Request) -> Vec<String> {
    let [forwarded, x_forwarded_for, x_real_ip] = FORWARDING_HEADERS;
    let mut out = Vec::new();
    for v in req.header_all(forwarded) {
        for element in v.split(',') {
            for pair in element.split(';') {
                if let Some((k, val)) = pair.trim().split_once('=') {
                    if k.trim().eq_ignore_ascii_case("for") {
                        out.push(val.trim().trim_matches('"').to_string());
                    }
                }
            }
        }
    }
    if out.is_empty() {
        for v in req.header_all(x_forwarded_for) {
            out.extend(
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty()),
            );
        }
    }
    if out.is_empty() {
        if let Some(v) = req.header(x_real_ip) {
            out.push(v.trim().to_string());
        }
    }
    out
}

/// Parses "1.2.3.4", "1.2.3.4:80", "::1", "[::1]:80", "[::1]".
pub fn parse_addr(s: &str) -> Option<IpAddr> {
    let s = crate::ascii_trim::trim(s);
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Some(rest) = s.strip_prefix('[') {
        let end = rest.find(']')?;
        return rest[..end].parse::<IpAddr>().ok().map(canonical);
    }
    let (host, port) = s.rsplit_once(':')?;
    if port.bytes().all(|b| b.is_ascii_digit()) {
        return host.parse::<IpAddr>().ok().map(canonical);
    }
    None
}

/// IPv4-mapped IPv6 addresses are the IPv4 address (one client, one blacklist entry).
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// Parses an address or CIDR ("10.0.0.1", "10.0.0.0/8", "::1", "fd00::/8").
pub fn parse_net(s: &str) -> Option<IpNet> {
    let s = s.trim();
    if let Ok(n) = s.parse::<IpNet>() {
        return Some(n.trunc());
    }
    s.parse::<IpAddr>()
        .ok()
        .map(|ip| IpNet::from(canonical(ip)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(peer: &str, headers: &[(&str, &str)]) -> Request {
        Request {
            peer: peer.into(),
            headers: headers
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            ..Request::default()
        }
    }

    fn resolver(nets: &[&str]) -> ClientResolver {
        ClientResolver::new(nets.iter().map(|n| parse_net(n).unwrap()).collect())
    }

    #[test]
    fn untrusted_peer_headers_are_ignored() {
        let r = resolver(&["10.0.0.0/8"]);
        let q = req(
            "203.0.113.9",
            &[("X-Forwarded-For", "1.1.1.1"), ("X-Real-IP", "2.2.2.2")],
        );
        assert_eq!(r.resolve(&q), Some("203.0.113.9".parse().unwrap()));
    }

    #[test]
    fn trusted_proxy_chain_is_walked_from_the_right() {
        let r = resolver(&["10.0.0.0/8"]);
        // Client spoofs 6.6.6.6 on the left; the proxy appended the real 198.51.100.7.
        let q = req(
            "10.0.0.2",
            &[("X-Forwarded-For", "6.6.6.6, 198.51.100.7, 10.0.0.5")],
        );
        assert_eq!(r.resolve(&q), Some("198.51.100.7".parse().unwrap()));
        let q = req(
            "10.0.0.2",
            &[(
                "Forwarded",
                "for=6.6.6.6, for=\"[2001:db8::17]:4711\";proto=https",
            )],
        );
        assert_eq!(r.resolve(&q), Some("2001:db8::17".parse().unwrap()));
        let q = req("10.0.0.2", &[("X-Real-IP", "198.51.100.8")]);
        assert_eq!(r.resolve(&q), Some("198.51.100.8".parse().unwrap()));
        let q = req("10.0.0.2", &[]);
        assert_eq!(r.resolve(&q), Some("10.0.0.2".parse().unwrap()));
        let q = req("10.0.0.2", &[("X-Forwarded-For", "garbage, 10.0.0.3")]);
        assert_eq!(r.resolve(&q), Some("10.0.0.3".parse().unwrap()));
    }

    #[test]
    fn addresses_parse_in_every_form() {
        assert_eq!(parse_addr("[::1]:80"), Some("::1".parse().unwrap()));
        assert_eq!(parse_addr("1.2.3.4:5"), Some("1.2.3.4".parse().unwrap()));
        assert_eq!(
            parse_addr("::ffff:1.2.3.4"),
            Some("1.2.3.4".parse().unwrap())
        );
        assert_eq!(parse_addr("nope"), None);
        assert!(parse_net("10.0.0.1")
            .unwrap()
            .contains(&"10.0.0.1".parse::<IpAddr>().unwrap()));
        assert!(!parse_net("10.0.0.1")
            .unwrap()
            .contains(&"10.0.0.123".parse::<IpAddr>().unwrap()));
        assert!(parse_net("10.0.0.300").is_none());
    }
}

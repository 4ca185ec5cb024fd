//! Referer and Origin headers that name the site serving the request.
//!
//! A browser fills these with the page the user is on. When the application itself runs on a
//! loopback or private address (a developer's `localhost:5000`, an intranet app on
//! `10.0.0.5`), every click carries such an address, which the SSRF check would otherwise read
//! as a request for an internal host. A page of the application's own host was itself a request
//! to it, inspected then; naming it again is not an SSRF attempt.

use crate::detect::ssrf::{authority_hosts, strip_port};

/// Whether `url` is an http(s) URL whose host (port aside) is the request's `Host` header, for
/// every way a parser may read its authority (the SSRF check's own reading: a backslash or an
/// `@` that moves the host elsewhere for one parser makes it another host).
pub fn names_own_host(url: &str, host_header: &str) -> bool {
    let url = url.trim();
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return false;
    }
    let own = strip_port(host_header.trim());
    let hosts = authority_hosts(rest);
    !own.is_empty() && !hosts.is_empty() && hosts.iter().all(|h| h.eq_ignore_ascii_case(own))
}

#[cfg(test)]
mod tests {
    use super::names_own_host;

    #[test]
    fn the_apps_own_host_whatever_the_port() {
        for (url, host) in [
            ("http://localhost:5000/cart", "localhost:5000"),
            ("http://localhost:3000", "localhost:5000"),
            ("https://10.0.0.5/app?x=1", "10.0.0.5"),
            ("http://[::1]:8000/", "[::1]:8000"),
            ("HTTP://LOCALHOST/", "localhost"),
        ] {
            assert!(names_own_host(url, host), "{url} {host}");
        }
    }

    #[test]
    fn other_hosts_and_tricks_are_not() {
        for (url, host) in [
            ("http://169.254.169.254/", "shop.example.com"),
            ("http://localhost/", "shop.example.com"),
            ("http://localhost@169.254.169.254/", "localhost"),
            ("gopher://localhost/", "localhost"),
            ("localhost/x", "localhost"),
            ("http:///", ""),
            ("http://localhost.evil.com/", "localhost"),
            ("http://[::1]/", "[::2]"),
            ("http://localhost\\@169.254.169.254/", "localhost"),
        ] {
            assert!(!names_own_host(url, host), "{url} {host}");
        }
    }
}

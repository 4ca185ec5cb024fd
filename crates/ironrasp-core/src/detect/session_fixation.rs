//! Session fixation (CWE-384): a request that carries a server framework's session-id cookie
//! name as a parameter (query string, form or multipart field, `;name=` path parameter, or a
//! top-level JSON key) and comes from no page of this site: no Referer, or a Referer naming
//! another host. A session id planted in a link mailed or posted to the victim is the classic
//! way to fix the victim's session before login; the same name sent from the site's own page is
//! how some old applications (PHP `use_trans_sid`, ColdFusion `addtoken`, servlet URL
//! rewriting) pass it legitimately. A cookie is where a session id belongs: cookies are never
//! read here.
//!
//! The names are those frameworks give their session cookie by default. Generic words that
//! many APIs use for other things are deliberately left out (see [`builtin`]); an application
//! names its own cookie with `session_fixation.names`.

use crate::check::Check;
use crate::extract::Location;
use crate::finding::Finding;
use crate::own_origin::names_own_host;
use crate::request::Request;

/// Longest built-in name (with a `__Secure-` prefix and a 32-digit hash) is well below this;
/// longer names are compared with the configured names only.
const MAX_BUILTIN_LEN: usize = 80;

/// `;name=value` parameters of a path looked at, at most.
const MAX_PATH_PARAMS: usize = 32;

/// Where a parameter was found; it decides which names count there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Query,
    Form,
    /// A `;name=value` parameter of a path segment (servlet URL rewriting: `/a;jsessionid=x`).
    Path,
    /// A key of the top-level JSON object.
    Json,
}

impl Place {
    fn words(self) -> &'static str {
        match self {
            Place::Query => "query string",
            Place::Form => "form body",
            Place::Path => "URL path",
            Place::Json => "JSON body",
        }
    }
}

/// The check, with the application's own session cookie names (`session_fixation.names`).
#[derive(Clone, Debug, Default)]
pub struct SessionFixation {
    extra: Vec<String>,
}

impl SessionFixation {
    pub fn new(extra_names: &[String]) -> Self {
        SessionFixation {
            extra: extra_names
                .iter()
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty())
                .collect(),
        }
    }

    /// The framework whose session cookie `name` is, if it is one at `place`.
    pub fn framework(&self, name: &str, place: Place) -> Option<&'static str> {
        // The application's own names count in links and forms. Not in JSON: an API client
        // (a mobile app, a server) may relay its cookie in a body, with no Referer, and no
        // browser can be made to send a JSON body to another site without CORS consent.
        if place != Place::Json && self.extra.iter().any(|x| x.eq_ignore_ascii_case(name)) {
            return Some("application");
        }
        builtin(name, place == Place::Json)
    }

    /// A finding when the input at `location` (with value `value`) plants a session id and
    /// `req` comes from no page of its own host.
    pub fn inspect(&self, location: &Location<'_>, value: &str, req: &Request) -> Option<Finding> {
        self.planted(location, value)?.finding(req)
    }

    /// The session id the input at `location` plants, whatever the request's Referer: the
    /// engine's query memo must not skip a query that holds one.
    pub fn planted<'a>(&self, location: &'a Location<'_>, value: &'a str) -> Option<Planted<'a>> {
        let (name, framework, place) = match location {
            Location::QueryValue(n) => (&**n, self.framework(n, Place::Query)?, Place::Query),
            Location::FormValue(n) | Location::MultipartValue(n) => {
                (&**n, self.framework(n, Place::Form)?, Place::Form)
            }
            Location::Json(path) => {
                let n = top_level_key(path)?;
                (n, self.framework(n, Place::Json)?, Place::Json)
            }
            Location::Path => self.path_parameter(value)?,
            _ => return None,
        };
        Some(Planted {
            name,
            framework,
            place,
        })
    }

    /// The first `;name=` parameter of a path segment that names a session cookie.
    fn path_parameter<'p>(&self, path: &'p str) -> Option<(&'p str, &'static str, Place)> {
        if !path.contains(';') {
            return None;
        }
        path.split('/')
            .flat_map(|seg| seg.split(';').skip(1))
            .take(MAX_PATH_PARAMS)
            .find_map(|p| {
                let name = p.split_once('=').map_or(p, |(n, _)| n);
                Some((name, self.framework(name, Place::Path)?, Place::Path))
            })
    }
}

/// A parameter named like a framework's session cookie.
pub struct Planted<'a> {
    name: &'a str,
    framework: &'static str,
    place: Place,
}

impl Planted<'_> {
    /// A finding unless `req` comes from a page of its own host.
    pub fn finding(&self, req: &Request) -> Option<Finding> {
        let whence = not_from_own_page(req)?;
        let shown = crate::clip::clip(self.name, MAX_BUILTIN_LEN);
        Some(Finding::new(
            Check::SessionFixation,
            1.0,
            format!(
                "{} session id '{shown}' in the {} with {whence}",
                self.framework,
                self.place.words()
            ),
        ))
    }
}

/// Why the request is not from the site's own page, or None when it is. The Referer decides
/// when there is one; without one, an Origin naming the own host stands for it (a same-origin
/// script's POST still sends its Origin under `Referrer-Policy: no-referrer`). A page of
/// another site can set neither header to this site's host.
fn not_from_own_page(req: &Request) -> Option<&'static str> {
    let host = req.header("host");
    let own = |url: &str| host.is_some_and(|h| names_own_host(url, h));
    match req
        .header("referer")
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        Some(r) if own(r) => None,
        Some(_) => Some("a Referer from another host"),
        None if req.header("origin").is_some_and(own) => None,
        None => Some("no Referer"),
    }
}

/// The key of a top-level JSON object member from its path: `$.key` or `$["odd.key"]`.
fn top_level_key(path: &str) -> Option<&str> {
    let rest = path.strip_prefix('$')?;
    // Every JSON leaf of a request passes here, and paths are short: a plain byte loop (a char
    // search or memchr costs more on a dozen bytes).
    if let Some(k) = rest.strip_prefix('.') {
        return k.bytes().all(|c| c != b'.' && c != b'[').then_some(k);
    }
    let k = rest.strip_prefix("[\"")?.strip_suffix("\"]")?;
    k.bytes().all(|c| c != b'"' && c != b'\\').then_some(k)
}

/// The framework whose default session cookie is `name` (ASCII case ignored, a `__Secure-` or
/// `__Host-` cookie prefix ignored). `in_json`: the name is a JSON key, where only names that
/// mean nothing but a session cookie count (a JSON API has many `cfId`, `zenId`, `x.sid` keys
/// of its own; see [`SessionFixation::framework`] for why JSON is read at all this strictly).
///
/// Left out on purpose, because ordinary APIs use them for other things: `session`,
/// `sessionid` / `sessionId` / `session_id` (Django's `sessionid` is one of these; Stripe
/// Checkout returns `?session_id=cs_...` from checkout.stripe.com), `sid` (OpenID Connect
/// front-channel logout), `session_state` (OpenID Connect), `SESSION` (Spring Session), and
/// `<app>_session` for any app (Laravel's custom names: `chat_session`, `user_session` are
/// everyday fields). Django, Flask, Spring Session and custom Laravel apps add their own name
/// to `session_fixation.names`.
pub fn builtin(name: &str, in_json: bool) -> Option<&'static str> {
    let b = name.as_bytes();
    if b.len() < 4 || b.len() > MAX_BUILTIN_LEN {
        return None;
    }
    let mut buf = [0u8; MAX_BUILTIN_LEN];
    let lower = &mut buf[..b.len()];
    lower.copy_from_slice(b);
    lower.make_ascii_lowercase();
    // Cookie name prefixes of secure-only and host-only cookies (Next-Auth, Auth.js...).
    let n: &[u8] = lower
        .strip_prefix(b"__secure-")
        .or_else(|| lower.strip_prefix(b"__host-"))
        .unwrap_or(lower);
    // (framework, also as a JSON key)
    let (framework, json) = match n {
        // PHP's default session.name (also Symfony 2+, Yii, Zend, Laminas).
        b"phpsessid" => ("PHP", true),
        b"asp.net_sessionid" => ("ASP.NET", true),
        b".aspxauth" => ("ASP.NET forms authentication", true),
        b".aspnetcore.session" | b".aspnetcore.cookies" => ("ASP.NET Core", true),
        // ColdFusion client variables, passed in URLs by `addtoken`. `cfId` is a custom
        // field id in many JSON APIs.
        b"cfid" | b"cftoken" => ("ColdFusion", false),
        b"connect.sid" => ("Express", true),
        b"express:sess" => ("Express cookie-session", true),
        b"koa.sess" | b"koa:sess" => ("Koa", true),
        b"laravel_session" => ("Laravel", true),
        b"ci_session" => ("CodeIgniter", true),
        b"cakephp" => ("CakePHP", false),
        b"play_session" => ("Play", true),
        b"rack.session" => ("Rack", true),
        // Rails' ActiveRecord session store and older Rack apps.
        b"_session_id" => ("Rails", false),
        b"meteor_login_token" | b"meteor.logintoken" => ("Meteor", true),
        b"beaker.session.id" => ("Beaker", true),
        b"_zopeid" => ("Zope", true),
        b"cgisessid" => ("Perl CGI::Session", true),
        // Shop systems that carry their PHP session in links.
        b"oscsid" => ("osCommerce", true),
        b"zenid" => ("Zen Cart", false),
        b"weblogicsession" => ("WebLogic", true),
        b"smsession" => ("SiteMinder", true),
        b"domauthsessid" => ("Lotus Domino", true),
        b"pd-h-session-id" | b"pd-s-session-id" => ("IBM WebSEAL", true),
        _ => shaped(n)?,
    };
    (json || !in_json).then_some(framework)
}

/// Names recognised by their shape: the part a framework fixes plus what an application or
/// install adds (a port, a hash of the cookie domain, an app name).
fn shaped(n: &[u8]) -> Option<(&'static str, bool)> {
    // Servlet containers (Tomcat, Jetty, WebLogic, WebSphere, GlassFish): JSESSIONID and its
    // relatives (JSESSIONIDSSO, _WL_AUTHCOOKIE_JSESSIONID, JSESSIONID_8080).
    if contains(n, b"jsessionid") {
        return Some(("Java servlet", true));
    }
    // Classic ASP: ASPSESSIONID and eight letters.
    if n.starts_with(b"aspsessionid") {
        return Some(("classic ASP", true));
    }
    // Apache JServ: JServSessionId and the zone.
    if n.starts_with(b"jservsession") {
        return Some(("Apache JServ", true));
    }
    // Drupal: SESS (http) or SSESS (https) and 32 hex digits of a hash of the cookie domain.
    let drupal = n.strip_prefix(b"ssess").or_else(|| n.strip_prefix(b"sess"));
    if drupal.is_some_and(|h| h.len() == 32 && h.iter().all(u8::is_ascii_hexdigit)) {
        return Some(("Drupal", true));
    }
    // WordPress: wordpress_logged_in_<hash>, wordpress_sec_<hash>, wordpress_<hash>.
    if let Some(rest) = n.strip_prefix(b"wordpress_") {
        let hash = rest.len() == 32 && rest.iter().all(u8::is_ascii_hexdigit);
        if hash || rest.starts_with(b"logged_in") || rest.starts_with(b"sec_") {
            return Some(("WordPress", true));
        }
    }
    // Next-Auth and Auth.js: <name>.session-token, chunked as .session-token.0, .1...
    let token = n
        .iter()
        .rposition(|&c| c == b'.')
        .filter(|&i| n[i + 1..].iter().all(u8::is_ascii_digit) && i + 1 < n.len())
        .map_or(n, |i| &n[..i]);
    if token.len() > b".session-token".len() && token.ends_with(b".session-token") {
        return Some(("Next-Auth", true));
    }
    // express-session and Sails name theirs <app>.sid (connect.sid, sails.sid). Not in JSON:
    // a dotted `x.sid` key there is as likely a security identifier of a directory.
    if let Some(app) = n.strip_suffix(b".sid") {
        if !app.is_empty() && app.iter().all(|&c| is_word(c)) {
            return Some(("Express", false));
        }
    }
    // Rails: _<app>_session. The leading underscore is Rails' own; a plain `<x>_session` is
    // an everyday field name. Not in JSON for the same reason.
    if let Some(app) = n
        .strip_prefix(b"_")
        .and_then(|r| r.strip_suffix(b"_session"))
    {
        if !app.is_empty() && app.iter().all(|&c| is_word(c)) {
            return Some(("Rails", false));
        }
    }
    None
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// Whether `needle` (not empty) occurs in `hay`; names are at most [`MAX_BUILTIN_LEN`] bytes.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w[0] == needle[0] && w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn req(headers: &[(&str, &str)]) -> Request {
        Request {
            method: "GET".into(),
            path: "/login".into(),
            query: String::new(),
            headers: headers
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            body: Vec::new(),
            body_truncated: false,
            peer: "203.0.113.9".into(),
        }
    }

    fn query(name: &str) -> Location<'_> {
        Location::QueryValue(Cow::Borrowed(name))
    }

    #[test]
    fn framework_names_and_shapes() {
        for (name, framework) in [
            ("PHPSESSID", "PHP"),
            ("phpsessid", "PHP"),
            ("JSESSIONID", "Java servlet"),
            ("JSESSIONIDSSO", "Java servlet"),
            ("_WL_AUTHCOOKIE_JSESSIONID", "Java servlet"),
            ("ASPSESSIONIDQSCTRBQA", "classic ASP"),
            ("ASP.NET_SessionId", "ASP.NET"),
            (".AspNetCore.Session", "ASP.NET Core"),
            ("CFID", "ColdFusion"),
            ("CFTOKEN", "ColdFusion"),
            ("connect.sid", "Express"),
            ("myshop.sid", "Express"),
            ("laravel_session", "Laravel"),
            ("ci_session", "CodeIgniter"),
            ("_shop_session", "Rails"),
            ("_my-app_session", "Rails"),
            ("PLAY_SESSION", "Play"),
            ("rack.session", "Rack"),
            ("next-auth.session-token", "Next-Auth"),
            ("__Secure-next-auth.session-token", "Next-Auth"),
            ("__Host-authjs.session-token", "Next-Auth"),
            ("next-auth.session-token.1", "Next-Auth"),
            ("meteor_login_token", "Meteor"),
            ("SESS0123456789abcdef0123456789abcdef", "Drupal"),
            ("SSESS0123456789ABCDEF0123456789ABCDEF", "Drupal"),
            (
                "wordpress_logged_in_0123456789abcdef0123456789abcdef",
                "WordPress",
            ),
            (
                "wordpress_sec_0123456789abcdef0123456789abcdef",
                "WordPress",
            ),
            ("wordpress_0123456789abcdef0123456789abcdef", "WordPress"),
            ("JServSessionIdroot", "Apache JServ"),
            ("WebLogicSession", "WebLogic"),
            ("koa:sess", "Koa"),
        ] {
            assert_eq!(builtin(name, false), Some(framework), "{name}");
        }
    }

    #[test]
    fn everyday_names_are_not_session_cookies() {
        for name in [
            "session",
            "Session",
            "SESSION",
            "sessionId",
            "sessionid",
            "session_id",
            "session-id",
            "session_state",
            "sid",
            "sids",
            "chat_session",
            "user_session",
            "_session",
            "training_session_",
            "sess",
            "SESS0123",
            "SESSxyz56789abcdef0123456789abcdef",
            "wordpress_theme",
            ".sid",
            "a.b.sid",
            ".session-token",
            "session-token",
            "jsession",
            "q",
            "",
            "é",
        ] {
            assert_eq!(builtin(name, false), None, "{name}");
        }
        let long = "x".repeat(1000) + "jsessionid";
        assert_eq!(builtin(&long, false), None);
    }

    #[test]
    fn json_keys_only_when_the_name_means_nothing_else() {
        assert_eq!(builtin("jsessionid", true), Some("Java servlet"));
        assert_eq!(builtin("PHPSESSID", true), Some("PHP"));
        for name in ["cfId", "zenId", "user.sid", "_app_session", "cakephp"] {
            assert!(builtin(name, false).is_some(), "{name}");
            assert_eq!(builtin(name, true), None, "{name}");
        }
        let s = SessionFixation::new(&["SHOP_SID".into()]);
        assert_eq!(s.framework("shop_sid", Place::Query), Some("application"));
        assert_eq!(s.framework("shop_sid", Place::Json), None);
    }

    #[test]
    fn top_level_json_keys() {
        assert_eq!(top_level_key("$.jsessionid"), Some("jsessionid"));
        assert_eq!(
            top_level_key("$[\"asp.net_sessionid\"]"),
            Some("asp.net_sessionid")
        );
        assert_eq!(top_level_key("$.a.jsessionid"), None);
        assert_eq!(top_level_key("$[0].jsessionid"), None);
        assert_eq!(top_level_key("$.a[\"b\"]"), None);
        assert_eq!(top_level_key("$[\"a\\\"b\"]"), None);
        assert_eq!(top_level_key("jsessionid"), None);
    }

    #[test]
    fn referer_decides() {
        let s = SessionFixation::default();
        let loc = query("PHPSESSID");
        let host = ("Host", "shop.example.com");
        let none = s.inspect(&loc, "abc", &req(&[host])).unwrap();
        assert_eq!(none.check, Check::SessionFixation);
        assert!(none.evidence.contains("no Referer"), "{}", none.evidence);
        assert!(none
            .evidence
            .contains("PHP session id 'PHPSESSID' in the query string"));
        let foreign = req(&[host, ("Referer", "https://mail.example.net/inbox")]);
        let f = s.inspect(&loc, "abc", &foreign).unwrap();
        assert!(f.evidence.contains("another host"), "{}", f.evidence);
        // A look-alike of the own host is another host.
        let lookalike = req(&[host, ("Referer", "http://shop.example.com.evil.io/")]);
        assert!(s.inspect(&loc, "abc", &lookalike).is_some());
        let blank = req(&[host, ("Referer", "  ")]);
        assert!(s.inspect(&loc, "abc", &blank).is_some());
        let no_host = req(&[("Referer", "https://shop.example.com/")]);
        assert!(s.inspect(&loc, "abc", &no_host).is_some());
        // The site's own page, whatever the port or scheme.
        for own in [
            ("Referer", "https://shop.example.com/cart"),
            ("Referer", "http://SHOP.example.com:8080/"),
            ("Origin", "https://shop.example.com"),
        ] {
            assert!(
                s.inspect(&loc, "abc", &req(&[host, own])).is_none(),
                "{own:?}"
            );
        }
        // A foreign Referer is not outweighed by an Origin.
        let both = req(&[
            host,
            ("Referer", "https://evil.example/"),
            ("Origin", "https://shop.example.com"),
        ]);
        assert!(s.inspect(&loc, "abc", &both).is_some());
    }

    #[test]
    fn where_a_name_counts() {
        let s = SessionFixation::new(&["shop_sess".into()]);
        let r = req(&[("Host", "shop.example.com")]);
        let found = |loc: Location<'_>, v: &str| s.inspect(&loc, v, &r).map(|f| f.evidence);
        assert!(found(Location::FormValue("jsessionid".into()), "x")
            .is_some_and(|e| e.contains("form body")));
        assert!(found(Location::MultipartValue("PHPSESSID".into()), "x").is_some());
        assert!(found(Location::Json("$.jsessionid".into()), "x")
            .is_some_and(|e| e.contains("JSON body")));
        assert!(found(query("Shop_Sess"), "x").is_some_and(|e| e.contains("application")));
        assert!(found(Location::Json("$.shop_sess".into()), "x").is_none());
        // Cookies and headers are where session ids belong.
        assert!(found(Location::CookieValue("PHPSESSID".into()), "x").is_none());
        assert!(found(Location::Header("phpsessid".into()), "x").is_none());
        assert!(found(Location::Json("$.user.jsessionid".into()), "x").is_none());
        // Servlet URL rewriting.
        assert!(found(Location::Path, "shop/login;jsessionid=ABC123")
            .is_some_and(|e| e.contains("URL path")));
        assert!(found(Location::Path, "a;b=c/d;JSESSIONID").is_some());
        assert!(found(Location::Path, "files/a;b.txt").is_none());
        assert!(found(Location::Path, "login").is_none());
        let many = "x;a=1".repeat(10_000) + ";jsessionid=1";
        assert!(found(Location::Path, &many).is_none(), "bounded");
    }

    #[test]
    fn benign_session_words_pass_even_from_other_sites() {
        let s = SessionFixation::default();
        // Stripe Checkout returns to the shop from checkout.stripe.com.
        let stripe = req(&[
            ("Host", "shop.example.com"),
            ("Referer", "https://checkout.stripe.com/"),
        ]);
        let bare = req(&[("Host", "api.example.com")]);
        for (name, r) in [
            ("session_id", &stripe),
            ("session_state", &stripe),
            ("sid", &stripe),
            ("session", &bare),
            ("sessionId", &bare),
        ] {
            assert!(s.inspect(&query(name), "cs_test_a1", r).is_none(), "{name}");
            let json = Location::Json(format!("$.{name}").into());
            assert!(s.inspect(&json, "x", r).is_none(), "{name}");
        }
    }
}

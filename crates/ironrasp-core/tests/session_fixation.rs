//! Session fixation end to end: a framework's session-id name as a parameter of a request that
//! comes from no page of the site is refused; the same from the site's own page, or in a
//! cookie, passes.

use ironrasp_core::config::{Config, Console, Source};
use ironrasp_core::{Check, Engine, Request, Verdict};

fn engine(toml: &str) -> Engine {
    let mut c = Config::load(Source::Toml(toml), &[]).expect("config");
    c.log.console = Console::Off;
    c.log.banner = false;
    Engine::new(c).expect("engine")
}

fn request(method: &str, path: &str, query: &str, headers: &[(&str, &str)]) -> Request {
    let mut h = vec![("host".to_string(), "shop.example".to_string())];
    h.extend(headers.iter().map(|(a, b)| (a.to_string(), b.to_string())));
    Request {
        method: method.into(),
        path: path.into(),
        query: query.into(),
        headers: h,
        peer: "192.0.2.77".into(),
        ..Request::default()
    }
}

fn post(content_type: &str, body: &str, headers: &[(&str, &str)]) -> Request {
    let mut r = request("POST", "/login", "", headers);
    r.headers
        .push(("content-type".into(), content_type.to_string()));
    r.body = body.as_bytes().to_vec();
    r
}

fn fixation(v: &Verdict) -> Option<&ironrasp_core::event::Event> {
    v.events.iter().find(|e| e.kind == "session_fixation")
}

const FOREIGN: (&str, &str) = ("referer", "https://mail.example.net/inbox/42");
const OWN: (&str, &str) = ("referer", "https://shop.example/account");

#[test]
fn planted_session_ids_are_refused() {
    let e = engine("");
    for (r, kind, name) in [
        (
            request("GET", "/login", "PHPSESSID=abc123", &[]),
            "qs_values",
            Some("PHPSESSID"),
        ),
        (
            request("GET", "/login", "x=1&jsessionid=74B0", &[FOREIGN]),
            "qs_values",
            Some("jsessionid"),
        ),
        (
            post(
                "application/x-www-form-urlencoded",
                "user=a&ASP.NET_SessionId=zz",
                &[FOREIGN],
            ),
            "form_values",
            Some("ASP.NET_SessionId"),
        ),
        (
            post("application/json", r#"{"jsessionid": "foo"}"#, &[]),
            "json_values",
            Some("$.jsessionid"),
        ),
        (
            request("GET", "/shop/login;jsessionid=ABC", "", &[FOREIGN]),
            "path",
            None,
        ),
    ] {
        let v = e.inspect_request(&r);
        assert!(v.blocked, "{r:?}: {:?}", v.events);
        let ev = fixation(&v).unwrap_or_else(|| panic!("{r:?}: {:?}", v.events));
        let loc = ev.location.as_ref().expect("location");
        assert_eq!((loc.kind.as_str(), loc.name.as_deref()), (kind, name));
        assert_eq!(ev.codes.ironrasp, "IR-1009");
        assert_eq!(ev.codes.mitre, "T1185");
    }
}

#[test]
fn the_sites_own_pages_cookies_and_everyday_names_pass() {
    let e = engine("");
    let stripe = ("referer", "https://checkout.stripe.com/");
    for r in [
        request("GET", "/login", "PHPSESSID=abc123", &[OWN]),
        request(
            "GET",
            "/login",
            "jsessionid=abc",
            &[("origin", "http://shop.example:8080")],
        ),
        request(
            "GET",
            "/login",
            "",
            &[("cookie", "PHPSESSID=abc123; JSESSIONID=x")],
        ),
        request("GET", "/done", "session_id=cs_test_a1b2c3", &[stripe]),
        request(
            "GET",
            "/cb",
            "code=x&state=y&session_state=abc.def",
            &[stripe],
        ),
        request(
            "GET",
            "/logout",
            "iss=https%3A%2F%2Fidp.example&sid=08a5",
            &[],
        ),
        request("GET", "/collect", "session=1&sessionId=77", &[]),
        post(
            "application/json",
            r#"{"session": "a", "sessionId": "b"}"#,
            &[],
        ),
        // A JSON API client relaying a name that means other things in JSON.
        post(
            "application/json",
            r#"{"cfId": "12", "app.sid": "S-1-5"}"#,
            &[],
        ),
    ] {
        let v = e.inspect_request(&r);
        assert!(fixation(&v).is_none(), "{r:?}: {:?}", v.events);
        assert!(!v.blocked, "{r:?}: {:?}", v.events);
    }
}

#[test]
fn one_event_per_request() {
    let e = engine("");
    let v = e.inspect_request(&request(
        "GET",
        "/login.cfm",
        "CFID=1&CFTOKEN=2&PHPSESSID=3",
        &[],
    ));
    let n = v
        .events
        .iter()
        .filter(|e| e.kind == "session_fixation")
        .count();
    assert_eq!(n, 1, "{:?}", v.events);
}

#[test]
fn follows_its_configuration() {
    let r = request("GET", "/", "myapp_sid=1", &[]);
    assert!(fixation(&engine("").inspect_request(&r)).is_none());
    let e = engine("[session_fixation]\nnames = ['MYAPP_SID']");
    assert!(e.inspect_request(&r).blocked);
    let e = engine("[session_fixation]\naction = 'log'");
    let v = e.inspect_request(&request("GET", "/", "PHPSESSID=1", &[]));
    assert!(!v.blocked && fixation(&v).is_some_and(|ev| ev.action == "log"));
    let e = engine("[session_fixation]\nenabled = false");
    assert!(!e.check_active(Check::SessionFixation));
    let v = e.inspect_request(&request("GET", "/", "PHPSESSID=1", &[]));
    assert!(!v.blocked && v.events.is_empty(), "{:?}", v.events);
    assert!(!e.banner().contains("session_fixation"));
    assert!(engine("").banner().contains("session_fixation"));
}

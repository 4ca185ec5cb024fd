//! The engine end to end, without Python: request-level checks with a driven clock, and hostile
//! inputs answered in milliseconds with what was not inspected reported.

use ironrasp_core::config::{Config, Console, Source};
use ironrasp_core::{Check, Engine, Request, Response};

fn engine(toml: &str) -> Engine {
    let mut c = Config::load(Source::Toml(toml), &[]).expect("config");
    c.log.console = Console::Off;
    c.log.banner = false;
    Engine::new(c).expect("engine")
}

fn get(path: &str, query: &str, peer: &str) -> Request {
    Request {
        method: "GET".into(),
        path: path.into(),
        query: query.into(),
        headers: vec![("host".into(), "shop.example".into())],
        peer: peer.into(),
        ..Request::default()
    }
}

fn types(v: &ironrasp_core::Verdict) -> Vec<&'static str> {
    v.events.iter().map(|e| e.kind).collect()
}

#[test]
fn flood_window_slides_with_the_clock() {
    let e = engine("[flood]\nmax_requests = 3\nwindow = 10");
    let r = get("/", "", "192.0.2.1");
    for i in 0..3 {
        assert!(!e.inspect_request_at(&r, 100.0 + i as f64).blocked);
    }
    assert!(e.inspect_request_at(&r, 103.0).blocked);
    // Two windows later the address starts afresh.
    assert!(!e.inspect_request_at(&r, 130.0).blocked);
}

#[test]
fn blacklist_expires_with_the_clock() {
    let e = engine("blacklist_ttl = 60");
    let v = e.inspect_request_at(&get("/.env", "", "192.0.2.2"), 1000.0);
    assert!(v.blocked);
    assert_eq!(types(&v), vec!["decoy"]);
    let v = e.inspect_request_at(&get("/", "", "192.0.2.2"), 1059.0);
    assert_eq!(types(&v), vec!["blacklist"]);
    assert!(
        !e.inspect_request_at(&get("/", "", "192.0.2.2"), 1061.0)
            .blocked
    );
}

#[test]
fn brute_force_counts_responses_and_blacklists() {
    let e = engine("[brute_force]\nmax_errors = 2\nwindow = 60");
    // Adapters call inspect_response only for these.
    assert!(e.response_statuses().contains(&401) && !e.response_statuses().contains(&200));
    assert!(engine("[brute_force]\nenabled = false")
        .response_statuses()
        .is_empty());
    let resp = Response {
        status: 401,
        headers: vec![],
    };
    for _ in 0..2 {
        let v = e.inspect_response_at("192.0.2.3", "POST", "/login", &resp, false, 10.0);
        assert!(v.events.is_empty());
    }
    let v = e.inspect_response_at("192.0.2.3", "POST", "/login", &resp, false, 11.0);
    assert_eq!(types(&v), vec!["brute_force"]);
    assert!(
        e.inspect_request_at(&get("/", "", "192.0.2.3"), 12.0)
            .blocked
    );
    // An OK response never counts.
    let ok = Response {
        status: 200,
        headers: vec![],
    };
    assert!(e
        .inspect_response_at("192.0.2.4", "GET", "/", &ok, false, 12.0)
        .events
        .is_empty());
}

#[test]
fn routes_decide_decoys_and_validation() {
    let e = engine("");
    e.set_routes(&[
        ("/".into(), vec!["GET".into()]),
        ("/wp-admin/".into(), vec!["GET".into()]),
    ]);
    assert!(
        !e.inspect_request(&get("/wp-admin/", "", "192.0.2.5"))
            .blocked
    );
    let v = e.inspect_request(&get("/nothing", "", "192.0.2.5"));
    assert_eq!(types(&v), vec!["unrouted_path"]);
    assert!(!v.blocked && v.error_counted);
    let mut post = get("/", "", "192.0.2.5");
    post.method = "POST".into();
    assert_eq!(types(&e.inspect_request(&post)), vec!["method_not_allowed"]);
}

// Hostile inputs: each is answered and what was not inspected is reported. How long they
// take is measured by the criterion bench (benches/inspect.rs, `hostile/*`), not asserted.

fn limit_evidence(v: &ironrasp_core::Verdict) -> String {
    v.events
        .iter()
        .filter(|e| e.kind == "limit_exceeded")
        .map(|e| e.evidence.clone())
        .collect()
}

#[test]
fn ten_megabyte_value() {
    let e = engine("");
    let mut r = get("/search", "", "192.0.2.10");
    r.query = format!("q={}", "A%2F..".repeat(10 * 1024 * 1024 / 6));
    let v = e.inspect_request(&r);
    // Debug builds may spend the whole time budget parsing 10 MB; either way it is reported.
    let ev = limit_evidence(&v);
    assert!(
        ev.contains("max_value_len") || ev.contains("deadline_us"),
        "{:?}",
        v.events
    );
}

#[test]
fn ten_thousand_deep_json() {
    let e = engine("");
    let mut r = get("/api", "", "192.0.2.11");
    r.method = "POST".into();
    r.headers
        .push(("content-type".into(), "application/json".into()));
    r.body = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes();
    let v = e.inspect_request(&r);
    assert!(limit_evidence(&v).contains("max_json_depth"));
}

#[test]
fn base64_nested_fifty_times() {
    use base64::Engine as _;
    let e = engine("");
    let mut s = String::from("; cat /etc/passwd");
    for _ in 0..50 {
        s = base64::engine::general_purpose::STANDARD.encode(s.as_bytes());
    }
    s.truncate(60_000);
    let mut r = get("/search", "", "192.0.2.12");
    r.query = format!("q={s}");
    let v = e.inspect_request(&r);
    assert!(
        limit_evidence(&v).contains("max_decode_depth"),
        "{:?}",
        v.events
    );
}

#[test]
fn invalid_utf8() {
    let e = engine("");
    let mut r = get("/search", "q=%ff%fe%c0%80", "192.0.2.13");
    r.method = "POST".into();
    r.headers.push((
        "content-type".into(),
        "application/x-www-form-urlencoded".into(),
    ));
    r.body = vec![0xff, 0xfe, b'=', 0xc0, 0xaf, 0x00, b'&', b'a', b'=', 0x80];
    let _ = e.inspect_request(&r);
    r.headers[1].1 = "application/json".into();
    r.body = b"{\"a\": \"\xff\xfe\"}".to_vec();
    let _ = e.inspect_request(&r);
    r.headers[1].1 = "multipart/form-data; boundary=\u{fffd}(".into();
    let _ = e.inspect_request(&r);
}

#[test]
fn hundred_thousand_parameters() {
    let e = engine("");
    let q: Vec<String> = (0..100_000).map(|i| format!("p{i}=v{i}")).collect();
    let v = e.inspect_request(&get("/search", &q.join("&"), "192.0.2.14"));
    assert!(limit_evidence(&v).contains("max_params"));
}

#[test]
fn deadline_is_reported() {
    let e = engine("[limits]\ndeadline_us = 1");
    let q: Vec<String> = (0..500).map(|i| format!("p{i}=%2541%2542")).collect();
    let v = e.inspect_request(&get("/search", &q.join("&"), "192.0.2.15"));
    assert!(limit_evidence(&v).contains("deadline_us"), "{:?}", v.events);
}

#[test]
fn the_deadline_is_checked_after_a_long_value_not_only_every_eighth_input() {
    // The first value alone (8 KB) outlasts a 1 µs deadline; the attack after it is the
    // second input, which the every-eighth-input reading alone would still have inspected.
    let e = engine("[limits]\ndeadline_us = 1");
    let long = "a+b+".repeat(2048);
    let body = format!("note={long}&cmd=%3B+cat+%2Fetc%2Fpasswd");
    let v = e.inspect_request(&form_post(body.as_bytes()));
    assert!(limit_evidence(&v).contains("deadline_us"), "{:?}", v.events);
    assert!(!types(&v).contains(&"cmdi"), "{:?}", v.events);
    // With time to spare, the same request is read whole.
    let e = engine("");
    let v = e.inspect_request(&form_post(body.as_bytes()));
    assert!(types(&v).contains(&"cmdi"), "{:?}", v.events);
    assert!(
        !limit_evidence(&v).contains("deadline_us"),
        "{:?}",
        v.events
    );
}

#[test]
fn a_private_address_sent_plainly_is_a_setting_but_not_when_decoded() {
    let e = engine("");
    let ssrf = |v: &str| e.scan_value(v).iter().any(|f| f.check == Check::Ssrf);
    for plain in [
        "192.168.1.10",
        "10.0.0.53",
        "172.16.0.1",
        "100.64.0.1",
        // A node of a document in the value is as plain as the value.
        r#"{"dns": "10.0.0.53"}"#,
        r#"<?xml version="1.0"?><net><ip>192.168.1.10</ip></net>"#,
        // base64 of such a document ({"dns": "10.0.0.53"}): the address itself is not encoded.
        "eyJkbnMiOiAiMTAuMC4wLjUzIn0=",
    ] {
        assert!(!ssrf(plain), "{plain}");
    }
    for target in [
        "0.0.0.0",
        "127.0.0.1",
        "169.254.169.254",
        "10.0.0.5:6379",
        "http://192.168.1.10/",
        "%31%30.0.0.1",
        "10%2e0%2e0%2e1",
        "\u{ff11}\u{ff10}.0.0.1",
        "10\u{3002}0\u{3002}0\u{3002}1",
        "MTAuMC4wLjE=",
        "&#49;&#48;.0.0.1",
        "\\x31\\x30.0.0.1",
        // Inside a document, an address that was itself encoded.
        r#"{"dns": "MTAuMC4wLjE="}"#,
    ] {
        assert!(ssrf(target), "{target}");
    }
    // A router's settings posted as JSON pass.
    let mut post = get("/settings", "", "192.0.2.19");
    post.method = "POST".into();
    post.headers
        .push(("content-type".into(), "application/json".into()));
    post.body =
        br#"{"ip": "192.168.1.10", "gateway": "192.168.1.1", "dns": ["10.0.0.53"]}"#.to_vec();
    let v = e.inspect_request(&post);
    assert!(!types(&v).contains(&"ssrf"), "{:?}", v.events);
}

#[test]
fn an_xml_body_is_taken_apart_once() {
    // Its nodes are inputs of their own; the `xml` decoder does not read the body again (one
    // event, not a second one for the body with decoders ["xml"]). The same document in a
    // form field is read by the decoder.
    let e = engine("");
    let doc = r#"<?xml version="1.0"?><Envelope><Body><getOrder id="1 OR 1=1"/></Body></Envelope>"#;
    let mut post = get("/orders", "", "192.0.2.20");
    post.method = "POST".into();
    post.headers
        .push(("content-type".into(), "application/xml".into()));
    post.body = doc.as_bytes().to_vec();
    let v = e.inspect_request(&post);
    let sqli: Vec<_> = v.events.iter().filter(|e| e.kind == "sqli").collect();
    assert_eq!(sqli.len(), 1, "{:?}", v.events);
    let at = sqli[0].location.as_ref().expect("location");
    assert_eq!(
        (at.kind.as_str(), at.name.as_deref()),
        ("xml_values", Some("/Envelope/Body/getOrder/@id"))
    );
    let field = format!("doc={}", doc.replace('=', "%3D").replace(' ', "+"));
    let v = e.inspect_request(&form_post(field.as_bytes()));
    assert!(types(&v).contains(&"sqli"), "{:?}", v.events);
    // A stray end tag does not end the walk: the node after it is read.
    let stray = r#"<?xml version="1.0"?><r><Body></x><getOrder id="1 OR 1=1"/></Body></r>"#;
    let mut post = post.clone();
    post.body = stray.as_bytes().to_vec();
    post.peer = "192.0.2.21".into();
    let v = e.inspect_request(&post);
    assert!(types(&v).contains(&"sqli"), "{:?}", v.events);
}

/// A SAML 2.0 response as identity providers post it (signature values shortened).
const SAML_RESPONSE: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_8e8dc5f69a98cc4c1ff3427e5ce34606fd672f91e6" Version="2.0" IssueInstant="2026-11-27T05:00:00Z" Destination="https://sp.example.com/acs" InResponseTo="ONELOGIN_4fee3b046395c4e751011e97f8900b5273d56685">
  <saml:Issuer>https://idp.example.com/metadata.php</saml:Issuer>
  <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
  <saml:Assertion xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema" ID="_d71a3a8e9fcc45c9e9d248ef7049393fc8f04e5f75" Version="2.0" IssueInstant="2026-11-27T05:00:00Z">
    <saml:Issuer>https://idp.example.com/metadata.php</saml:Issuer>
    <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#_d71a3a8e9fcc45c9e9d248ef7049393fc8f04e5f75"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>tQ3rE9gS4mZ5Xo3F0KxVBSd2S9Yh2bXqE0pX1rW6Zq8=</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>kP3oZ7mQ1uVbX8rT2yN5wE6aS9dF0gH4jK7lC1vB3nM8qW2eR5tY6uI9oP0aS3dF6gH8jK1lZ4xC7vB0nM3qW5eR8tY2uI6oP9aS1dF4gH7jK0lZ3xC6vB9nM2qW==</ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>MIICajCCAdOgAwIBAgIBADANBgkqhkiG9w0BAQ0FADBSMQswCQYDVQQGEwJ1czETMBEGA1UECAwKQ2FsaWZvcm5pYTEVMBMGA1UECgwMT25lbG9naW4gSW5jMRcwFQYDVQQDDA5zcC5leGFtcGxlLmNvbTAeFw0xNDA3MTcxNDEyNTZaFw0xNTA3MTcxNDEyNTZa</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>
    <saml:Subject><saml:NameID SPNameQualifier="https://sp.example.com/metadata" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient">_ce3d2948b4cf20146dee0a0b3dd6f69b6cf86f62d7</saml:NameID>
      <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="2026-11-27T05:05:00Z" Recipient="https://sp.example.com/acs" InResponseTo="ONELOGIN_4fee3b046395c4e751011e97f8900b5273d56685"/></saml:SubjectConfirmation>
    </saml:Subject>
    <saml:Conditions NotBefore="2026-11-27T04:59:30Z" NotOnOrAfter="2026-11-27T05:05:00Z"><saml:AudienceRestriction><saml:Audience>https://sp.example.com/metadata</saml:Audience></saml:AudienceRestriction></saml:Conditions>
    <saml:AuthnStatement AuthnInstant="2026-11-27T05:00:00Z" SessionNotOnOrAfter="2026-11-27T13:00:00Z" SessionIndex="_be9967abd904ddcae3c0eb4189adbe3f71e327cf93"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>
    <saml:AttributeStatement><saml:Attribute Name="mail" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic"><saml:AttributeValue xsi:type="xs:string">siobhan@example.com</saml:AttributeValue></saml:Attribute><saml:Attribute Name="displayName" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic"><saml:AttributeValue xsi:type="xs:string">Siobhán O'Brien</saml:AttributeValue></saml:Attribute><saml:Attribute Name="eduPersonAffiliation" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic"><saml:AttributeValue xsi:type="xs:string">member</saml:AttributeValue><saml:AttributeValue xsi:type="xs:string">staff</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>
  </saml:Assertion>
</samlp:Response>"##;

#[test]
fn a_saml_login_is_read_whole_without_a_bound() {
    use base64::Engine as _;
    // The bound under test is size. An unoptimized build on a busy test runner can spend more
    // than the default 20 ms on this request, which reports the deadline (a log event).
    let e = engine("[limits]\ndeadline_us = 5000000");
    let b64 = base64::engine::general_purpose::STANDARD.encode(SAML_RESPONSE);
    let field: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("SAMLResponse", &b64)
        .append_pair("RelayState", "https://sp.example.com/dashboard")
        .finish();
    let v = e.inspect_request(&form_post(field.as_bytes()));
    assert!(v.events.is_empty(), "{:?}", v.events);
    // The same response with a payload in one attribute value is refused at that node.
    let hostile = SAML_RESPONSE.replace(
        "<saml:Attribute Name=\"mail\"",
        "<saml:Attribute Name=\"mail' OR '1'='1\"",
    );
    let b64 = base64::engine::general_purpose::STANDARD.encode(hostile);
    let field: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("SAMLResponse", &b64)
        .finish();
    let v = e.inspect_request(&form_post(field.as_bytes()));
    assert!(types(&v).contains(&"sqli"), "{:?}", v.events);
}

#[test]
fn graphql_variables_in_a_query_string_are_read_whole_without_a_bound() {
    // A GraphQL GET carries its variables as JSON in the query: 20 string fields are more
    // than the 16 views of other decoders, not more than a document's nodes may take.
    let e = engine("");
    let fields: Vec<String> = (0..20)
        .map(|i| format!(r#""field{i}":"value number {i}""#))
        .collect();
    let vars = format!(r#"{{"input":{{{}}}}}"#, fields.join(","));
    let q: String = form_urlencoded::Serializer::new(String::new())
        .append_pair(
            "query",
            "mutation U($input: In!) { update(input: $input) { id } }",
        )
        .append_pair("variables", &vars)
        .finish();
    let v = e.inspect_request(&get("/graphql", &q, "192.0.2.22"));
    assert!(v.events.is_empty(), "{:?}", v.events);
    let hostile = vars.replace("value number 7", "x' OR '1'='1' --");
    let q: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("variables", &hostile)
        .finish();
    let v = e.inspect_request(&get("/graphql", &q, "192.0.2.23"));
    assert!(types(&v).contains(&"sqli"), "{:?}", v.events);
}

#[test]
fn a_raw_plus_beside_escapes_is_read_both_ways() {
    // A cookie, header or JSON value is not form-decoded: an application that percent-decodes
    // it (`unquote`) keeps a raw '+' a plus. Reading it only as a space hid these.
    let e = engine("");
    let mut r = get("/", "", "192.0.2.16");
    r.headers
        .push(("cookie".into(), "tpl=%7B%7B7+7%7D%7D".into()));
    let v = e.inspect_request(&r);
    assert!(types(&v).contains(&"ssti"), "{:?}", v.events);
    // Base64 with one '+' escaped and the others raw: its plus reading decodes to markup.
    let mut r = get("/", "", "192.0.2.17");
    r.headers.push((
        "cookie".into(),
        "p=PGltZyBzcmM9eCBvbmVycm9yPWFsZXJ0KDEpPj4%2BPz4+Pw%3D%3D".into(),
    ));
    let v = e.inspect_request(&r);
    assert!(types(&v).contains(&"xss"), "{:?}", v.events);
    // The form reading stays: a payload list's `%27+OR+%271%27=%271`.
    let v = e.inspect_request(&get("/", "q=%2527+OR+%25271%2527=%25271", "192.0.2.18"));
    assert!(types(&v).contains(&"sqli"), "{:?}", v.events);
}

/// A POST uploading one file named `file_name` (a harmless body) as field `f`.
fn upload(file_name: &str, peer: &str) -> Request {
    let mut r = get("/upload", "", peer);
    r.method = "POST".into();
    r.headers.push((
        "content-type".into(),
        "multipart/form-data; boundary=XX".into(),
    ));
    r.body = format!(
        "--XX\r\nContent-Disposition: form-data; name=\"f\"; filename=\"{file_name}\"\r\n\
Content-Type: application/octet-stream\r\n\r\nhello\r\n--XX--\r\n"
    )
    .into_bytes();
    r
}

#[test]
fn uploads_named_to_run_on_the_server_are_refused() {
    let e = engine("");
    for (i, name) in [
        "a.php",
        "shell.phtml....",
        ".htaccess",
        "x.php.jpg",
        "a.asp;.jpg",
    ]
    .iter()
    .enumerate()
    {
        let v = e.inspect_request(&upload(name, &format!("192.0.2.{}", 30 + i)));
        assert!(v.blocked, "{name}: {:?}", v.events);
        let ev = v.events.iter().find(|e| e.kind == "unsafe_upload");
        let ev = ev.unwrap_or_else(|| panic!("{name}: {:?}", v.events));
        let loc = ev.location.as_ref().expect("location");
        assert_eq!(
            (loc.kind.as_str(), loc.name.as_deref()),
            ("multipart_filenames", Some("f"))
        );
        assert_eq!(ev.codes.ironrasp, "IR-2014");
    }
    for name in [
        "photo.jpg",
        "report.pdf",
        "php-manual.pdf",
        "archive.tar.gz",
    ] {
        let v = e.inspect_request(&upload(name, "192.0.2.40"));
        assert!(!v.blocked && v.events.is_empty(), "{name}: {:?}", v.events);
    }
}

#[test]
fn upload_name_headers_are_judged_as_file_names() {
    let e = engine("");
    let with = |name: &str, value: &str| {
        let mut r = get("/upload", "", "192.0.2.41");
        r.headers.push((name.into(), value.into()));
        e.inspect_request(&r)
    };
    for (h, v) in [
        ("X-File-Name", "a.php"),
        ("x-filename", "fda.php5..."),
        ("X.Filename", "sess_d8ew88tqmabdcokhumchy8htqm"),
        (
            "Content-Disposition",
            "attachment; filename=\"shell.phtml\"",
        ),
    ] {
        let verdict = with(h, v);
        assert!(verdict.blocked, "{h}: {v}");
        assert!(types(&verdict).contains(&"unsafe_upload"), "{h}: {v}");
    }
    assert!(!with("X-File-Name", "photo.jpg").blocked);
    // The same name elsewhere is only a word: no location-blind finding.
    assert!(!with("X-Title", "a.php").blocked);
    let v = e.inspect_request(&get("/search", "q=a.php&f=.htaccess", "192.0.2.42"));
    assert!(!types(&v).contains(&"unsafe_upload"), "{:?}", v.events);
    // Seen clean as a query value first, the name is still judged as an upload name.
    assert!(with("X-File-Name", "a.php").blocked);
}

#[test]
fn unsafe_upload_follows_its_configuration() {
    let e = engine("[unsafe_upload]\naction = \"log\"");
    let v = e.inspect_request(&upload("a.php", "192.0.2.43"));
    assert!(!v.blocked);
    assert_eq!(types(&v), vec!["unsafe_upload"]);
    let e = engine("[unsafe_upload]\nenabled = false");
    assert!(!e.check_active(ironrasp_core::Check::UnsafeUpload));
    assert!(!e.inspect_request(&upload("a.php", "192.0.2.44")).blocked);
}

#[test]
fn referer_and_origin_of_the_apps_own_host_are_not_ssrf() {
    let e = engine("");
    let with = |host: &str, name: &str, value: &str| Request {
        headers: vec![("host".into(), host.into()), (name.into(), value.into())],
        ..get("/", "", "192.0.2.40")
    };
    // A developer's browser on localhost, a front-end dev server on another port, an
    // intranet app served on its private address: the page the user is on.
    for (host, name, value) in [
        ("localhost:5000", "Referer", "http://localhost:5000/cart"),
        ("localhost:5000", "Origin", "http://localhost:3000"),
        ("10.0.0.5", "Referer", "http://10.0.0.5/reports?y=2026"),
    ] {
        let v = e.inspect_request(&with(host, name, value));
        assert!(!v.blocked, "{host} {value}: {:?}", types(&v));
    }
    // Another host, or the own host hidden behind userinfo, is still SSRF.
    for (host, value) in [
        ("shop.example", "http://169.254.169.254/latest/meta-data/"),
        ("localhost", "http://localhost@169.254.169.254/"),
    ] {
        let v = e.inspect_request(&with(host, "Referer", value));
        assert!(v.blocked && types(&v).contains(&"ssrf"), "{value}");
    }
}

#[test]
fn a_query_string_seen_clean_is_not_taken_apart_again_unless_it_was_not_whole() {
    let e = engine("[limits]\nmax_params = 6\nmax_value_len = 64");
    let peer = "192.0.2.16";
    // Clean: the same query again is still clean, and the rest of the request is still read.
    let clean = "q=running+shoes&size=42&brand=O%27Neill";
    for _ in 0..2 {
        assert!(types(&e.inspect_request(&get("/search", clean, peer))).is_empty());
    }
    let mut r = get("/search", clean, peer);
    r.headers.push(("x-note".into(), "' OR 1=1 --".into()));
    assert_eq!(types(&e.inspect_request(&r)), ["sqli"]);
    // A finding is never remembered as clean.
    for _ in 0..2 {
        let v = e.inspect_request(&get(
            "/search",
            "q=1' UNION SELECT password FROM users--",
            peer,
        ));
        assert!(v.blocked && types(&v).contains(&"sqli"));
    }
    // Bounds met (too many parameters, a value cut short) are reported every time.
    let many = "a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8";
    let long = format!("q={}", "word ".repeat(40));
    for q in [many, long.as_str(), many, long.as_str()] {
        let v = e.inspect_request(&get("/search", q, peer));
        assert!(!limit_evidence(&v).is_empty(), "{q}: {:?}", v.events);
    }
    // Repeated names are joined and read last: an injection split across repeats (each part
    // clean alone) is found each time.
    let split = "q=1+UNI&q=ON+SELECT+1";
    for _ in 0..2 {
        let v = e.inspect_request(&get("/search", split, peer));
        assert!(types(&v).contains(&"sqli"), "{:?}", v.events);
    }
}

#[test]
fn a_query_holding_a_session_cookie_name_is_judged_by_each_requests_referer() {
    let e = engine("");
    let q = "PHPSESSID=abc123&page=2";
    let mut own = get("/login", q, "192.0.2.17");
    own.headers
        .push(("referer".into(), "https://shop.example/cart".into()));
    for _ in 0..2 {
        assert!(types(&e.inspect_request(&own)).is_empty());
    }
    // The same query string, mailed: no Referer.
    let v = e.inspect_request(&get("/login", q, "192.0.2.17"));
    assert_eq!(types(&v), ["session_fixation"]);
}

/// A form POST to /search with `body`.
fn form_post(body: &[u8]) -> Request {
    let mut post = get("/search", "", "192.0.2.18");
    post.method = "POST".into();
    post.headers.push((
        "content-type".into(),
        "application/x-www-form-urlencoded".into(),
    ));
    post.body = body.to_vec();
    post
}

fn with_headers(query: &str, headers: &[(&str, &str)]) -> Request {
    let mut r = get("/search", query, "192.0.2.18");
    r.headers
        .extend(headers.iter().map(|(n, v)| (n.to_string(), v.to_string())));
    r
}

#[test]
fn a_header_set_seen_clean_is_not_inspected_again_unless_it_was_not_whole() {
    let e = engine("[limits]\nmax_params = 6\nmax_value_len = 64");
    let browser = [
        (
            "user-agent",
            "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0",
        ),
        ("accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"),
        ("accept-language", "en-GB,en;q=0.9"),
        ("referer", "https://shop.example/cart"),
    ];
    for _ in 0..2 {
        assert!(types(&e.inspect_request(&with_headers("", &browser))).is_empty());
    }
    // One more header, or one value changed, is another set: inspected.
    let mut more = browser.to_vec();
    more.push(("x-note", "' OR 1=1 --"));
    assert_eq!(
        types(&e.inspect_request(&with_headers("", &more))),
        ["sqli"]
    );
    let mut changed = browser;
    changed[3] = ("referer", "<script>alert(1)</script>");
    for _ in 0..2 {
        let v = e.inspect_request(&with_headers("", &changed));
        assert!(v.blocked && types(&v).contains(&"xss"), "{:?}", v.events);
    }
    // A value cut short is reported every time.
    let mut long = browser;
    let words = "word ".repeat(40);
    long[0] = ("user-agent", &words);
    for _ in 0..2 {
        assert!(!limit_evidence(&e.inspect_request(&with_headers("", &long))).is_empty());
    }
    // A remembered set still counts towards max_params: 3 parameters and the 4 headers are 7.
    for _ in 0..2 {
        let v = e.inspect_request(&with_headers("a=1&b=2&c=3", &browser));
        assert!(limit_evidence(&v).contains("max_params"), "{:?}", v.events);
    }
    let v = e.inspect_request(&with_headers("a=1&b=2", &browser));
    assert!(
        limit_evidence(&v).is_empty(),
        "6 inputs fit: {:?}",
        v.events
    );
}

/// How many times `inspect_request_gated` called its `before_work`, and the verdict's events.
fn gate_calls(e: &Engine, req: &Request) -> (u32, Vec<&'static str>) {
    let mut calls = 0;
    let v = e.inspect_request_gated(req, 1_700_000_000.0, &mut || calls += 1);
    (calls, types(&v))
}

#[test]
fn work_beyond_the_memos_is_announced_once_before_it_starts() {
    let e = engine("");
    // A few short new values (81 bytes) are inspected without announcing anything: they cost
    // less than what an adapter does when announced (handing the GIL over and back).
    let short = with_headers(
        "q=red+shoes&size=42",
        &[(
            "user-agent",
            "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0",
        )],
    );
    assert_eq!(gate_calls(&e, &short), (0, vec![]));
    let attack = with_headers("q=1' OR '1'='1", &[]);
    assert_eq!(gate_calls(&e, &attack), (0, vec!["sqli"]));
    // New values of more than FRESH_BYTES_BEFORE_WORK in all: announced once, however many
    // values there are, and before the detectors that exceed the budget.
    let prose = "Can you drop the table booking for tonight? We will be late.";
    let query: String = (0..6).map(|i| format!("note{i}={i}+{prose}&")).collect();
    let req = with_headers(&query, &[]);
    assert!(query.len() > ironrasp_core::engine::FRESH_BYTES_BEFORE_WORK);
    assert_eq!(gate_calls(&e, &req), (1, vec![]));
    // The same request again is answered from the memos: no announcement.
    assert_eq!(gate_calls(&e, &req), (0, vec![]));
    // A body is parsed after the announcement, even when its values are known ("red shoes"
    // and "42" were in the query above); the same request again is remembered whole.
    let mut post = form_post(b"q=red+shoes");
    assert_eq!(gate_calls(&e, &post), (1, vec![]));
    assert_eq!(gate_calls(&e, &post), (0, vec![]));
    // The same body in another request (one more header, its value known) is not parsed
    // again: the body was remembered whole.
    let mut other = post.clone();
    other.headers.push(("x-note".into(), "red shoes".into()));
    assert_eq!(gate_calls(&e, &other), (0, vec![]));
    post.body = b"size=42".to_vec();
    assert_eq!(gate_calls(&e, &post), (1, vec![]));
    // A large request is announced before anything, even when the memos know all of it.
    let big = get(
        "/search",
        &format!("q={}", "a".repeat(20 * 1024)),
        "192.0.2.18",
    );
    assert_eq!(gate_calls(&e, &big).0, 1);
    assert_eq!(gate_calls(&e, &big).0, 1);
    // With the memo off, every request with more than a few short values is work.
    let off = engine("[limits]\nclean_cache = 0");
    assert_eq!(gate_calls(&off, &req), (1, vec![]));
    assert_eq!(gate_calls(&off, &req), (1, vec![]));
    assert_eq!(gate_calls(&off, &short), (0, vec![]));
}

#[test]
fn a_request_seen_whole_and_clean_still_meets_the_clients_checks_and_new_routes() {
    let e = engine("blacklist_ttl = 60\n[flood]\nmax_requests = 3\nwindow = 10");
    let browse = with_headers("q=red+shoes", &[("user-agent", "Firefox/120.0")]);
    // Remembered clean after the first time, the request still counts towards the flood
    // window on every repeat.
    for i in 0..3 {
        let v = e.inspect_request_at(&browse, 100.0 + i as f64);
        assert!(!v.blocked && v.events.is_empty());
    }
    assert_eq!(types(&e.inspect_request_at(&browse, 103.0)), ["flood"]);
    // Another client sending the same request: a blacklisted one is refused.
    let mut other = browse.clone();
    other.peer = "192.0.2.77".into();
    e.store()
        .blacklist("192.0.2.77".parse().unwrap(), 100.0, 200.0);
    assert_eq!(types(&e.inspect_request_at(&other, 104.0)), ["blacklist"]);
    // New routes: the same request is judged against them, not remembered as it was.
    e.set_routes(&[("/".into(), vec!["GET".into()])]);
    let mut third = browse.clone();
    third.peer = "192.0.2.78".into();
    let v = e.inspect_request_at(&third, 105.0);
    assert_eq!(types(&v), ["unrouted_path"]);
    assert!(v.error_counted);
    assert!(e.inspect_request_at(&third, 106.0).error_counted);
}

#[test]
fn only_requests_that_recorded_nothing_are_remembered() {
    // Monitor mode: an attack is logged, never refused; it is logged again on every repeat.
    let e = engine("mode = \"monitor\"");
    let attack = with_headers("q=1' OR '1'='1", &[]);
    for _ in 0..3 {
        let v = e.inspect_request(&attack);
        assert!(!v.blocked);
        assert_eq!(types(&v), ["sqli"]);
    }
    // Events over the per-request cap are not written, yet the request is not clean.
    let quiet = engine("[log]\nmax_events_per_request = 0");
    for _ in 0..2 {
        assert!(quiet.inspect_request(&attack).blocked);
    }
    let quiet_log = engine("[log]\nmax_events_per_request = 0\n[sqli]\naction = \"log\"");
    for _ in 0..2 {
        let before = quiet_log
            .stats
            .events_suppressed
            .load(std::sync::atomic::Ordering::Relaxed);
        assert!(!quiet_log.inspect_request(&attack).blocked);
        let after = quiet_log
            .stats
            .events_suppressed
            .load(std::sync::atomic::Ordering::Relaxed);
        assert_eq!(after, before + 1, "the finding was recorded again");
    }
    // A request cut short by a bound is inspected again every time, even unreported.
    let unreported = engine("[limits]\nmax_params = 2\n[limit_exceeded]\nenabled = false");
    let many = with_headers("a=1&b=2&c=3", &[]);
    for _ in 0..2 {
        assert!(types(&unreported.inspect_request(&many)).is_empty());
    }
    assert_eq!(
        unreported
            .stats
            .remembered
            .load(std::sync::atomic::Ordering::Relaxed),
        0
    );
    // A body is part of the request: the same clean POST is remembered, another body is not,
    // even one that spells the first request's header as text.
    let e = engine("");
    let mut post = form_post(b"q=red+shoes");
    let remembered = |e: &Engine| {
        e.stats
            .remembered
            .load(std::sync::atomic::Ordering::Relaxed)
    };
    for _ in 0..2 {
        assert!(types(&e.inspect_request(&post)).is_empty());
    }
    assert_eq!(remembered(&e), 1);
    post.body = b"q=1' OR '1'='1".to_vec();
    for _ in 0..2 {
        assert_eq!(types(&e.inspect_request(&post)), ["sqli"]);
    }
    assert_eq!(remembered(&e), 1);
}

#[test]
fn the_whole_request_memo_can_be_turned_off_alone() {
    let remembered = |e: &Engine| {
        e.stats
            .remembered
            .load(std::sync::atomic::Ordering::Relaxed)
    };
    // More new text than the gate lets through unannounced, so a call counts as work.
    let note = "Please leave the parcel with the neighbour at number 14. ".repeat(5);
    let req = with_headers(
        &format!("q=shoes&note={}", note.replace(' ', "+")),
        &[("referer", "https://shop.example/p/1")],
    );
    let on = engine("");
    for _ in 0..3 {
        assert!(types(&on.inspect_request(&req)).is_empty());
    }
    assert_eq!(remembered(&on), 2);
    // Off: repeats are answered by the memos of values, query strings and header sets.
    let off = engine("[limits]\nclean_requests = 0");
    assert_eq!(gate_calls(&off, &req), (1, vec![]));
    assert_eq!(gate_calls(&off, &req), (0, vec![]));
    assert_eq!(remembered(&off), 0);
    // clean_cache = 0 turns every memo off, this one too.
    let none = engine("[limits]\nclean_cache = 0");
    assert_eq!(gate_calls(&none, &req), (1, vec![]));
    assert_eq!(gate_calls(&none, &req), (1, vec![]));
    assert_eq!(remembered(&none), 0);
}

/// A request as an adapter reads it from its raw form: (part name, value) pairs it builds the
/// `Request` from (here: "method", "path", "query", then header names), and the peer apart.
fn from_parts(parts: &[(&str, &str)], peer: &str) -> Request {
    let mut req = Request {
        peer: peer.into(),
        ..Request::default()
    };
    for &(name, value) in parts {
        match name {
            "method" => req.method = value.into(),
            "path" => req.path = value.into(),
            "query" => req.query = value.into(),
            _ => req.headers.push((name.into(), value.into())),
        }
    }
    req
}

/// The request of `parts` with only what `inspect_remembered` reads.
fn remembered_view(parts: &[(&str, &str)], peer: &str) -> Request {
    let kept = parts.iter().copied().filter(|(n, _)| {
        matches!(*n, "method" | "path")
            || ironrasp_core::FORWARDING_HEADERS.contains(n)
            || ironrasp_core::extract::is_trace_header(n)
    });
    from_parts(&kept.collect::<Vec<_>>(), peer)
}

#[test]
fn a_request_keyed_by_its_raw_parts_is_remembered_under_that_key_alone() {
    let e = engine(
        "blacklist_ttl = 60\ntrusted_proxies = ['10.0.0.0/8']\n[flood]\nmax_requests = 3\nwindow = 10",
    );
    let remembered = |e: &Engine| {
        e.stats
            .remembered
            .load(std::sync::atomic::Ordering::Relaxed)
    };
    let parts = [
        ("method", "GET"),
        ("path", "/search"),
        ("query", "q=red+shoes"),
        ("user-agent", "Firefox/120.0"),
        ("x-forwarded-for", "198.51.100.7"),
    ];
    let key = |parts: &[(&str, &str)]| e.raw_request_key(b"", false, parts.iter().copied());
    let k = key(&parts).expect("a key");
    assert!(!e.is_remembered(k));
    let mut calls = 0;
    let req = from_parts(&parts, "10.0.0.1");
    let v = e.inspect_request_keyed(&req, Some(k), 100.0, &mut || calls += 1);
    assert!(!v.blocked && v.events.is_empty());
    assert_eq!(calls, 0, "a few short new values are inspected unannounced");
    assert!(e.is_remembered(k));
    // Kept in its own key space: the same request inspected by its own key is not remembered.
    e.inspect_request_at(&req, 100.5);
    assert_eq!(remembered(&e), 0);
    // Answered from the few parts the client checks read: the client is resolved through the
    // trusted proxy, the repeats count towards the flood window.
    let view = remembered_view(&parts, "10.0.0.1");
    assert_eq!(view.headers.len(), 1);
    let mut calls = 0;
    let v = e.inspect_remembered(&view, 101.0, &mut || calls += 1);
    assert_eq!(
        (v.client.as_str(), v.blocked, calls),
        ("198.51.100.7", false, 0)
    );
    assert_eq!(remembered(&e), 1);
    let v = e.inspect_remembered(&view, 102.0, &mut || {});
    assert_eq!(types(&v), ["flood"]);
    // A blacklisted client sending the same request is refused.
    e.store()
        .blacklist("192.0.2.77".parse().unwrap(), 100.0, 200.0);
    let v = e.inspect_remembered(&remembered_view(&parts, "192.0.2.77"), 103.0, &mut || {});
    assert_eq!(types(&v), ["blacklist"]);
    // Another part, another key; an attack is found and never remembered.
    let attack = [
        ("method", "GET"),
        ("path", "/search"),
        ("query", "q=1' OR '1'='1"),
    ];
    let ka = key(&attack).unwrap();
    assert_ne!(ka, k);
    for t in [104.0, 104.5] {
        let v = e.inspect_request_keyed(&from_parts(&attack, "192.0.2.9"), Some(ka), t, &mut || {});
        assert_eq!(types(&v), ["sqli"]);
        assert!(!e.is_remembered(ka));
    }
    // New routes: the same parts make a new key, not remembered.
    e.set_routes(&[("/search".into(), vec!["GET".into()])]);
    let after = key(&parts).unwrap();
    assert_ne!(after, k);
    assert!(!e.is_remembered(after));
    // No key for a body cut short, nor with the memo off, nor with zero-trust tokens.
    assert!(e
        .raw_request_key(b"q=1", true, parts.iter().copied())
        .is_none());
    let off = engine("[limits]\nclean_requests = 0");
    assert!(off
        .raw_request_key(b"", false, parts.iter().copied())
        .is_none());
    let ztaa = engine("[ztaa]\nenabled = true\nsecret = 's3cret-s3cret-s3cret'");
    assert!(ztaa
        .raw_request_key(b"", false, parts.iter().copied())
        .is_none());
}

#[test]
fn a_cookie_header_seen_clean_still_counts_and_an_attack_in_one_is_always_found() {
    // The whole-request memo off: every request below takes its parts from the memos.
    let e = engine("[limits]\nmax_params = 4\nclean_requests = 0");
    let session = [("cookie", "session=3f9a1c2e7b; theme=dark")];
    for _ in 0..3 {
        let v = e.inspect_request(&with_headers("q=shoes", &session));
        assert!(types(&v).is_empty(), "{:?}", v.events);
    }
    // A remembered Cookie header still counts its two cookies towards max_params: with three
    // query parameters they are five inputs, one too many, every time.
    for _ in 0..2 {
        let v = e.inspect_request(&with_headers("a=1&b=2&c=3", &session));
        assert!(limit_evidence(&v).contains("max_params"), "{:?}", v.events);
    }
    // Another Cookie header (one value changed, a second header line) is read again.
    let attack = [("cookie", "session=3f9a1c2e7b; theme=' OR 1=1 --")];
    let split = [
        ("cookie", "session=3f9a1c2e7b; theme=dark"),
        ("cookie", "pref=<script>alert(1)</script>"),
    ];
    for _ in 0..2 {
        assert_eq!(
            types(&e.inspect_request(&with_headers("", &attack))),
            ["sqli"]
        );
        let v = e.inspect_request(&with_headers("", &split));
        assert!(v.blocked && types(&v).contains(&"xss"), "{:?}", v.events);
    }
    // The clean header alone is still clean afterwards.
    assert!(types(&e.inspect_request(&with_headers("", &session))).is_empty());
}

#[test]
fn a_request_remembered_but_for_its_trace_id_inspects_each_new_id() {
    let e = engine("[limits]\nmax_value_len = 64");
    let remembered = |e: &Engine| {
        e.stats
            .remembered
            .load(std::sync::atomic::Ordering::Relaxed)
    };
    let traced = |id: &str| {
        with_headers(
            "q=shoes",
            &[("user-agent", "Firefox/120.0"), ("X-Request-Id", id)],
        )
    };
    assert!(types(&e.inspect_request(&traced("9e3779b97f4a7c15"))).is_empty());
    // A new id: remembered but for the id, which is inspected (a short new value: with no
    // announcement, nothing found).
    assert_eq!(gate_calls(&e, &traced("7f4a7c159e3779b9")), (0, vec![]));
    assert_eq!(remembered(&e), 1);
    // An attack in the id is found on the remembered request, and does not undo the memo.
    assert_eq!(types(&e.inspect_request(&traced("' OR 1=1 --"))), ["sqli"]);
    let v = e.inspect_request(&traced("<script>alert(1)</script>"));
    assert!(v.blocked && types(&v).contains(&"xss"), "{:?}", v.events);
    assert!(types(&e.inspect_request(&traced("c15f4a79e3779b97"))).is_empty());
    assert_eq!(remembered(&e), 4);
    // A bound met by the id alone is reported.
    let v = e.inspect_request(&traced(&"a".repeat(100)));
    assert!(
        limit_evidence(&v).contains("max_value_len"),
        "{:?}",
        v.events
    );
    // The names of trace headers are part of the key: a second id is another request.
    let mut two = traced("0123456789abcdef");
    two.headers
        .push(("traceparent".into(), "00-0af7651916cd43dd-01".into()));
    assert!(types(&e.inspect_request(&two)).is_empty());
    assert_eq!(
        remembered(&e),
        5,
        "only the request with one long id before it"
    );
    // The same through an adapter's raw parts: the id's value is left out of the key, and the
    // remembered request is answered from a view that holds the id.
    let parts = |id: &'static str| {
        [
            ("method", "GET"),
            ("path", "/search"),
            ("query", "q=shoes"),
            ("user-agent", "Firefox/120.0"),
            ("x-request-id", id),
        ]
    };
    let blank = parts("");
    let k = e
        .raw_request_key(b"", false, blank.iter().copied())
        .unwrap();
    let first = from_parts(&parts("9e3779b97f4a7c15"), "192.0.2.5");
    assert!(types(&e.inspect_request_keyed(&first, Some(k), 200.0, &mut || {})).is_empty());
    assert!(e.is_remembered(k));
    let view = remembered_view(&parts("' OR 1=1 --"), "192.0.2.5");
    assert_eq!(
        types(&e.inspect_remembered(&view, 201.0, &mut || {})),
        ["sqli"]
    );
}

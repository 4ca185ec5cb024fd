//! Cost of inspection: one value through the decoders and every value detector, and one whole
//! typical request. Targets (issue 3): a benign value under 100 ns at the median, an
//! attack-shaped value under 10 µs, a typical 1 KB JSON request under 5 µs in all.
//! Run: cargo bench -p ironrasp-core --bench inspect

mod common;

use common::scan;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use ironrasp_core::config::Console;
use ironrasp_core::detect::ValueDetectors;
use ironrasp_core::{Config, Engine, Limits, Request};
use std::fmt::Write;

fn values(c: &mut Criterion) {
    let detectors = ValueDetectors::new(|_| true);
    let limits = Limits::default();
    let mut views = Vec::new();
    let mut g = c.benchmark_group("value");
    for (name, text) in [
        ("benign_word", "shoes"),
        ("benign_name", "O'Brien"),
        (
            "benign_sentence",
            "Can you drop the table booking for tonight?",
        ),
        (
            "benign_url",
            "https://shop.example.com/products/42?color=blue",
        ),
        (
            "benign_user_agent",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0",
        ),
        ("benign_number", "89.95"),
        // Opaque tokens: ids, session and CSRF tokens, trace headers.
        ("benign_token_hex", "9e3779b97f4a7c15"),
        ("benign_uuid", "3f9a1c2e-7b6d-4e2a-9c1b-0d8e7f6a5b4c"),
        (
            "attack_sqli",
            "1' UNION SELECT username, password FROM users--",
        ),
        ("attack_xss", "<svg/onload=alert(document.cookie)>"),
        ("attack_cmdi", "127.0.0.1; cat /etc/passwd"),
        ("attack_traversal", "..%2f..%2f..%2fetc%2fpasswd"),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| scan(&detectors, &limits, black_box(text), &mut views))
        });
    }
    g.finish();
}

/// Single detectors called directly on short benign header and query values: the cost each
/// adds to every value before the engine's byte-class prefilter and memo are counted.
fn detectors(c: &mut Criterion) {
    use ironrasp_core::detect::{cmdi::CmdiDetector, code_injection, rfi, ssti};
    let cmdi = CmdiDetector::from_env();
    let values = [
        ("name", "O'Neill"),
        ("accept_language", "en-GB,en;q=0.9"),
        ("word", "hello"),
        ("referer", "https://www.example.com/products?page=2"),
    ];
    let mut g = c.benchmark_group("detector");
    for (vname, text) in values {
        g.bench_function(format!("code_injection/{vname}"), |b| {
            b.iter(|| code_injection::inspect(black_box(text)))
        });
        g.bench_function(format!("cmdi/{vname}"), |b| {
            b.iter(|| cmdi.inspect(black_box(text)))
        });
        g.bench_function(format!("ssti/{vname}"), |b| {
            b.iter(|| ssti::inspect(black_box(text)))
        });
        g.bench_function(format!("rfi/{vname}"), |b| {
            b.iter(|| rfi::inspect(black_box(text)))
        });
    }
    g.finish();
}

fn json_request() -> Request {
    let body = serde_json::json!({
        "customer": {"name": "Siobhán O'Brien", "email": "siobhan@example.com", "phone": "+353 1 555 0100"},
        "shipping": {"street": "12 Union Street", "city": "Cork", "zip": "T12 ABC4", "country": "IE"},
        "items": [
            {"sku": "A-1407", "name": "Running shoes", "size": "42", "qty": 1, "price": 89.95},
            {"sku": "B-2210", "name": "Socks (3 pack)", "size": "M", "qty": 2, "price": 12.5},
            {"sku": "C-0042", "name": "Water bottle", "qty": 1, "price": 15.0},
            {"sku": "D-7781", "name": "Rain jacket (men's)", "size": "L", "qty": 1, "price": 129.0},
            {"sku": "E-0815", "name": "Cap - navy/white", "qty": 1, "price": 19.9},
            {"sku": "F-3030", "name": "Gift card", "qty": 1, "price": 50.0, "message": "Happy birthday, Aoife! Enjoy the run :)"}
        ],
        "note": "Please leave it with the neighbour at no. 14 if nobody's home - thanks!",
        "coupon": "WINTER-10", "newsletter": true, "currency": "EUR",
        "billing": {"name": "Siobhán O'Brien", "vat": "IE1234567T", "company": "O'Brien & Daughters Ltd."},
        "delivery_window": "2026-12-01T09:00/12:00", "client": {"app": "web", "version": "4.12.0"}
    })
    .to_string();
    Request {
        method: "POST".into(),
        path: "/api/orders".into(),
        query: "lang=en&ref=cart".into(),
        headers: vec![
            ("host".into(), "shop.example.com".into()),
            ("content-type".into(), "application/json".into()),
            (
                "user-agent".into(),
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0".into(),
            ),
            ("accept".into(), "application/json".into()),
            ("cookie".into(), "session=3f9a1c2e7b6d; theme=dark".into()),
        ],
        body: body.into_bytes(),
        body_truncated: false,
        peer: "198.51.100.7".into(),
    }
}

fn requests(c: &mut Criterion) {
    let mut config = Config::default();
    config.log.console = Console::Off;
    config.log.banner = false;
    config.flood.enabled = false;
    // Every value inspected afresh (the memo would make every repeat a lookup) ...
    config.limits.clean_cache = 0;
    let engine = Engine::new(config.clone()).expect("engine");
    // ... and, apart, with the memos of values, query strings and header sets on, as for
    // values seen before in other requests (the whole-request memo off) ...
    config.limits.clean_cache = 4096;
    config.limits.clean_requests = 0;
    let memo = Engine::new(config.clone()).expect("engine");
    // ... and with every memo on, as for the very same request again.
    config.limits.clean_requests = 1024;
    let repeat = Engine::new(config).expect("engine");
    let req = json_request();
    assert!(
        req.body.len() > 600 && req.body.len() < 1400,
        "about 1 KB: {}",
        req.body.len()
    );
    c.bench_function("request/json_1kb", |b| {
        b.iter(|| engine.inspect_request(black_box(&req)))
    });
    c.bench_function("request/json_1kb_memo", |b| {
        b.iter(|| memo.inspect_request(black_box(&req)))
    });
    c.bench_function("request/json_1kb_repeat", |b| {
        b.iter(|| repeat.inspect_request(black_box(&req)))
    });
    // The benign request of every overhead benchmark (bench/benign_request.py).
    let get = browser_get();
    c.bench_function("request/get_10_params", |b| {
        b.iter(|| engine.inspect_request(black_box(&get)))
    });
    c.bench_function("request/get_10_params_memo", |b| {
        b.iter(|| memo.inspect_request(black_box(&get)))
    });
    c.bench_function("request/get_10_params_repeat", |b| {
        b.iter(|| repeat.inspect_request(black_box(&get)))
    });
    // As a production request comes: the same browser, but a trace header (X-Request-Id,
    // traceparent, a platform's execution id) new every time, so only the memos of parts help.
    let mut traced = browser_get();
    traced.headers.push(("x-request-id".into(), String::new()));
    let mut n: u64 = 0;
    c.bench_function("request/get_10_params_new_trace_id", |b| {
        b.iter(|| {
            n += 1;
            let id = &mut traced.headers.last_mut().expect("pushed").1;
            id.clear();
            write!(id, "{:016x}", n.wrapping_mul(0x9E37_79B9_7F4A_7C15)).expect("to a String");
            repeat.inspect_request(black_box(&traced))
        })
    });
}

/// A GET with 10 query parameters and the headers a browser sends (as bench/benign_request.py).
fn browser_get() -> Request {
    Request {
        method: "GET".into(),
        path: "/search".into(),
        query: "q=running+shoes&size=42&color=blue&brand=O%27Neill&sort=price&page=2\
                &min=10&max=120&lang=en-GB&ref=newsletter"
            .into(),
        headers: vec![
            ("host".into(), "shop.example.com".into()),
            (
                "user-agent".into(),
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
                 Chrome/120.0 Safari/537.36"
                    .into(),
            ),
            (
                "accept".into(),
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8".into(),
            ),
            ("accept-language".into(), "en-GB,en;q=0.9".into()),
            ("cookie".into(), "session=3f9a1c2e7b; theme=dark".into()),
            ("referer".into(), "https://shop.example.com/".into()),
        ],
        peer: "198.51.100.7".into(),
        ..Request::default()
    }
}

fn get(query: String) -> Request {
    Request {
        method: "GET".into(),
        path: "/search".into(),
        query,
        headers: vec![("host".into(), "shop.example.com".into())],
        peer: "198.51.100.9".into(),
        ..Request::default()
    }
}

/// The hostile inputs of issue 2: each must be answered in milliseconds.
fn hostile(c: &mut Criterion) {
    use base64::Engine as _;
    let mut config = Config::default();
    config.log.console = Console::Off;
    config.log.banner = false;
    config.flood.enabled = false;
    let engine = Engine::new(config).expect("engine");
    let mut g = c.benchmark_group("hostile");
    g.sample_size(10);

    let ten_mb = get(format!("q={}", "A%2F..".repeat(10 * 1024 * 1024 / 6)));
    g.bench_function("value_10mb", |b| {
        b.iter(|| engine.inspect_request(black_box(&ten_mb)))
    });

    let mut deep = get(String::new());
    deep.method = "POST".into();
    deep.headers
        .push(("content-type".into(), "application/json".into()));
    deep.body = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes();
    g.bench_function("json_10000_deep", |b| {
        b.iter(|| engine.inspect_request(black_box(&deep)))
    });

    let mut s = String::from("; cat /etc/passwd");
    for _ in 0..50 {
        s = base64::engine::general_purpose::STANDARD.encode(s.as_bytes());
    }
    s.truncate(60_000);
    let nested = get(format!("q={s}"));
    g.bench_function("base64_nested_50", |b| {
        b.iter(|| engine.inspect_request(black_box(&nested)))
    });

    let q: Vec<String> = (0..100_000).map(|i| format!("p{i}=v{i}")).collect();
    let many = get(q.join("&"));
    g.bench_function("params_100000", |b| {
        b.iter(|| engine.inspect_request(black_box(&many)))
    });

    // Texts where every tag starts inside the one before it (found by a generated stress
    // run): prose after a `<` with no `>`, and handler values running to the end.
    // And 128 tags that each read the same 31 style values of 2 KB after their first one.
    let shared = format!(
        "{}{}",
        "<a/x=".repeat(128),
        format!(" style={}", "B".repeat(2000)).repeat(31)
    );
    for (name, text) in [
        (
            "unclosed_markup_64kb",
            "in effect, or the DST offset (as tim<".repeat(65_000 / 37),
        ),
        (
            "overlapping_handlers_64kb",
            "<img/onerror=\\x0Bj\"rsind09057654290<".repeat(65_000 / 37),
        ),
        ("shared_attribute_values_64kb", shared),
    ] {
        let mut r = get(String::new());
        r.method = "POST".into();
        r.headers
            .push(("content-type".into(), "application/json".into()));
        r.body = serde_json::json!({ "q": text }).to_string().into_bytes();
        g.bench_function(name, |b| b.iter(|| engine.inspect_request(black_box(&r))));
    }

    // Seven fields (under `max_body`) of the slowest reading per byte found (`bench/worst_case.py`): each
    // takes tens of milliseconds, so the deadline must be read after each, not every eighth.
    let slow = "%24%2B%7C%2BDir%2Bc%3A%25255c%3C".repeat(65_000 / 16);
    let fields: Vec<String> = (0..7).map(|i| format!("f{i}={slow}")).collect();
    let mut slow_form = get(String::new());
    slow_form.method = "POST".into();
    slow_form.headers.push((
        "content-type".into(),
        "application/x-www-form-urlencoded".into(),
    ));
    slow_form.body = fields.join("&").into_bytes();
    g.bench_function("slow_fields_7x64kb", |b| {
        b.iter(|| engine.inspect_request(black_box(&slow_form)))
    });

    let mut bad = get("q=%ff%fe%c0%80".into());
    bad.method = "POST".into();
    bad.headers.push((
        "content-type".into(),
        "application/x-www-form-urlencoded".into(),
    ));
    bad.body = [0xffu8, 0xfe, b'=', 0xc0, 0xaf, 0x00].repeat(100_000);
    g.bench_function("invalid_utf8_600kb", |b| {
        b.iter(|| engine.inspect_request(black_box(&bad)))
    });
    g.finish();
}

fn model(c: &mut Criterion) {
    use ironrasp_core::model::{score, ModelKind};
    let text = "Hello O'Brien, your order #1234 ships to Dublin <b>today</b>; select a size & colour!!xxxxxxxxxxxxx";
    c.bench_function("model/sqli_100_chars", |b| {
        b.iter(|| score(ModelKind::Sqli, black_box(text)))
    });
}

criterion_group!(benches, values, detectors, requests, hostile, model);
criterion_main!(benches);

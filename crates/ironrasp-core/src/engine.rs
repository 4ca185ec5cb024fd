//! The engine: compiled configuration, state and detectors, and the two calls an adapter makes:
//! [`Engine::inspect_request`] once per request and [`Engine::inspect_response`] once per
//! response. Request-level checks run first, cheapest first (blacklist, access, host, flood,
//! decoys and routes); value detectors then see every input and each of its decoded views.

use crate::check::Check;
use crate::client_ip::ClientResolver;
use crate::clip::clip;
use crate::config::{Config, ConfigError};
use crate::detect::decoy::Decoys;
use crate::detect::prefilter::Classes;
use crate::detect::spoofing::AllowedHosts;
use crate::detect::{rate, ssrf, ztaa, ValueDetectors};
use crate::event::{printable, rfc3339, Codes, Event, EventLocation};
use crate::extract::{self, decode, Input, Location};
use crate::finding::Finding;
use crate::output::Output;
use crate::policy::{decide, Outcome};
use crate::request::{Request, Response};
use crate::routes::{RouteMatch, Routes};
use crate::state::memory::MemoryStore;
use crate::state::Store;
use crate::value_cache::ValueCache;
use ipnet::IpNet;
use std::cell::Cell;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The decision for one request or response.
#[derive(Clone, Debug, Default)]
pub struct Verdict {
    pub blocked: bool,
    pub status: u16,
    pub body: String,
    pub content_type: String,
    /// The resolved client address (the adapter hands it back with the response).
    pub client: String,
    /// The request already counted as an error toward brute force (unrouted path or method).
    pub error_counted: bool,
    pub events: Vec<Event>,
}

/// One finding of [`Engine::scan_value`].
#[derive(Clone, Debug, PartialEq)]
pub struct ScanFinding {
    pub check: Check,
    pub score: f32,
    pub evidence: String,
    pub decoders: Vec<String>,
    pub inner_path: Option<String>,
}

/// Counters since startup.
#[derive(Debug, Default)]
pub struct EngineStats {
    pub requests: AtomicU64,
    pub blocked: AtomicU64,
    pub events: AtomicU64,
    pub events_suppressed: AtomicU64,
    pub limit_exceeded: AtomicU64,
    /// Requests answered whole by the memo of clean requests (only the client's checks ran).
    pub remembered: AtomicU64,
}

/// The compiled engine. Shared by every request thread.
pub struct Engine {
    config: Config,
    whitelist: Vec<IpNet>,
    resolver: ClientResolver,
    routes: RwLock<Arc<Routes>>,
    store: Arc<dyn Store>,
    values: ValueDetectors,
    decoys: Decoys,
    hosts: AllowedHosts,
    sessions: crate::detect::session_fixation::SessionFixation,
    output: Output,
    clean: ValueCache,
    /// Paths the decoy check found clean.
    clean_paths: ValueCache,
    /// Whole query strings found clean (see `value_checks`).
    clean_queries: ValueCache,
    /// Whole sets of header values found clean (see `value_checks`).
    clean_headers: ValueCache,
    /// Cookie headers seen whole and clean (with their input counts).
    clean_cookies: ValueCache,
    /// Whole bodies (with their content type) found clean (see `value_checks`).
    clean_bodies: ValueCache,
    /// Whole requests found clean (see [`Engine::request_key`]).
    clean_requests: ValueCache,
    /// Bumped by `set_routes`, and part of every request key: a request remembered clean
    /// under an older route table is not found again.
    routes_generation: AtomicU64,
    pub stats: EngineStats,
}

/// Distinct paths worth remembering as decoy-clean (an application serves far fewer).
const MAX_CLEAN_PATHS: usize = 1024;

/// Distinct query strings worth remembering as clean: the popular links of a site.
const MAX_CLEAN_QUERIES: usize = 1024;

/// Distinct Cookie headers worth remembering as clean: one per visitor's session, sent with
/// every request of it.
const MAX_CLEAN_COOKIES: usize = 1024;

/// Distinct bodies worth remembering as clean: what API clients send again and again.
const MAX_CLEAN_BODIES: usize = 1024;

/// Distinct header sets worth remembering as clean (the Referer and request ids are not part of
/// a set): about one per browser build and language.
const MAX_CLEAN_HEADER_SETS: usize = 1024;

/// Bytes of inputs inspected after which the request's deadline is checked again, whatever
/// their number: the slowest readings cost up to ~0.5 µs a byte, so 4 KB is at most ~2 ms
/// past the deadline before the next input is refused, and reading the clock (~20 ns) stays
/// well under 1% of inspecting them.
const CLOCK_EVERY_BYTES: usize = 4096;

/// Drops an SSRF finding on `text` when it is a private address sent plainly and alone: a
/// network setting (a router's or a cloud API's form), not a fetch target. Plainly: the value
/// itself, or a node of a JSON, XML or query document in it (the last decoder of `chain`, the
/// one that revealed `text`, is one of those), as a body's own nodes are read, even when the
/// document came base64-encoded. An address that an encoding revealed itself (percent,
/// base64, entities, escapes, wide digits) was written to hide it.
#[inline]
fn spare_network_setting(found: &mut Vec<Finding>, text: &str, chain: &[&str]) {
    if found.iter().any(|f| f.check == Check::Ssrf)
        && chain
            .last()
            .is_none_or(|d| matches!(*d, "json" | "xml" | "query"))
        && ssrf::network_setting(text)
    {
        found.retain(|f| f.check != Check::Ssrf);
    }
}

/// Takes one part of a request (a query string, a browser's headers) out of the memo `cache`,
/// or extracts it: a part remembered clean counts its inputs towards `max_params`, as if
/// delivered (when they no longer fit, it is taken apart again and the bound reported). A part
/// extracted whole (`spotless` stayed set: no finding, no bound met, nothing left for last) is
/// remembered with its input count.
fn remembered_part(
    cache: &ValueCache,
    key: Option<u64>,
    out: &mut extract::Out<'_>,
    spotless: &Cell<bool>,
    extract: impl FnOnce(&mut extract::Out<'_>),
) {
    if key
        .and_then(|k| cache.clean_count(k))
        .is_some_and(|n| out.take_known(n))
    {
        return;
    }
    let (before, taken) = (out.progress(), out.taken());
    spotless.set(true);
    extract(out);
    if let (Some(k), true) = (key, spotless.get() && out.progress() == before) {
        cache.mark_clean_counted(k, out.taken() - taken);
    }
}

/// Seconds since the Unix epoch.
pub fn now_unix() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// Requests up to this size (path, query, headers and body) may be inspected before
/// [`Engine::inspect_request_gated`]'s `before_work` runs: with every value known to the memo,
/// such a request costs a few microseconds of hashing and lookups.
pub const CHEAP_REQUEST_BYTES: usize = 16 * 1024;

/// The memo key of a whole request read from an adapter's raw form
/// ([`Engine::raw_request_key`]); made only there, so it always means what that says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestKey(u64);

fn request_bytes(req: &Request) -> usize {
    let headers: usize = req.headers.iter().map(|(n, v)| n.len() + v.len()).sum();
    req.path.len() + req.query.len() + req.body.len() + headers
}

/// Bytes of values no memo knows that a request may inspect before the caller's
/// `before_work` runs: a few short new values (a search term, a trace id) cost less than
/// handing the GIL over and back (~1.7 µs in situ), so they are inspected with it held.
pub const FRESH_BYTES_BEFORE_WORK: usize = 256;

/// Runs a caller's `before_work` at most once (see [`Engine::inspect_request_gated`]).
struct Gate<'a> {
    before_work: Cell<Option<&'a mut dyn FnMut()>>,
    /// Bytes of new values inspected so far.
    fresh: Cell<usize>,
}

impl<'a> Gate<'a> {
    fn new(before_work: &'a mut dyn FnMut()) -> Self {
        Gate {
            before_work: Cell::new(Some(before_work)),
            fresh: Cell::new(0),
        }
    }

    fn pass(&self) {
        if let Some(before_work) = self.before_work.take() {
            before_work();
        }
    }

    /// A value of `bytes` no memo knows is about to be inspected: passes once the request's
    /// new values exceed [`FRESH_BYTES_BEFORE_WORK`].
    fn fresh_value(&self, bytes: usize) {
        let total = self.fresh.get().saturating_add(bytes);
        self.fresh.set(total);
        if total > FRESH_BYTES_BEFORE_WORK {
            self.pass();
        }
    }
}

/// What [`Engine::value_checks`] inspects: the whole request, or only its trace headers (of a
/// request remembered whole but for their values).
#[derive(Clone, Copy)]
enum Scope {
    Whole,
    TraceHeaders,
}

/// Per-call accumulator.
struct Ctx<'r> {
    req_method: &'r str,
    req_path: &'r str,
    ip: Option<IpAddr>,
    whitelisted: bool,
    now: f64,
    verdict: Verdict,
    /// A finding was recorded (an event, even one over `max_events_per_request`).
    recorded: bool,
    /// Part of the request was left uninspected (a bound met), reported or not.
    incomplete: bool,
}

/// What an event says about where its payload was.
struct Where<'a> {
    location: &'a Location<'a>,
    payload: &'a str,
    decoders: Vec<String>,
    inner_path: Option<String>,
}

impl Engine {
    /// Compiles `config` and starts the output worker.
    pub fn new(config: Config) -> Result<Engine, ConfigError> {
        Engine::with_store(config, None)
    }

    /// As [`Engine::new`], with a given state store (tests, shared stores).
    pub fn with_store(
        config: Config,
        store: Option<Arc<dyn Store>>,
    ) -> Result<Engine, ConfigError> {
        config.validate()?;
        let output = Output::start(&config.log).map_err(|m| ConfigError {
            key: "log.json_file".into(),
            message: m,
        })?;
        let store = store.unwrap_or_else(|| Arc::new(MemoryStore::new(config.max_tracked)));
        let values = ValueDetectors::new(|c| config.check(c).0);
        let engine = Engine {
            whitelist: config.whitelist_nets(),
            resolver: ClientResolver::new(config.trusted_proxy_nets()),
            routes: RwLock::new(Arc::new(Routes::default())),
            decoys: Decoys::new(&config.decoy.paths),
            hosts: AllowedHosts::new(&config.allowed_hosts),
            sessions: crate::detect::session_fixation::SessionFixation::new(
                &config.session_fixation.names,
            ),
            values,
            store,
            output,
            clean: ValueCache::new(config.limits.clean_cache),
            clean_paths: ValueCache::new(config.limits.clean_cache.min(MAX_CLEAN_PATHS)),
            clean_queries: ValueCache::new(config.limits.clean_cache.min(MAX_CLEAN_QUERIES)),
            clean_headers: ValueCache::new(config.limits.clean_cache.min(MAX_CLEAN_HEADER_SETS)),
            clean_cookies: ValueCache::new(config.limits.clean_cache.min(MAX_CLEAN_COOKIES)),
            clean_bodies: ValueCache::new(config.limits.clean_cache.min(MAX_CLEAN_BODIES)),
            clean_requests: ValueCache::new(match config.limits.clean_cache {
                0 => 0,
                _ => config.limits.clean_requests,
            }),
            routes_generation: AtomicU64::new(0),
            stats: EngineStats::default(),
            config,
        };
        // Lazily built tables of the detectors and decoders, now rather than in the first
        // requests.
        engine.values.warm_up(|p| {
            let mut views = Vec::new();
            decode::expand(p, &engine.config.limits, &mut views);
            views.into_iter().map(|v| v.text).collect()
        });
        if engine.config.log.banner {
            engine.output.text(engine.banner());
        }
        Ok(engine)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The startup banner: version, mode, checks on.
    pub fn banner(&self) -> String {
        let on: Vec<&str> = Check::ALL
            .iter()
            .filter(|c| self.check_active(**c))
            .map(|c| c.slug())
            .collect();
        format!(
            "[+] IronRASP {} protecting '{}' | mode: {} | checks: {}",
            env!("CARGO_PKG_VERSION"),
            self.config.app_name,
            match self.config.mode {
                crate::config::Mode::Protect => "protect",
                crate::config::Mode::Monitor => "monitor",
            },
            on.join(", ")
        )
    }

    /// Is a check enabled and able to run with this configuration?
    pub fn check_active(&self, c: Check) -> bool {
        let (enabled, _) = self.config.check(c);
        enabled
            && match c {
                Check::Spoofing => self.hosts.is_configured(),
                Check::Blacklist => self.config.blacklist_ttl > 0,
                c if c.is_value_check() => self.values.enabled().contains(&c),
                _ => true,
            }
    }

    /// Replaces the route table (adapters call it once the application's routes are known).
    pub fn set_routes(&self, list: &[(String, Vec<String>)]) {
        let routes = Arc::new(Routes::new(list));
        *self.routes.write().unwrap_or_else(|e| e.into_inner()) = routes;
        // After the write: a request that read the old table carries the old generation.
        self.routes_generation.fetch_add(1, Ordering::Relaxed);
    }

    pub fn route_count(&self) -> usize {
        self.routes.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Waits until queued events are written.
    pub fn flush(&self) {
        self.output.flush();
    }

    /// Events dropped because the output queue was full.
    pub fn events_dropped(&self) -> u64 {
        self.output.stats.dropped.load(Ordering::Relaxed)
    }

    /// Inspects one request.
    pub fn inspect_request(&self, req: &Request) -> Verdict {
        self.inspect_request_at(req, now_unix())
    }

    /// Inspects one request at a given time (tests drive the clock).
    pub fn inspect_request_at(&self, req: &Request, now: f64) -> Verdict {
        self.inspect_request_gated(req, now, &mut || {})
    }

    /// As [`Engine::inspect_request_at`], calling `before_work` once, right before the first
    /// step whose cost is more than hashing, lookups and a few short values: the detectors on
    /// new values once they exceed [`FRESH_BYTES_BEFORE_WORK`] in all, parsing a body, a store
    /// that may block; for a request of more than [`CHEAP_REQUEST_BYTES`], before anything.
    /// Adapters give up the GIL there: a request the memos answer, or with a new trace id or
    /// search term, is decided in less time than handing the GIL over and back costs.
    pub fn inspect_request_gated(
        &self,
        req: &Request,
        now: f64,
        before_work: &mut dyn FnMut(),
    ) -> Verdict {
        let key = self.request_key(req);
        self.inspect_with_key(req, key, now, before_work)
    }

    /// The memo key of a whole request from the parts an adapter builds its [`Request`] from
    /// (a WSGI environ's entries, in the order read, and the body): for a request the engine
    /// has seen whole and clean, the adapter then needs to build no more than
    /// [`Engine::inspect_remembered`] reads. The parts must determine every field of the
    /// `Request` but its peer and the values of its trace headers (two requests with the same
    /// parts build the same `Request` but for those): the adapter hands a trace header
    /// ([`crate::extract::is_trace_header`]) with an empty value. They are keyed in a space of
    /// their own, apart from `Request`s' keys. None where no key may stand for the request
    /// (see `request_key`).
    pub fn raw_request_key<'a>(
        &self,
        body: &[u8],
        body_truncated: bool,
        parts: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> Option<RequestKey> {
        if body_truncated || self.config.ztaa.enabled {
            return None;
        }
        let key = self
            .clean_requests
            .key_of_raw_bytes_and_pairs(body, parts)?;
        Some(RequestKey(self.with_routes_generation(key)))
    }

    /// Whether the request of `key` was seen whole and clean (a lookup: no lock, no wait).
    pub fn is_remembered(&self, key: RequestKey) -> bool {
        self.clean_requests.is_clean(key.0)
    }

    /// Inspects a request that [`Engine::is_remembered`] just answered for: only the checks of
    /// the client and the clock run, and the values of its trace headers are inspected, as for
    /// any request seen whole and clean. `req` needs only its method, path, peer, the
    /// forwarding headers ([`crate::FORWARDING_HEADERS`]) the client address is resolved from
    /// and its trace headers ([`crate::extract::TRACE_HEADERS`]); nothing else is read.
    /// `before_work` as in [`Engine::inspect_request_gated`].
    pub fn inspect_remembered(
        &self,
        req: &Request,
        now: f64,
        before_work: &mut dyn FnMut(),
    ) -> Verdict {
        let gate = Gate::new(before_work);
        if self.store.may_block() {
            gate.pass();
        }
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        let ctx = self.ctx(req, now);
        self.answer_remembered(req, ctx, &gate)
    }

    /// As [`Engine::inspect_request_gated`], remembering a clean request under `key` (from
    /// [`Engine::raw_request_key`], for the parts `req` was built from) instead of its own.
    pub fn inspect_request_keyed(
        &self,
        req: &Request,
        key: Option<RequestKey>,
        now: f64,
        before_work: &mut dyn FnMut(),
    ) -> Verdict {
        self.inspect_with_key(req, key.map(|k| k.0), now, before_work)
    }

    fn inspect_with_key(
        &self,
        req: &Request,
        key: Option<u64>,
        now: f64,
        before_work: &mut dyn FnMut(),
    ) -> Verdict {
        let gate = Gate::new(before_work);
        if self.store.may_block() || request_bytes(req) > CHEAP_REQUEST_BYTES {
            gate.pass();
        }
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        let mut ctx = self.ctx(req, now);
        if key.is_some_and(|k| self.clean_requests.is_clean(k)) {
            return self.answer_remembered(req, ctx, &gate);
        }
        let started = Instant::now();
        self.request_checks(req, &mut ctx);
        if !ctx.verdict.blocked {
            self.value_checks(req, &mut ctx, started, &gate, Scope::Whole);
        }
        // Whole and clean: nothing recorded (not even in monitor mode or for a whitelisted
        // client), no bound met (even with limit_exceeded off: a deadline may not be met next
        // time), nothing counted as an error.
        let clean =
            !ctx.recorded && !ctx.incomplete && !ctx.verdict.blocked && !ctx.verdict.error_counted;
        if let (Some(k), true) = (key, clean) {
            self.clean_requests.mark_clean(k);
        }
        self.finish(ctx)
    }

    /// A request seen whole and clean before: only the checks of the client and the clock are
    /// left, in the order the full path runs them (spoofing, routes, decoys and the values are
    /// functions of the key), and the values of its trace headers (the key holds their names
    /// alone).
    fn answer_remembered(&self, req: &Request, mut ctx: Ctx<'_>, gate: &Gate<'_>) -> Verdict {
        self.stats.remembered.fetch_add(1, Ordering::Relaxed);
        if !self.check_blacklist(&mut ctx)
            && !self.check_flood(&mut ctx)
            && req.headers.iter().any(|(n, _)| extract::is_trace_header(n))
        {
            self.value_checks(req, &mut ctx, Instant::now(), gate, Scope::TraceHeaders);
        }
        self.finish(ctx)
    }

    /// The memo key of a whole request, if one may stand for it: what every request-level and
    /// value check reads (body, method, path, query, headers in order; 4 KiB in all at most)
    /// and the route table's generation. Not for a body cut at `max_body`, nor with the
    /// zero-trust check on (its tokens expire); the client's own checks (blacklist, flood)
    /// run on every request.
    fn request_key(&self, req: &Request) -> Option<u64> {
        if req.body_truncated || self.config.ztaa.enabled {
            return None;
        }
        let head = [
            ("", req.method.as_str()),
            ("", req.path.as_str()),
            ("", req.query.as_str()),
        ];
        // A trace header's value is new with every request: its name (so the number of inputs)
        // is part of the key, its value is inspected each time (see `answer_remembered`).
        let headers = req
            .headers
            .iter()
            .map(|(n, v)| match extract::is_trace_header(n) {
                true => (n.as_str(), ""),
                false => (n.as_str(), v.as_str()),
            });
        let key = self
            .clean_requests
            .key_of_bytes_and_pairs(&req.body, head.into_iter().chain(headers))?;
        Some(self.with_routes_generation(key))
    }

    /// A request key tied to the route table it was checked against: new routes, new keys.
    fn with_routes_generation(&self, key: u64) -> u64 {
        let generation = self.routes_generation.load(Ordering::Relaxed);
        (key ^ generation.wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1
    }

    /// Inspects the response to a request from `client` (as returned in the request's verdict).
    pub fn inspect_response(
        &self,
        client: &str,
        method: &str,
        path: &str,
        resp: &Response,
        error_counted: bool,
    ) -> Verdict {
        self.inspect_response_at(client, method, path, resp, error_counted, now_unix())
    }

    /// The response statuses [`Engine::inspect_response_at`] can act on: adapters skip the
    /// response call for every other status. Widen this with any new response check.
    pub fn response_statuses(&self) -> &[u16] {
        let bf = &self.config.brute_force;
        if bf.enabled {
            &bf.statuses
        } else {
            &[]
        }
    }

    pub fn inspect_response_at(
        &self,
        client: &str,
        method: &str,
        path: &str,
        resp: &Response,
        error_counted: bool,
        now: f64,
    ) -> Verdict {
        let ip = crate::client_ip::parse_addr(client);
        let mut ctx = Ctx {
            req_method: method,
            req_path: path,
            ip,
            whitelisted: ip.is_some_and(|ip| self.is_whitelisted(ip)),
            now,
            verdict: Verdict {
                client: client.to_string(),
                ..Verdict::default()
            },
            recorded: false,
            incomplete: false,
        };
        let bf = &self.config.brute_force;
        if bf.enabled && !error_counted && bf.statuses.contains(&resp.status) {
            if let Some(ip) = ip {
                if let Some(f) = rate::brute_force(&*self.store, ip, now, bf.max_errors, bf.window)
                {
                    self.record(&mut ctx, f, None);
                }
            }
        }
        // A response already sent cannot be refused; the verdict's blacklist acts from now on.
        ctx.verdict.blocked = false;
        self.finish(ctx)
    }

    fn ctx<'r>(&self, req: &'r Request, now: f64) -> Ctx<'r> {
        let ip = self.resolver.resolve(req);
        let client = match ip {
            // The peer itself, already spelled canonically: no formatting.
            Some(IpAddr::V4(v4)) if is_dotted_quad_of(&req.peer, v4) => req.peer.clone(),
            Some(ip) => ip.to_string(),
            None => req.peer.clone(),
        };
        Ctx {
            req_method: &req.method,
            req_path: &req.path,
            ip,
            whitelisted: ip.is_some_and(|ip| self.is_whitelisted(ip)),
            now,
            verdict: Verdict {
                client,
                ..Verdict::default()
            },
            recorded: false,
            incomplete: false,
        }
    }

    fn is_whitelisted(&self, ip: IpAddr) -> bool {
        self.whitelist.iter().any(|n| n.contains(&ip))
    }

    fn finish(&self, mut ctx: Ctx<'_>) -> Verdict {
        if ctx.verdict.blocked {
            self.stats.blocked.fetch_add(1, Ordering::Relaxed);
            ctx.verdict.status = self.config.block.status;
            ctx.verdict.body = self.config.block.body.clone();
            ctx.verdict.content_type = self.config.block.content_type.clone();
        }
        ctx.verdict
    }

    /// Whether the client is blacklisted and the request refused for it.
    fn check_blacklist(&self, ctx: &mut Ctx<'_>) -> bool {
        if let (Some(ip), true) = (ctx.ip, self.config.blacklist.enabled && !ctx.whitelisted) {
            if let Some(until) = self.store.blacklisted_until(ip, ctx.now) {
                let f = Finding::new(
                    Check::Blacklist,
                    1.0,
                    format!("blacklisted until {}", rfc3339(until)),
                );
                self.record(ctx, f, None);
            }
        }
        ctx.verdict.blocked
    }

    /// Counts the request towards the client's flood window; whether it is refused for it.
    fn check_flood(&self, ctx: &mut Ctx<'_>) -> bool {
        if let (true, Some(ip)) = (self.config.flood.enabled, ctx.ip) {
            let fl = &self.config.flood;
            if let Some(f) = rate::flood(&*self.store, ip, ctx.now, fl.max_requests, fl.window) {
                self.record(ctx, f, None);
            }
        }
        ctx.verdict.blocked
    }

    /// Request-level checks; each returns early once the request is refused.
    fn request_checks(&self, req: &Request, ctx: &mut Ctx<'_>) {
        if self.check_blacklist(ctx) {
            return;
        }
        if self.config.ztaa.enabled {
            let z = &self.config.ztaa;
            if let Some(f) = ztaa::inspect(req, &z.header, &z.secret, ctx.now) {
                self.record(ctx, f, None);
                if ctx.verdict.blocked {
                    return;
                }
            }
        }
        if self.config.spoofing.enabled {
            if let Some(f) = self.hosts.inspect(req.header("host")) {
                self.record(ctx, f, None);
                if ctx.verdict.blocked {
                    return;
                }
            }
        }
        if self.check_flood(ctx) {
            return;
        }
        let routes = self
            .routes
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let route = routes.check(&req.path, &req.method);
        if self.config.decoy.enabled && !matches!(route, RouteMatch::Routed { literal: true }) {
            // The decoy check is a function of the path alone: paths seen clean are memoized.
            let key = self.clean_paths.key(&req.path);
            if !key.is_some_and(|k| self.clean_paths.is_clean(k)) {
                match self.decoys.inspect(&req.path) {
                    Some(f) => {
                        self.record(ctx, f, None);
                        if ctx.verdict.blocked {
                            return;
                        }
                    }
                    None => {
                        if let Some(k) = key {
                            self.clean_paths.mark_clean(k);
                        }
                    }
                }
            }
        }
        let invalid = match route {
            RouteMatch::NotFound => Some(Finding::new(
                Check::UnroutedPath,
                1.0,
                "no route serves this path",
            )),
            RouteMatch::MethodNotAllowed => Some(Finding::new(
                Check::MethodNotAllowed,
                1.0,
                format!(
                    "method {} is not allowed on this route",
                    printable(&req.method, 16)
                ),
            )),
            _ => None,
        };
        if let Some(f) = invalid {
            if self.config.validation.enabled {
                self.record(ctx, f, None);
                let bf = &self.config.brute_force;
                if let (true, Some(ip)) = (bf.enabled, ctx.ip) {
                    ctx.verdict.error_counted = true;
                    if let Some(f) =
                        rate::brute_force(&*self.store, ip, ctx.now, bf.max_errors, bf.window)
                    {
                        self.record(ctx, f, None);
                    }
                }
            }
        }
    }

    /// Value detectors over every input and each decoded view of it. Inputs are inspected as
    /// extraction finds them, borrowed from the request: a value seen clean before costs one
    /// hash and one lookup.
    fn value_checks(
        &self,
        req: &Request,
        ctx: &mut Ctx<'_>,
        started: Instant,
        gate: &Gate<'_>,
        scope: Scope,
    ) {
        let limits = &self.config.limits;
        let deadline = started + Duration::from_micros(limits.deadline_us);
        let mut views: Vec<decode::View> = Vec::new();
        let mut scan_hits: Vec<&'static str> = Vec::new();
        let mut n = 0usize;
        // Bytes of the inputs inspected since the clock was last read.
        let mut unclocked = 0usize;
        let mut past_deadline = false;
        // Whether every input since it was last set passed whole: no finding, no bound met, no
        // session-cookie name. Read for the query string (see below).
        let spotless = Cell::new(true);
        // Session fixation is judged by a parameter's name and the Referer, not by the value:
        // before the clean-value memo, and once per request.
        let fixation_on = self.config.session_fixation.enabled;
        let mut fixation = fixation_on;
        let mut inspect = |input: Input<'_>| {
            if fixation_on {
                if let Some(planted) = self.sessions.planted(&input.location, &input.value) {
                    spotless.set(false);
                    if let (true, Some(f)) = (fixation, planted.finding(req)) {
                        fixation = false;
                        let w = Where {
                            location: &input.location,
                            payload: &input.value,
                            decoders: Vec::new(),
                            inner_path: None,
                        };
                        self.record(ctx, f, Some(w));
                    }
                }
            }
            if past_deadline {
                spotless.set(false);
                return;
            }
            // Reading the clock costs ~20 ns: every 8th input, and after every
            // `CLOCK_EVERY_BYTES` inspected, is often enough (not at the first input: the clock
            // was read as the request began). A long value alone may take milliseconds, so
            // eight of them between two readings would overrun the deadline eightfold.
            if n % 8 == 7 || unclocked >= CLOCK_EVERY_BYTES {
                unclocked = 0;
                if Instant::now() > deadline {
                    push_hit(&mut scan_hits, "deadline_us");
                    past_deadline = true;
                    spotless.set(false);
                    return;
                }
            }
            n += 1;
            unclocked += input.value.len();
            // Bounds met by this input alone (the request's list keeps each bound once).
            let mut met: Vec<&'static str> = Vec::new();
            let hits = self.scan_input(&input, &mut views, &mut met, gate);
            if !hits.is_empty() || !met.is_empty() {
                spotless.set(false);
            }
            for h in met {
                push_hit(&mut scan_hits, h);
            }
            for hit in hits {
                if hit.finding.check == Check::Ssrf && names_own_site(&input, req) {
                    continue;
                }
                let w = Where {
                    location: &input.location,
                    payload: &hit.payload,
                    decoders: hit.decoders,
                    inner_path: hit.inner_path,
                };
                self.record(ctx, hit.finding, Some(w));
            }
        };
        let mut out = extract::Out::new(limits.max_params, &mut inspect);
        match scope {
            Scope::Whole => self.extract_parts(req, &mut out, &spotless, gate),
            Scope::TraceHeaders => extract::extract_trace_headers(req, &mut out),
        }
        // Bounds of extraction first, then those of inspection, as they were met.
        let mut hits = out.finish();
        for h in scan_hits {
            push_hit(&mut hits, h);
        }
        if !hits.is_empty() {
            ctx.incomplete = true;
            self.stats.limit_exceeded.fetch_add(1, Ordering::Relaxed);
            let f = Finding::new(
                Check::LimitExceeded,
                1.0,
                format!("not fully inspected: {}", hits.join(", ")),
            );
            self.record(ctx, f, None);
        }
    }

    /// Delivers every input of the request to `out`, taking the parts the memos know whole
    /// (query string, browser headers, Cookie header, body) as remembered.
    fn extract_parts(
        &self,
        req: &Request,
        out: &mut extract::Out<'_>,
        spotless: &Cell<bool>,
        gate: &Gate<'_>,
    ) {
        let limits = &self.config.limits;
        // A query string seen whole and clean before is not taken apart again: the same links
        // are followed by many users. Whole means no finding, no bound met, no repeated name
        // (repeats are joined and inspected last) and no session-cookie name (that check
        // depends on the Referer, not on the query).
        let query_key = match req.query.is_empty() {
            true => None,
            false => self.clean_queries.key(&req.query),
        };
        extract::extract_path(req, out);
        remembered_part(&self.clean_queries, query_key, out, spotless, |out| {
            extract::extract_query(req, out)
        });
        // The same holds for a browser's headers: it sends the same User-Agent, Accept,
        // Accept-Language, ... with every request, so the set is remembered whole (names and
        // values, in order) once every one of them passed whole. The Referer changes from page
        // to page, a trace or request id with every request: they are left out of the set and
        // inspected as values of their own.
        let header_key = self
            .clean_headers
            .key_of_pairs(extract::browser_headers(req));
        remembered_part(&self.clean_headers, header_key, out, spotless, |out| {
            extract::extract_headers(req, out)
        });
        extract::extract_page_headers(req, out);
        // A visitor sends the same Cookie header with every request of a session: not parsed
        // again once it passed whole (its values would be remembered one by one anyway).
        if req.header("cookie").is_some() {
            let cookie_key = self
                .clean_cookies
                .key_of_pairs(req.header_all("cookie").map(|v| ("", v)));
            remembered_part(&self.clean_cookies, cookie_key, out, spotless, |out| {
                extract::extract_cookies(req, out)
            });
        }
        // A body seen whole and clean before (an API client sending the same JSON again) is
        // not parsed again either. Its reading depends on the content type (and a multipart
        // boundary), which is part of the key.
        let body_key = match req.body.is_empty() || req.body_truncated {
            true => None,
            false => self.clean_bodies.key_of_bytes_and_pairs(
                &req.body,
                std::iter::once(("", req.header("content-type").unwrap_or(""))),
            ),
        };
        if !req.body.is_empty() || req.body_truncated {
            remembered_part(&self.clean_bodies, body_key, out, spotless, |out| {
                gate.pass();
                extract::extract_body_part(req, limits, out)
            });
        }
    }

    /// Runs the value detectors on one input and its decoded views; the best finding per check
    /// (at or above that detector's threshold) is returned.
    fn scan_input(
        &self,
        input: &Input<'_>,
        views: &mut Vec<decode::View>,
        hits: &mut Vec<&'static str>,
        gate: &Gate<'_>,
    ) -> Vec<Hit> {
        let limits = &self.config.limits;
        let text = clip(&input.value, limits.max_value_len);
        if text.len() < input.value.len() {
            push_hit(hits, "max_value_len");
        }
        // A file name is judged by where it is, not only by what it says: the clean-value memo
        // (keyed by text alone) neither answers for upload names nor learns from them.
        let upload = self.values.upload_field(&input.location);
        // An XML body's nodes are inputs of their own: the `xml` decoder does not read it
        // again. What is found in it then depends on where it is, as for upload names.
        let walked = matches!(input.location, Location::XmlBody);
        let key = match upload {
            Some(_) => None,
            None if walked => None,
            None => self.clean.key(text),
        };
        if key.is_some_and(|k| self.clean.is_clean(k)) {
            return Vec::new();
        }
        gate.fresh_value(text.len());
        let base_chain: Vec<String> = input.joined.iter().map(|s| s.to_string()).collect();
        let mut best: Vec<Hit> = Vec::new();
        let mut found: Vec<Finding> = Vec::new();
        // One pass over the bytes for the detectors' prefilter and the decoders' hints.
        let present = Classes::of(text);
        self.values.inspect_classified(text, present, &mut found);
        spare_network_setting(&mut found, text, &[]);
        if let Some(field) = upload {
            self.values.inspect_upload(field, text, &mut found);
        }
        self.keep_best(&mut best, &mut found, text, &base_chain, None);
        views.clear();
        let skip = walked.then_some(decode::Decoder::Xml);
        let limited = decode::expand_classified_without(text, present, limits, skip, views);
        if limited {
            push_hit(hits, "max_decode_depth");
        }
        for v in views.iter() {
            self.values.inspect(&v.text, &mut found);
            spare_network_setting(&mut found, &v.text, &v.chain);
            if let Some(field) = upload {
                self.values.inspect_upload(field, &v.text, &mut found);
            }
            if found.is_empty() {
                continue;
            }
            let mut chain = base_chain.clone();
            chain.extend(v.chain.iter().map(|s| s.to_string()));
            self.keep_best(&mut best, &mut found, &v.text, &chain, v.json_path.clone());
        }
        if let (Some(k), true, false) = (key, best.is_empty(), limited) {
            self.clean.mark_clean(k);
        }
        best
    }

    fn keep_best(
        &self,
        best: &mut Vec<Hit>,
        found: &mut Vec<Finding>,
        text: &str,
        chain: &[String],
        inner_path: Option<String>,
    ) {
        for f in found.drain(..) {
            if f.score < self.threshold(f.check) {
                continue;
            }
            match best.iter_mut().find(|h| h.finding.check == f.check) {
                Some(h) if h.finding.score >= f.score => {}
                Some(h) => {
                    *h = Hit::new(f, text, chain, inner_path.clone());
                }
                None => best.push(Hit::new(f, text, chain, inner_path.clone())),
            }
        }
    }

    fn threshold(&self, c: Check) -> f32 {
        self.config
            .detectors()
            .iter()
            .find(|(n, _)| *n == c.slug())
            .map(|(_, d)| d.threshold)
            .unwrap_or(0.5)
    }

    /// Scans one value as a query-string value would be scanned, through all decoders.
    pub fn scan_value(&self, text: &str) -> Vec<ScanFinding> {
        let input = Input::new(Location::QueryValue("value".into()), text);
        let mut views = Vec::new();
        let mut hits = Vec::new();
        self.scan_input(&input, &mut views, &mut hits, &Gate::new(&mut || {}))
            .into_iter()
            .map(|h| ScanFinding {
                check: h.finding.check,
                score: h.finding.score,
                evidence: h.finding.evidence,
                decoders: h.decoders,
                inner_path: h.inner_path,
            })
            .collect()
    }

    /// Applies policy to a finding: event, block, blacklist.
    fn record(&self, ctx: &mut Ctx<'_>, f: Finding, w: Option<Where<'_>>) {
        let outcome = decide(&self.config, f.check, ctx.whitelisted);
        if outcome == Outcome::Ignore {
            return;
        }
        ctx.recorded = true;
        if outcome.blocks() {
            ctx.verdict.blocked = true;
        }
        if outcome == Outcome::Blacklist {
            if let Some(ip) = ctx.ip {
                self.store
                    .blacklist(ip, ctx.now, ctx.now + self.config.blacklist_ttl as f64);
            }
        }
        if ctx.verdict.events.len() >= self.config.log.max_events_per_request {
            self.stats.events_suppressed.fetch_add(1, Ordering::Relaxed);
            return;
        }
        self.stats.events.fetch_add(1, Ordering::Relaxed);
        let max = self.config.log.max_payload;
        let (location, payload, decoders) = match w {
            Some(w) => (
                Some(EventLocation {
                    kind: w.location.kind().to_string(),
                    name: w.location.name().map(|n| printable(n, 100)),
                    inner_path: w.inner_path,
                }),
                Some(printable(w.payload, max)),
                w.decoders,
            ),
            None => (None, None, Vec::new()),
        };
        let event = Event {
            time: rfc3339(ctx.now),
            app: self.config.app_name.clone(),
            kind: f.check.slug(),
            label: f.check.label(),
            client: ctx.verdict.client.clone(),
            method: printable(ctx.req_method, 16),
            path: printable(ctx.req_path, 200),
            location,
            payload,
            decoders,
            score: f.score,
            evidence: f.evidence,
            codes: Codes {
                mitre: f.check.mitre(),
                ironrasp: f.check.code(),
            },
            action: outcome.as_str(),
        };
        self.output.event(event.clone());
        ctx.verdict.events.push(event);
    }
}

/// The best finding of one check on one input, with the view that showed it.
struct Hit {
    finding: Finding,
    payload: String,
    decoders: Vec<String>,
    inner_path: Option<String>,
}

impl Hit {
    fn new(finding: Finding, text: &str, chain: &[String], inner_path: Option<String>) -> Self {
        Hit {
            finding,
            payload: text.to_string(),
            decoders: chain.to_vec(),
            inner_path,
        }
    }
}

/// Whether `text` is exactly how `ip` is written ("198.51.100.7"): Rust's IPv4 parser takes
/// only that spelling (no leading zeros, no spaces), so parsing is the check.
/// A Referer or Origin header naming the host that serves the request (see
/// [`crate::own_origin`]): a browser's account of the page the user is on.
fn names_own_site(input: &Input<'_>, req: &Request) -> bool {
    matches!(&input.location, Location::Header(n)
        if n.eq_ignore_ascii_case("referer") || n.eq_ignore_ascii_case("origin"))
        && req
            .header("host")
            .is_some_and(|h| crate::own_origin::names_own_host(&input.value, h))
}

fn is_dotted_quad_of(text: &str, ip: std::net::Ipv4Addr) -> bool {
    // Spelled here rather than parsed again: the peer was parsed once already.
    let mut spelled = [0u8; 15];
    let mut n = 0;
    for (i, octet) in ip.octets().into_iter().enumerate() {
        if i > 0 {
            spelled[n] = b'.';
            n += 1;
        }
        let digits = [octet / 100, octet / 10 % 10, octet % 10];
        let skip = match octet {
            0..=9 => 2,
            10..=99 => 1,
            _ => 0,
        };
        for d in &digits[skip..] {
            spelled[n] = b'0' + d;
            n += 1;
        }
    }
    text.as_bytes() == &spelled[..n]
}

fn push_hit(hits: &mut Vec<&'static str>, name: &'static str) {
    if !hits.contains(&name) {
        hits.push(name);
    }
}

#[cfg(test)]
mod tests {
    use super::is_dotted_quad_of;
    use std::net::Ipv4Addr;

    #[test]
    fn a_dotted_quad_is_the_canonical_spelling_only() {
        for octets in [
            [0, 0, 0, 0],
            [192, 0, 2, 1],
            [10, 99, 100, 255],
            [9, 10, 199, 200],
        ] {
            let ip = Ipv4Addr::from(octets);
            assert!(is_dotted_quad_of(&ip.to_string(), ip), "{ip}");
        }
        let ip = Ipv4Addr::new(192, 0, 2, 1);
        for other in [
            "192.0.2.01",
            " 192.0.2.1",
            "192.0.2.1 ",
            "192.0.2.10",
            "192.0.2",
            "",
        ] {
            assert!(!is_dotted_quad_of(other, ip), "{other:?}");
        }
        // Agrees with parsing on every octet value.
        for o in 0..=255u8 {
            let ip = Ipv4Addr::new(o, 255 - o, o / 3, 7);
            for text in [
                ip.to_string(),
                format!("{o:03}.1.2.3"),
                format!("1.{o}.2.3"),
            ] {
                assert_eq!(
                    is_dotted_quad_of(&text, ip),
                    text.parse::<Ipv4Addr>() == Ok(ip),
                    "{text}"
                );
            }
        }
    }
}

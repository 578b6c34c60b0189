//! A client for a FHIR R4 terminology server (such as the NHS England Terminology Server),
//! implementing [`mods_core::terminology::TerminologyProvider`] so that validation can check
//! codes from terminologies too large or too restricted to embed (SNOMED CT UK edition, dm+d).
//!
//! The client is blocking (no async runtime) and calls three FHIR R4 operations:
//!
//! - `ValueSet/$validate-code` when the request names a value set,
//! - `CodeSystem/$lookup` when it does not,
//! - `ValueSet/$expand`, through [`FhirTerminologyClient::expand`], for search and pick lists.
//!
//! Redirects are followed only within the server's origin (same scheme, host and port), at
//! most [`MAX_REDIRECTS`] times; a redirect to another origin is refused unless the caller
//! allows it with [`FhirTerminologyClientBuilder::allow_cross_origin_redirects`], and even
//! then the bearer token is sent to the configured origin only.
//!
//! Answers are cached in memory ([`CodeCheck::Valid`] and [`CodeCheck::Invalid`] only). Any
//! failure to get a usable answer (network error, timeout, unexpected status, unparsable body)
//! becomes [`CodeCheck::Unavailable`] with a short reason that never contains the code or any
//! other record data, so validation reports the code as unchecked, never as valid.
//!
//! ```no_run
//! use mods_core::terminology::{CodeRequest, TerminologyProvider};
//! use mods_terminology::FhirTerminologyClient;
//! use std::time::Duration;
//!
//! let client = FhirTerminologyClient::builder("https://terminology.example.org/fhir")
//!     .timeout(Duration::from_secs(5))
//!     .bearer_token("token obtained by the caller")
//!     .build()?;
//! let answer = client.check_code(&CodeRequest {
//!     system: "http://snomed.info/sct",
//!     code: "73211009",
//!     value_set: None,
//! });
//! println!("{answer:?}");
//! # Ok::<(), mods_terminology::ClientError>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod redirect;

use redirect::Origin;
pub use redirect::MAX_REDIRECTS;

use mods_core::terminology::{CodeCheck, CodeRequest, TerminologyProvider, SNOMED_CT};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Mutex, PoisonError, RwLock};
use std::time::Duration;

/// Default time allowed for one request, connection included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// Default maximum number of answers kept in the cache.
pub const DEFAULT_CACHE_CAPACITY: usize = 10_000;

/// Largest response body accepted (bytes).
const MAX_BODY: u64 = 16 * 1024 * 1024;

/// Characters left as they are in query values: RFC 3986 unreserved ones.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Why a request to the terminology server failed.
///
/// The messages are short and never contain the code asked about or any other record data:
/// they are used verbatim as the reason of [`CodeCheck::Unavailable`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The base URL is not an `http://` or `https://` URL.
    #[error("invalid terminology server URL (expected http:// or https://...)")]
    InvalidBaseUrl,
    /// The server did not answer in time.
    #[error("terminology server did not answer within {}", human(*.after))]
    Timeout {
        /// The configured timeout.
        after: Duration,
    },
    /// The server could not be reached (refused, unknown host, connection dropped).
    #[error("cannot reach the terminology server")]
    Connect,
    /// The TLS handshake or certificate check failed.
    #[error("TLS failure talking to the terminology server")]
    Tls,
    /// The server refused the credentials (HTTP 401 or 403).
    #[error("terminology server refused the credentials (HTTP {status})")]
    Unauthorized {
        /// The HTTP status.
        status: u16,
    },
    /// The server reported that the value set (or code) does not exist.
    #[error("terminology server reported not found")]
    NotFound,
    /// The server answered with an unexpected HTTP status.
    #[error("terminology server answered HTTP {status}")]
    Status {
        /// The HTTP status.
        status: u16,
    },
    /// The server's answer could not be used.
    #[error("terminology server sent an unusable answer: {0}")]
    BadResponse(&'static str),
    /// Any other transport failure.
    #[error("could not talk to the terminology server")]
    Transport,
    /// The server redirected to another origin (scheme, host or port) and cross-origin
    /// redirects are not allowed. `to` is the target's origin only (`scheme://host:port`),
    /// never its path, query or user information; it is `None` when the host could carry
    /// something the client sent (it contains one of the request's values, such as the
    /// code) or is not a plain host name, so the reason never repeats record data.
    #[error(
        "terminology server redirected to another origin{}; not followed \
         (cross-origin redirects are not allowed)",
        .to.as_deref().map(|o| format!(" ({o})")).unwrap_or_default()
    )]
    CrossOriginRedirect {
        /// The origin redirected to, as `scheme://host:port`, when it is safe to show.
        to: Option<String>,
    },
    /// The server redirected from `https` to plain `http`; never followed.
    #[error("terminology server redirected from https to http; not followed")]
    InsecureRedirect,
    /// The server redirected more than [`MAX_REDIRECTS`] times (a loop, most likely).
    #[error("terminology server redirected more than {} times", MAX_REDIRECTS)]
    TooManyRedirects,
    /// A redirect without a `Location`, or to something that is not an `http(s)` URL.
    #[error("terminology server sent a redirect without a usable http(s) Location")]
    BadRedirect,
}

/// `5 s`, `300 ms`, `1.5 s`.
fn human(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// One entry of a value-set expansion: `(system, code, display)`; the display is empty when
/// the server gave none.
pub type ExpansionEntry = (String, String, String);

type CacheKey = (String, String, Option<String>);

/// A bounded map that forgets its oldest entries first.
#[derive(Debug, Default)]
struct BoundedCache {
    map: HashMap<CacheKey, CodeCheck>,
    order: VecDeque<CacheKey>,
    capacity: usize,
}

impl BoundedCache {
    fn new(capacity: usize) -> Self {
        BoundedCache {
            map: HashMap::new(),
            order: VecDeque::new(),
            capacity,
        }
    }

    fn get(&self, key: &CacheKey) -> Option<CodeCheck> {
        self.map.get(key).cloned()
    }

    fn insert(&mut self, key: CacheKey, value: CodeCheck) {
        if self.capacity == 0 {
            return;
        }
        if self.map.insert(key.clone(), value).is_none() {
            self.order.push_back(key);
        }
        while self.map.len() > self.capacity {
            match self.order.pop_front() {
                Some(old) => {
                    self.map.remove(&old);
                }
                None => break,
            }
        }
    }

    fn clear(&mut self) {
        self.map.clear();
        self.order.clear();
    }
}

/// Builder for a [`FhirTerminologyClient`]; start with [`FhirTerminologyClient::builder`].
#[derive(Clone)]
pub struct FhirTerminologyClientBuilder {
    base_url: String,
    timeout: Duration,
    bearer_token: Option<String>,
    covers: Vec<String>,
    cache_capacity: usize,
    env_proxy: bool,
    cross_origin_redirects: bool,
}

impl fmt::Debug for FhirTerminologyClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FhirTerminologyClientBuilder")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field(
                "bearer_token",
                &self.bearer_token.as_ref().map(|_| "<redacted>"),
            )
            .field("covers", &self.covers)
            .field("cache_capacity", &self.cache_capacity)
            .field("env_proxy", &self.env_proxy)
            .field("cross_origin_redirects", &self.cross_origin_redirects)
            .finish()
    }
}

impl FhirTerminologyClientBuilder {
    /// Time allowed for one request, from connecting to the end of the body (default 5 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Send `Authorization: Bearer <token>` with every request. The caller obtains the token
    /// (for the NHS England Terminology Server, with its OAuth2 client-credentials flow); it
    /// can be replaced later with [`FhirTerminologyClient::set_bearer_token`].
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(token.into());
        self
    }

    /// The code-system URIs this client answers for; every other system gets
    /// [`CodeCheck::NotCovered`] without a request. Replaces the default, which is SNOMED CT
    /// (`http://snomed.info/sct`) only.
    pub fn covers<I, S>(mut self, systems: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.covers = systems.into_iter().map(Into::into).collect();
        self
    }

    /// Maximum number of answers kept in the in-memory cache (default 10,000; 0 disables the
    /// cache). When full, the oldest answers are forgotten first.
    pub fn cache_capacity(mut self, entries: usize) -> Self {
        self.cache_capacity = entries;
        self
    }

    /// Whether to use a proxy named by the `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY`
    /// environment variables (default `true`). Turn it off to always connect directly.
    pub fn env_proxy(mut self, on: bool) -> Self {
        self.env_proxy = on;
        self
    }

    /// Whether to follow a redirect to another origin (another scheme, host or port than the
    /// base URL's). Default `false`: such a redirect is refused and the code is reported
    /// [`CodeCheck::Unavailable`] with [`ClientError::CrossOriginRedirect`] as the reason.
    ///
    /// Even when allowed, the bearer token (the only credential the client sends) goes to
    /// the base URL's origin only, never to another one, and a redirect from `https` to
    /// `http` is always refused ([`ClientError::InsecureRedirect`]). Redirects within the
    /// origin are always followed, with the token, up to [`MAX_REDIRECTS`] in all.
    pub fn allow_cross_origin_redirects(mut self, allow: bool) -> Self {
        self.cross_origin_redirects = allow;
        self
    }

    /// Build the client. Fails only when the base URL is not an `http://` or `https://` URL.
    pub fn build(self) -> Result<FhirTerminologyClient, ClientError> {
        let base = self.base_url.trim().trim_end_matches('/').to_owned();
        let rest = base
            .strip_prefix("https://")
            .or_else(|| base.strip_prefix("http://"))
            .ok_or(ClientError::InvalidBaseUrl)?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if host.is_empty() || rest.contains(['?', '#']) || rest.contains(char::is_whitespace) {
            return Err(ClientError::InvalidBaseUrl);
        }
        let origin = Origin::of(&base).ok_or(ClientError::InvalidBaseUrl)?;
        let proxy = if self.env_proxy {
            ureq::Proxy::try_from_env()
        } else {
            None
        };
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .proxy(proxy)
            .timeout_global(Some(self.timeout))
            .timeout_connect(Some(self.timeout))
            .http_status_as_error(false)
            // Redirects are followed by `get`, which checks each one.
            .max_redirects(0)
            .user_agent(concat!("mods-terminology/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(FhirTerminologyClient {
            base_url: base,
            origin,
            cross_origin_redirects: self.cross_origin_redirects,
            timeout: self.timeout,
            bearer_token: RwLock::new(self.bearer_token),
            covers: self.covers,
            cache: Mutex::new(BoundedCache::new(self.cache_capacity)),
            agent,
        })
    }
}

/// A blocking client for a FHIR R4 terminology server.
///
/// Cheap to share between threads (`Send + Sync`); the cache is shared by all callers.
pub struct FhirTerminologyClient {
    base_url: String,
    origin: Origin,
    cross_origin_redirects: bool,
    timeout: Duration,
    bearer_token: RwLock<Option<String>>,
    covers: Vec<String>,
    cache: Mutex<BoundedCache>,
    agent: ureq::Agent,
}

impl fmt::Debug for FhirTerminologyClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let has_token = self
            .bearer_token
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some();
        f.debug_struct("FhirTerminologyClient")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("bearer_token", &has_token.then_some("<redacted>"))
            .field("covers", &self.covers)
            .field("cross_origin_redirects", &self.cross_origin_redirects)
            .finish_non_exhaustive()
    }
}

/// What a transport call gave back.
struct Reply {
    status: u16,
    body: Vec<u8>,
}

impl FhirTerminologyClient {
    /// A client for the server at `base_url` (e.g. `https://host/fhir`, without the trailing
    /// resource path) with the default settings: 5 s timeout, no token, SNOMED CT only,
    /// 10,000 cached answers.
    pub fn new(base_url: impl Into<String>) -> Result<Self, ClientError> {
        Self::builder(base_url).build()
    }

    /// A builder to configure the timeout, token, covered systems and cache size.
    pub fn builder(base_url: impl Into<String>) -> FhirTerminologyClientBuilder {
        FhirTerminologyClientBuilder {
            base_url: base_url.into(),
            timeout: DEFAULT_TIMEOUT,
            bearer_token: None,
            covers: vec![SNOMED_CT.to_owned()],
            cache_capacity: DEFAULT_CACHE_CAPACITY,
            env_proxy: true,
            cross_origin_redirects: false,
        }
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The request timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The code-system URIs this client answers for.
    pub fn covered_systems(&self) -> &[String] {
        &self.covers
    }

    /// Whether this client answers for `system`.
    pub fn covers(&self, system: &str) -> bool {
        self.covers.iter().any(|s| s == system)
    }

    /// Replace (or remove, with `None`) the bearer token, e.g. when an OAuth2 token expires.
    /// Cached answers are kept.
    pub fn set_bearer_token(&self, token: Option<String>) {
        *self
            .bearer_token
            .write()
            .unwrap_or_else(PoisonError::into_inner) = token;
    }

    /// Number of answers in the cache.
    pub fn cache_len(&self) -> usize {
        self.cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .map
            .len()
    }

    /// Forget every cached answer.
    pub fn clear_cache(&self) {
        self.cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// Expand a value set with `ValueSet/$expand`, optionally filtered by text, returning at
    /// most `count` entries as `(system, code, display)`.
    pub fn expand(
        &self,
        value_set_url: &str,
        filter: Option<&str>,
        count: usize,
    ) -> Result<Vec<ExpansionEntry>, ClientError> {
        let count_text = count.to_string();
        let mut query = vec![("url", value_set_url), ("count", count_text.as_str())];
        if let Some(f) = filter {
            query.push(("filter", f));
        }
        let reply = self.get("ValueSet/$expand", &query)?;
        let v = classify(reply)?;
        if v.get("resourceType").and_then(Value::as_str) != Some("ValueSet") {
            return Err(ClientError::BadResponse("expected a ValueSet"));
        }
        let mut out = Vec::new();
        if let Some(contains) = v.pointer("/expansion/contains").and_then(Value::as_array) {
            collect_contains(contains, count, 0, &mut out);
        } else if v.get("expansion").is_none() {
            return Err(ClientError::BadResponse("the ValueSet has no expansion"));
        }
        Ok(out)
    }

    /// Check a code without the cache or the coverage test: `$validate-code` when a value
    /// set is named, `$lookup` otherwise.
    fn ask(&self, r: &CodeRequest<'_>) -> Result<CodeCheck, ClientError> {
        match r.value_set {
            Some(vs) => {
                let reply = self.get(
                    "ValueSet/$validate-code",
                    &[("url", vs), ("system", r.system), ("code", r.code)],
                )?;
                let v = classify(reply)?;
                let params = parameters(&v)?;
                match param(params, "result").and_then(|p| p.get("valueBoolean")) {
                    Some(Value::Bool(true)) => Ok(CodeCheck::Valid {
                        display: param_string(params, "display"),
                        inactive: inactive(params),
                    }),
                    Some(Value::Bool(false)) => Ok(CodeCheck::Invalid),
                    _ => Err(ClientError::BadResponse("no boolean result")),
                }
            }
            None => {
                let reply = self.get(
                    "CodeSystem/$lookup",
                    &[
                        ("system", r.system),
                        ("code", r.code),
                        ("property", "inactive"),
                    ],
                )?;
                let v = match classify(reply) {
                    Ok(v) => v,
                    Err(ClientError::NotFound) => return Ok(CodeCheck::Invalid),
                    Err(e) => return Err(e),
                };
                let params = parameters(&v)?;
                // $lookup has no `result`; some servers add one anyway.
                if let Some(Value::Bool(false)) =
                    param(params, "result").and_then(|p| p.get("valueBoolean"))
                {
                    return Ok(CodeCheck::Invalid);
                }
                Ok(CodeCheck::Valid {
                    display: param_string(params, "display"),
                    inactive: inactive(params),
                })
            }
        }
    }

    /// GET `{base}/{operation}?query`, with a FHIR JSON `Accept` header and, to the base
    /// URL's origin only, the token; redirects are followed as described on
    /// [`FhirTerminologyClientBuilder::allow_cross_origin_redirects`].
    fn get(&self, operation: &str, query: &[(&str, &str)]) -> Result<Reply, ClientError> {
        let mut url = format!("{}/{operation}", self.base_url);
        for (i, (k, v)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(k);
            url.push('=');
            url.extend(utf8_percent_encode(v, QUERY_VALUE));
        }
        let token = self
            .bearer_token
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let mut origin = self.origin.clone();
        let mut redirects = 0;
        loop {
            let mut req = self
                .agent
                .get(&url)
                .header("Accept", "application/fhir+json");
            if let Some(t) = token.as_deref().filter(|_| origin == self.origin) {
                req = req.header("Authorization", &format!("Bearer {t}"));
            }
            let mut resp = req.call().map_err(|e| self.map_error(e))?;
            let status = resp.status().as_u16();
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                if redirects == MAX_REDIRECTS {
                    return Err(ClientError::TooManyRedirects);
                }
                redirects += 1;
                let next = resp
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|l| redirect::resolve(&url, l))
                    .ok_or(ClientError::BadRedirect)?;
                let next_origin = Origin::of(&next).ok_or(ClientError::BadRedirect)?;
                let sent: Vec<&str> = query.iter().map(|(_, v)| *v).collect();
                redirect::check(
                    &self.origin,
                    &origin,
                    &next_origin,
                    self.cross_origin_redirects,
                    &sent,
                )?;
                url = next;
                origin = next_origin;
                continue;
            }
            let body = resp
                .body_mut()
                .with_config()
                .limit(MAX_BODY)
                .read_to_vec()
                .map_err(|e| self.map_error(e))?;
            return Ok(Reply { status, body });
        }
    }

    /// Turn a transport error into a [`ClientError`] that carries no request data.
    fn map_error(&self, e: ureq::Error) -> ClientError {
        use std::io::ErrorKind;
        match e {
            ureq::Error::Timeout(_) => ClientError::Timeout {
                after: self.timeout,
            },
            ureq::Error::Io(io) => match io.kind() {
                ErrorKind::TimedOut | ErrorKind::WouldBlock => ClientError::Timeout {
                    after: self.timeout,
                },
                ErrorKind::ConnectionRefused
                | ErrorKind::ConnectionReset
                | ErrorKind::ConnectionAborted
                | ErrorKind::NotConnected
                | ErrorKind::AddrNotAvailable
                | ErrorKind::BrokenPipe
                | ErrorKind::UnexpectedEof => ClientError::Connect,
                _ => ClientError::Transport,
            },
            ureq::Error::ConnectionFailed | ureq::Error::HostNotFound => ClientError::Connect,
            ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) => ClientError::Tls,
            ureq::Error::BodyExceedsLimit(_) => ClientError::BadResponse("answer too large"),
            ureq::Error::Protocol(_) => ClientError::BadResponse("not a valid HTTP answer"),
            _ => ClientError::Transport,
        }
    }
}

/// Sort a reply: a 2xx JSON body, a clean not-found, or an error.
fn classify(reply: Reply) -> Result<Value, ClientError> {
    let json: Option<Value> = serde_json::from_slice(&reply.body).ok();
    match reply.status {
        200..=299 => json.ok_or(ClientError::BadResponse("not JSON")),
        401 | 403 => Err(ClientError::Unauthorized {
            status: reply.status,
        }),
        status @ (400 | 404 | 410 | 422) => {
            let outcome = json.filter(|v| {
                v.get("resourceType").and_then(Value::as_str) == Some("OperationOutcome")
            });
            match outcome {
                // A FHIR 404 (not a proxy's or a wrong path's HTML page) is a clean not-found.
                Some(_) if status == 404 || status == 410 => Err(ClientError::NotFound),
                Some(oo) if says_not_found(&oo) => Err(ClientError::NotFound),
                _ => Err(ClientError::Status { status }),
            }
        }
        status => Err(ClientError::Status { status }),
    }
}

/// Whether an OperationOutcome has an issue of type `not-found`.
fn says_not_found(oo: &Value) -> bool {
    oo.get("issue")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|i| i.get("code").and_then(Value::as_str) == Some("not-found"))
}

/// The `parameter` array of a `Parameters` resource.
fn parameters(v: &Value) -> Result<&[Value], ClientError> {
    if v.get("resourceType").and_then(Value::as_str) != Some("Parameters") {
        return Err(ClientError::BadResponse("expected a Parameters resource"));
    }
    Ok(v.get("parameter")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default())
}

/// The first parameter (or part) named `name`.
fn param<'a>(params: &'a [Value], name: &str) -> Option<&'a Value> {
    params
        .iter()
        .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
}

fn param_string(params: &[Value], name: &str) -> Option<String> {
    param(params, name)
        .and_then(|p| p.get("valueString"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Whether the answer says the concept is inactive: a top-level `inactive` parameter, or a
/// `property` whose `code` part is `inactive` (valueBoolean) or `status` (retired/inactive).
fn inactive(params: &[Value]) -> bool {
    if let Some(Value::Bool(b)) = param(params, "inactive").and_then(|p| p.get("valueBoolean")) {
        return *b;
    }
    params
        .iter()
        .filter(|p| p.get("name").and_then(Value::as_str) == Some("property"))
        .filter_map(|p| p.get("part").and_then(Value::as_array))
        .any(|parts| {
            let code = param(parts, "code")
                .and_then(|c| c.get("valueCode").or_else(|| c.get("valueString")))
                .and_then(Value::as_str);
            let value = param(parts, "value");
            match code {
                Some("inactive") => {
                    value.and_then(|v| v.get("valueBoolean")) == Some(&Value::Bool(true))
                }
                Some("status") => matches!(
                    value
                        .and_then(|v| v.get("valueCode").or_else(|| v.get("valueString")))
                        .and_then(Value::as_str),
                    Some("retired" | "inactive")
                ),
                _ => false,
            }
        })
}

/// Walk `expansion.contains` (nested entries included), keeping at most `max` entries.
fn collect_contains(items: &[Value], max: usize, depth: usize, out: &mut Vec<ExpansionEntry>) {
    if depth > 64 {
        return;
    }
    for c in items {
        if out.len() >= max {
            return;
        }
        if let (Some(system), Some(code)) = (
            c.get("system").and_then(Value::as_str),
            c.get("code").and_then(Value::as_str),
        ) {
            let display = c.get("display").and_then(Value::as_str).unwrap_or_default();
            out.push((system.to_owned(), code.to_owned(), display.to_owned()));
        }
        if let Some(nested) = c.get("contains").and_then(Value::as_array) {
            collect_contains(nested, max, depth + 1, out);
        }
    }
}

impl TerminologyProvider for FhirTerminologyClient {
    fn name(&self) -> &str {
        "terminology server"
    }

    fn check_code(&self, request: &CodeRequest<'_>) -> CodeCheck {
        if !self.covers(request.system) {
            return CodeCheck::NotCovered;
        }
        if request.code.trim().is_empty() {
            return CodeCheck::Invalid;
        }
        let key: CacheKey = (
            request.system.to_owned(),
            request.code.to_owned(),
            request.value_set.map(str::to_owned),
        );
        if let Some(hit) = self
            .cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return hit;
        }
        match self.ask(request) {
            Ok(answer) => {
                if matches!(answer, CodeCheck::Valid { .. } | CodeCheck::Invalid) {
                    self.cache
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .insert(key, answer.clone());
                }
                answer
            }
            Err(e) => CodeCheck::Unavailable {
                reason: e.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn human_durations() {
        assert_eq!(human(Duration::from_secs(5)), "5 s");
        assert_eq!(human(Duration::from_millis(300)), "300 ms");
        assert_eq!(human(Duration::from_millis(1500)), "1.5 s");
    }

    #[test]
    fn base_url_checked() {
        assert!(FhirTerminologyClient::new("https://tx.example.org/fhir/").is_ok());
        assert!(FhirTerminologyClient::new("http://127.0.0.1:8080").is_ok());
        assert_eq!(
            FhirTerminologyClient::new("tx.example.org").err(),
            Some(ClientError::InvalidBaseUrl)
        );
        assert_eq!(
            FhirTerminologyClient::new("https://").err(),
            Some(ClientError::InvalidBaseUrl)
        );
        let c = FhirTerminologyClient::new("https://tx.example.org/fhir/").ok();
        assert_eq!(
            c.map(|c| c.base_url().to_owned()).as_deref(),
            Some("https://tx.example.org/fhir")
        );
    }

    #[test]
    fn cache_is_bounded() {
        let mut c = BoundedCache::new(2);
        for i in 0..5 {
            c.insert(("s".into(), i.to_string(), None), CodeCheck::Invalid);
        }
        assert_eq!(c.map.len(), 2);
        assert!(c.get(&("s".into(), "4".into(), None)).is_some());
        assert!(c.get(&("s".into(), "0".into(), None)).is_none());
        let mut off = BoundedCache::new(0);
        off.insert(("s".into(), "1".into(), None), CodeCheck::Invalid);
        assert!(off.map.is_empty());
    }

    #[test]
    fn reads_inactive_forms() {
        let prop = json!([{"name": "property", "part": [
            {"name": "code", "valueCode": "inactive"}, {"name": "value", "valueBoolean": true}]}]);
        assert!(inactive(
            prop.as_array().map(Vec::as_slice).unwrap_or_default()
        ));
        let top = json!([{"name": "inactive", "valueBoolean": true}]);
        assert!(inactive(
            top.as_array().map(Vec::as_slice).unwrap_or_default()
        ));
        let active = json!([{"name": "property", "part": [
            {"name": "code", "valueCode": "inactive"}, {"name": "value", "valueBoolean": false}]}]);
        assert!(!inactive(
            active.as_array().map(Vec::as_slice).unwrap_or_default()
        ));
    }

    #[test]
    fn not_found_needs_fhir_body() {
        let oo = br#"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found"}]}"#;
        let r = |status, body: &[u8]| {
            classify(Reply {
                status,
                body: body.to_vec(),
            })
        };
        assert_eq!(r(404, oo).err(), Some(ClientError::NotFound));
        assert_eq!(r(400, oo).err(), Some(ClientError::NotFound));
        assert_eq!(
            r(404, b"<html>no</html>").err(),
            Some(ClientError::Status { status: 404 })
        );
        assert_eq!(r(500, oo).err(), Some(ClientError::Status { status: 500 }));
        assert_eq!(
            r(200, b"{oops").err(),
            Some(ClientError::BadResponse("not JSON"))
        );
    }
}

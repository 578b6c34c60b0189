//! The client against a small FHIR terminology endpoint started by each test on 127.0.0.1
//! (ephemeral port). The endpoint serves real UK Core R4 CodeSystems and ValueSets from the
//! shared folder beside the repository (`../shared/fhir/ukcore`, or `$MODS_SHARED_DIR/fhir/ukcore`).
//! When that folder is absent the tests fail in CI and, elsewhere, say `SKIPPED` for the real
//! resources and use small fixtures built here, with the same URLs and codes (see `support`).
//!
//! No test talks to anything but the loopback endpoint.

use mods_core::terminology::{CodeCheck, CodeRequest, TerminologyProvider};
use mods_terminology::{ClientError, FhirTerminologyClient, MAX_REDIRECTS};
use percent_encoding::percent_decode_str;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use mods_test_support as support;

const ETHNIC_CS: &str = "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland";
const ETHNIC_VS: &str = "https://fhir.hl7.org.uk/ValueSet/UKCore-EthnicCategory";
const MEDREQ_CS: &str = "https://fhir.hl7.org.uk/CodeSystem/UKCore-MedicationRequestCategory";
const MEDREQ_VS: &str = "https://fhir.hl7.org.uk/ValueSet/UKCore-MedicationRequestCategory";
const SNOMED: &str = "http://snomed.info/sct";
/// A code that must never appear in a failure reason.
const LEAK: &str = "Q7X9LEAK";

// ---------------------------------------------------------------------------------------
// Terminology content
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Concept {
    display: String,
    inactive: bool,
}

/// Code systems and value sets the endpoint serves.
#[derive(Debug, Default)]
struct Content {
    /// system URL → code → concept
    systems: HashMap<String, HashMap<String, Concept>>,
    /// value set URL → members (system, code, display, inactive), in expansion order
    value_sets: HashMap<String, Vec<(String, String, String, bool)>>,
}

impl Content {
    fn add_code_system(&mut self, cs: &Value) {
        let url = cs["url"].as_str().expect("CodeSystem.url").to_owned();
        let mut concepts = HashMap::new();
        fn walk(items: &[Value], out: &mut HashMap<String, Concept>) {
            for c in items {
                let inactive = c["property"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|p| p["code"] == "inactive" && p["valueBoolean"] == Value::Bool(true));
                if let Some(code) = c["code"].as_str() {
                    out.insert(
                        code.to_owned(),
                        Concept {
                            display: c["display"].as_str().unwrap_or_default().to_owned(),
                            inactive,
                        },
                    );
                }
                if let Some(nested) = c["concept"].as_array() {
                    walk(nested, out);
                }
            }
        }
        walk(
            cs["concept"].as_array().expect("CodeSystem.concept"),
            &mut concepts,
        );
        self.systems.insert(url, concepts);
    }

    /// Members from `expansion.contains` when present, else from `compose.include`
    /// (enumerated concepts, or every concept of a loaded code system).
    fn add_value_set(&mut self, vs: &Value) {
        let url = vs["url"].as_str().expect("ValueSet.url").to_owned();
        let mut members = Vec::new();
        if let Some(contains) = vs.pointer("/expansion/contains").and_then(Value::as_array) {
            for c in contains {
                members.push((
                    c["system"].as_str().unwrap_or_default().to_owned(),
                    c["code"].as_str().unwrap_or_default().to_owned(),
                    c["display"].as_str().unwrap_or_default().to_owned(),
                    c["inactive"].as_bool().unwrap_or(false),
                ));
            }
        } else {
            for inc in vs
                .pointer("/compose/include")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let system = inc["system"].as_str().unwrap_or_default();
                if let Some(list) = inc["concept"].as_array() {
                    for c in list {
                        let code = c["code"].as_str().unwrap_or_default();
                        members.push((
                            system.to_owned(),
                            code.to_owned(),
                            c["display"].as_str().unwrap_or_default().to_owned(),
                            false,
                        ));
                    }
                } else if let Some(all) = self.systems.get(system) {
                    let mut codes: Vec<_> = all.iter().collect();
                    codes.sort_by(|a, b| a.0.cmp(b.0));
                    for (code, c) in codes {
                        members.push((
                            system.to_owned(),
                            code.clone(),
                            c.display.clone(),
                            c.inactive,
                        ));
                    }
                }
            }
        }
        self.value_sets.insert(url, members);
    }
}

/// Real UK Core resources, or fixtures with the same URLs and codes.
fn content() -> Arc<Content> {
    static CONTENT: OnceLock<Arc<Content>> = OnceLock::new();
    CONTENT
        .get_or_init(|| {
            let mut c = Content::default();
            let dir = support::shared_path(
                "fhir/ukcore",
                "real UK Core resources in tests/loopback.rs (outside CI the tests use built-in fixtures)",
            );
            let [ethnic_cs, medreq_cs, ethnic_vs, medreq_vs] = match dir {
                Some(dir) => {
                    // The folder is there: its files must be too.
                    let read = |p: &str| -> Value {
                        let path = dir.join(p);
                        let text = std::fs::read_to_string(&path)
                            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                        serde_json::from_str(&text)
                            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                    };
                    [
                        read("CodeSystem/CodeSystem-UKCore-EthnicCategoryEngland.json"),
                        read("CodeSystem/CodeSystem-UKCore-MedicationRequestCategory.json"),
                        read("ValueSet/ValueSet-UKCore-EthnicCategory.json"),
                        read("ValueSet/ValueSet-UKCore-MedicationRequestCategory.json"),
                    ]
                }
                None => fixtures(),
            };
            c.add_code_system(&ethnic_cs);
            c.add_code_system(&medreq_cs);
            // A tiny SNOMED CT stand-in, to exercise the client's default coverage.
            c.add_code_system(&json!({
                "resourceType": "CodeSystem", "url": SNOMED,
                "concept": [{"code": "73211009", "display": "Diabetes mellitus"}]
            }));
            c.add_value_set(&ethnic_vs);
            c.add_value_set(&medreq_vs);
            // A real inactive concept is in the UK Core file; make sure of it either way.
            let primarycare = c
                .systems
                .get(MEDREQ_CS)
                .and_then(|s| s.get("primarycare"))
                .map(|p| p.inactive);
            assert_eq!(primarycare, Some(true), "fixture needs an inactive concept");
            Arc::new(c)
        })
        .clone()
}

/// Minimal stand-ins for the four UK Core resources (same URLs and codes used by the tests).
fn fixtures() -> [Value; 4] {
    let ethnic_cs = json!({
        "resourceType": "CodeSystem", "url": ETHNIC_CS, "content": "complete",
        "concept": [
            {"code": "A", "display": "White - British"},
            {"code": "B", "display": "White - Irish"},
            {"code": "C", "display": "White - Any other White background"},
            {"code": "H", "display": "Asian or Asian British - Indian"},
            {"code": "99", "display": "Not known"}
        ]
    });
    let medreq_cs = json!({
        "resourceType": "CodeSystem", "url": MEDREQ_CS, "content": "complete",
        "concept": [
            {"code": "leave", "display": "Leave"},
            {"code": "primarycare", "display": "Primary Care",
             "property": [{"code": "inactive", "valueBoolean": true}]}
        ]
    });
    let ethnic_vs = json!({
        "resourceType": "ValueSet", "url": ETHNIC_VS,
        "compose": {"include": [{"system": ETHNIC_CS}]}
    });
    let medreq_vs = json!({
        "resourceType": "ValueSet", "url": MEDREQ_VS,
        "compose": {"include": [{"system": MEDREQ_CS}]}
    });
    [ethnic_cs, medreq_cs, ethnic_vs, medreq_vs]
}

// ---------------------------------------------------------------------------------------
// The loopback endpoint
// ---------------------------------------------------------------------------------------

/// What the endpoint does with each request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Mode {
    /// Answer as a FHIR terminology server.
    Normal = 0,
    /// Answer 503 with an OperationOutcome.
    Fail = 1,
    /// Answer 200 with a body that is not JSON.
    Garbage = 2,
}

#[derive(Debug, Clone)]
struct Seen {
    path: String,
    raw_query: String,
    headers: HashMap<String, String>,
}

struct Server {
    addr: SocketAddr,
    requests: Arc<AtomicUsize>,
    seen: Arc<Mutex<Vec<Seen>>>,
    mode: Arc<AtomicU8>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Decides whether to answer a request (path, raw query) with a redirect: `(status,
/// Location)`.
type Redirector = Arc<dyn Fn(&str, &str) -> Option<(u16, String)> + Send + Sync>;

#[derive(Default)]
struct Options {
    delay: Duration,
    require_token: Option<&'static str>,
    redirect: Option<Redirector>,
}

impl Server {
    fn start() -> Server {
        Self::start_with(Options::default())
    }

    fn start_with(opts: Options) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("local addr");
        let requests = Arc::new(AtomicUsize::new(0));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let mode = Arc::new(AtomicU8::new(Mode::Normal as u8));
        let stop = Arc::new(AtomicBool::new(false));
        let content = content();
        let thread = {
            let (requests, seen, mode, stop) =
                (requests.clone(), seen.clone(), mode.clone(), stop.clone());
            thread::spawn(move || {
                // Bounded: the endpoint stops itself after 60 s even if never told to.
                let deadline = Instant::now() + Duration::from_secs(60);
                while !stop.load(Ordering::SeqCst) && Instant::now() < deadline {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            requests.fetch_add(1, Ordering::SeqCst);
                            let m = match mode.load(Ordering::SeqCst) {
                                1 => Mode::Fail,
                                2 => Mode::Garbage,
                                _ => Mode::Normal,
                            };
                            handle(stream, &content, &seen, m, &opts);
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                            thread::sleep(Duration::from_millis(5));
                        }
                        Err(_) => thread::sleep(Duration::from_millis(5)),
                    }
                }
            })
        };
        Server {
            addr,
            requests,
            seen,
            mode,
            stop,
            thread: Some(thread),
        }
    }

    fn base(&self) -> String {
        format!("http://{}/fhir", self.addr)
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn set_mode(&self, m: Mode) {
        self.mode.store(m as u8, Ordering::SeqCst);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Read one HTTP/1.1 request head (bounded), answer, close.
fn handle(
    mut stream: TcpStream,
    content: &Content,
    seen: &Mutex<Vec<Seen>>,
    mode: Mode,
    opts: &Options,
) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 64 * 1024 {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let mut lines = head.split("\r\n");
    let target = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or("/")
        .to_owned();
    let headers: HashMap<String, String> = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let (path, raw_query) = target.split_once('?').unwrap_or((&target, ""));
    if let Ok(mut s) = seen.lock() {
        s.push(Seen {
            path: path.to_owned(),
            raw_query: raw_query.to_owned(),
            headers: headers.clone(),
        });
    }
    if !opts.delay.is_zero() {
        thread::sleep(opts.delay);
    }
    let redirect = opts.redirect.as_ref().and_then(|r| r(path, raw_query));
    if let Some((status, location)) = redirect {
        let reply = format!(
            "HTTP/1.1 {status} X\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        let _ = stream.write_all(reply.as_bytes());
        let _ = stream.flush();
        return;
    }
    let (status, ctype, body) = match mode {
        Mode::Fail => (
            503,
            "application/fhir+json",
            outcome("transient", "try later").to_string(),
        ),
        Mode::Garbage => (200, "application/fhir+json", "<html>not json".to_owned()),
        Mode::Normal => {
            let authorised = opts.require_token.is_none_or(|t| {
                headers.get("authorization").map(String::as_str) == Some(&format!("Bearer {t}"))
            });
            if !authorised {
                (
                    401,
                    "application/fhir+json",
                    outcome("security", "no valid token").to_string(),
                )
            } else {
                route(path, &query(raw_query), content)
            }
        }
    };
    let reply = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(reply.as_bytes());
    let _ = stream.flush();
}

fn query(raw: &str) -> HashMap<String, String> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let dec = |s: &str| {
                percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (dec(k), dec(v))
        })
        .collect()
}

fn outcome(code: &str, text: &str) -> Value {
    json!({"resourceType": "OperationOutcome",
           "issue": [{"severity": "error", "code": code, "diagnostics": text}]})
}

/// A minimal `$lookup`, `$validate-code` and `$expand` over [`Content`].
fn route(
    path: &str,
    q: &HashMap<String, String>,
    content: &Content,
) -> (u16, &'static str, String) {
    let fhir = "application/fhir+json";
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or_default();
    match path {
        "/fhir/CodeSystem/$lookup" => {
            let Some(cs) = content.systems.get(get("system")) else {
                return (
                    404,
                    fhir,
                    outcome("not-found", "unknown code system").to_string(),
                );
            };
            let Some(c) = cs.get(get("code")) else {
                return (404, fhir, outcome("not-found", "unknown code").to_string());
            };
            let body = json!({"resourceType": "Parameters", "parameter": [
                {"name": "name", "valueString": "fixture"},
                {"name": "display", "valueString": c.display},
                {"name": "property", "part": [
                    {"name": "code", "valueCode": "inactive"},
                    {"name": "value", "valueBoolean": c.inactive}
                ]}
            ]});
            (200, fhir, body.to_string())
        }
        "/fhir/ValueSet/$validate-code" => {
            let Some(members) = content.value_sets.get(get("url")) else {
                return (
                    404,
                    fhir,
                    outcome("not-found", "unknown value set").to_string(),
                );
            };
            let hit = members
                .iter()
                .find(|(s, c, _, _)| s == get("system") && c == get("code"));
            let body = match hit {
                Some((_, _, display, inactive)) => {
                    json!({"resourceType": "Parameters", "parameter": [
                        {"name": "result", "valueBoolean": true},
                        {"name": "display", "valueString": display},
                        {"name": "inactive", "valueBoolean": inactive}
                    ]})
                }
                None => json!({"resourceType": "Parameters", "parameter": [
                    {"name": "result", "valueBoolean": false},
                    {"name": "message", "valueString": "not in the value set"}
                ]}),
            };
            (200, fhir, body.to_string())
        }
        "/fhir/ValueSet/$expand" => {
            let Some(members) = content.value_sets.get(get("url")) else {
                return (
                    404,
                    fhir,
                    outcome("not-found", "unknown value set").to_string(),
                );
            };
            let filter = get("filter").to_lowercase();
            let count: usize = get("count").parse().unwrap_or(1000);
            let matching: Vec<Value> = members
                .iter()
                .filter(|(_, _, d, _)| d.to_lowercase().contains(&filter))
                .map(|(s, c, d, _)| json!({"system": s, "code": c, "display": d}))
                .collect();
            let total = matching.len();
            let body = json!({"resourceType": "ValueSet", "url": get("url"), "expansion": {
                "total": total,
                "contains": matching.into_iter().take(count).collect::<Vec<_>>()
            }});
            (200, fhir, body.to_string())
        }
        _ => (
            404,
            "text/html",
            "<html><body>Not Found</body></html>".to_owned(),
        ),
    }
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

fn ukcore_client(base: &str) -> FhirTerminologyClient {
    FhirTerminologyClient::builder(base)
        .env_proxy(false)
        .covers([ETHNIC_CS, MEDREQ_CS, SNOMED])
        .build()
        .expect("client")
}

fn req<'a>(system: &'a str, code: &'a str, value_set: Option<&'a str>) -> CodeRequest<'a> {
    CodeRequest {
        system,
        code,
        value_set,
    }
}

fn assert_unavailable(answer: &CodeCheck, code: &str) -> String {
    match answer {
        CodeCheck::Unavailable { reason } => {
            assert!(!reason.is_empty());
            assert!(!reason.contains(code), "reason leaks the code: {reason}");
            reason.clone()
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

#[test]
fn valid_code_via_lookup() {
    let server = Server::start();
    let client = ukcore_client(&server.base());
    assert_eq!(client.name(), "terminology server");
    let answer = client.check_code(&req(ETHNIC_CS, "A", None));
    assert_eq!(
        answer,
        CodeCheck::Valid {
            display: Some("White - British".into()),
            inactive: false
        }
    );
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].path, "/fhir/CodeSystem/$lookup");
    assert_eq!(
        seen[0].headers.get("accept").map(String::as_str),
        Some("application/fhir+json")
    );
    assert!(!seen[0].headers.contains_key("authorization"));
}

#[test]
fn default_client_covers_snomed_ct() {
    let server = Server::start();
    let client = FhirTerminologyClient::builder(server.base())
        .env_proxy(false)
        .build()
        .expect("client");
    assert_eq!(client.covered_systems(), [SNOMED.to_owned()]);
    assert!(matches!(
        client.check_code(&req(SNOMED, "73211009", None)),
        CodeCheck::Valid {
            inactive: false,
            ..
        }
    ));
    assert_eq!(
        client.check_code(&req(SNOMED, "1234567", None)),
        CodeCheck::Invalid
    );
    assert_eq!(server.requests(), 2);
}

#[test]
fn unknown_code_is_invalid() {
    let server = Server::start();
    let client = ukcore_client(&server.base());
    assert_eq!(
        client.check_code(&req(ETHNIC_CS, "XX", None)),
        CodeCheck::Invalid
    );
    // Not cached as anything else: asking again gives the same answer, from the cache.
    assert_eq!(
        client.check_code(&req(ETHNIC_CS, "XX", None)),
        CodeCheck::Invalid
    );
    assert_eq!(server.requests(), 1);
}

#[test]
fn inactive_code_is_valid_and_flagged() {
    let server = Server::start();
    let client = ukcore_client(&server.base());
    assert_eq!(
        client.check_code(&req(MEDREQ_CS, "primarycare", None)),
        CodeCheck::Valid {
            display: Some("Primary Care".into()),
            inactive: true
        }
    );
    assert_eq!(
        client.check_code(&req(MEDREQ_CS, "leave", None)),
        CodeCheck::Valid {
            display: Some("Leave".into()),
            inactive: false
        }
    );
    // Through a value set too.
    assert!(matches!(
        client.check_code(&req(MEDREQ_CS, "primarycare", Some(MEDREQ_VS))),
        CodeCheck::Valid { inactive: true, .. }
    ));
}

#[test]
fn value_set_membership_via_validate_code() {
    let server = Server::start();
    let client = ukcore_client(&server.base());
    assert!(matches!(
        client.check_code(&req(ETHNIC_CS, "H", Some(ETHNIC_VS))),
        CodeCheck::Valid { inactive: false, display: Some(ref d) } if d.contains("Indian")
    ));
    // A real code of the system, but not in this value set.
    assert_eq!(
        client.check_code(&req(MEDREQ_CS, "leave", Some(ETHNIC_VS))),
        CodeCheck::Invalid
    );
    assert_eq!(
        client.check_code(&req(ETHNIC_CS, "XX", Some(ETHNIC_VS))),
        CodeCheck::Invalid
    );
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    assert!(seen
        .iter()
        .all(|s| s.path == "/fhir/ValueSet/$validate-code"));
    // Parameters are percent-encoded.
    assert!(
        seen[0]
            .raw_query
            .contains("url=https%3A%2F%2Ffhir.hl7.org.uk%2FValueSet%2FUKCore-EthnicCategory"),
        "{}",
        seen[0].raw_query
    );
    // An unknown value set is not a verdict on the code.
    let r = assert_unavailable(
        &client.check_code(&req(
            ETHNIC_CS,
            LEAK,
            Some("https://example.org/ValueSet/none"),
        )),
        LEAK,
    );
    assert!(r.contains("not found"), "{r}");
}

#[test]
fn not_covered_system_makes_no_request() {
    let server = Server::start();
    let client = FhirTerminologyClient::builder(server.base())
        .env_proxy(false)
        .build()
        .expect("client");
    assert_eq!(
        client.check_code(&req(ETHNIC_CS, "A", None)),
        CodeCheck::NotCovered
    );
    assert_eq!(
        client.check_code(&req(ETHNIC_CS, "A", Some(ETHNIC_VS))),
        CodeCheck::NotCovered
    );
    assert_eq!(server.requests(), 0);
}

#[test]
fn second_identical_check_comes_from_the_cache() {
    let server = Server::start();
    let client = ukcore_client(&server.base());
    let first = client.check_code(&req(ETHNIC_CS, "B", Some(ETHNIC_VS)));
    assert!(matches!(first, CodeCheck::Valid { .. }));
    assert_eq!(server.requests(), 1);
    let second = client.check_code(&req(ETHNIC_CS, "B", Some(ETHNIC_VS)));
    assert_eq!(first, second);
    assert_eq!(server.requests(), 1);
    // A different question (no value set) is a different cache entry.
    client.check_code(&req(ETHNIC_CS, "B", None));
    assert_eq!(server.requests(), 2);
    assert_eq!(client.cache_len(), 2);
    client.clear_cache();
    client.check_code(&req(ETHNIC_CS, "B", None));
    assert_eq!(server.requests(), 3);
}

#[test]
fn cache_is_bounded() {
    let server = Server::start();
    let client = FhirTerminologyClient::builder(server.base())
        .env_proxy(false)
        .covers([ETHNIC_CS])
        .cache_capacity(2)
        .build()
        .expect("client");
    for code in ["A", "B", "C", "H"] {
        client.check_code(&req(ETHNIC_CS, code, None));
    }
    assert_eq!(client.cache_len(), 2);
    assert_eq!(server.requests(), 4);
    client.check_code(&req(ETHNIC_CS, "H", None)); // kept
    assert_eq!(server.requests(), 4);
    client.check_code(&req(ETHNIC_CS, "A", None)); // forgotten
    assert_eq!(server.requests(), 5);
}

#[test]
fn failures_are_unavailable_and_not_cached() {
    let server = Server::start();
    let client = ukcore_client(&server.base());
    server.set_mode(Mode::Fail);
    let r = assert_unavailable(&client.check_code(&req(ETHNIC_CS, LEAK, None)), LEAK);
    assert_eq!(r, "terminology server answered HTTP 503");
    assert_unavailable(&client.check_code(&req(ETHNIC_CS, LEAK, None)), LEAK);
    assert_eq!(server.requests(), 2, "Unavailable must not be cached");
    server.set_mode(Mode::Garbage);
    let r = assert_unavailable(&client.check_code(&req(ETHNIC_CS, LEAK, None)), LEAK);
    assert!(r.contains("unusable"), "{r}");
    server.set_mode(Mode::Normal);
    assert!(matches!(
        client.check_code(&req(ETHNIC_CS, "A", None)),
        CodeCheck::Valid { .. }
    ));
    assert_eq!(server.requests(), 4);
}

#[test]
fn wrong_base_path_is_not_read_as_invalid() {
    let server = Server::start();
    // No `/fhir`: the endpoint answers a plain HTML 404, which says nothing about the code.
    let client = FhirTerminologyClient::builder(format!("http://{}", server.addr))
        .env_proxy(false)
        .covers([ETHNIC_CS])
        .build()
        .expect("client");
    let r = assert_unavailable(&client.check_code(&req(ETHNIC_CS, LEAK, None)), LEAK);
    assert_eq!(r, "terminology server answered HTTP 404");
}

#[test]
fn server_down_is_unavailable_quickly() {
    let addr = {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr")
    }; // listener dropped: nothing listens there now
    let client = FhirTerminologyClient::builder(format!("http://{addr}/fhir"))
        .env_proxy(false)
        .covers([ETHNIC_CS])
        .build()
        .expect("client");
    let start = Instant::now();
    let r = assert_unavailable(&client.check_code(&req(ETHNIC_CS, LEAK, None)), LEAK);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(r, "cannot reach the terminology server");
    assert_eq!(client.cache_len(), 0);
    assert_eq!(
        client.expand(ETHNIC_VS, None, 10).err(),
        Some(ClientError::Connect)
    );
}

#[test]
fn slow_server_times_out() {
    let server = Server::start_with(Options {
        delay: Duration::from_millis(1500),
        ..Options::default()
    });
    let client = FhirTerminologyClient::builder(server.base())
        .env_proxy(false)
        .covers([ETHNIC_CS])
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    let start = Instant::now();
    let r = assert_unavailable(&client.check_code(&req(ETHNIC_CS, LEAK, None)), LEAK);
    let took = start.elapsed();
    assert!(took < Duration::from_secs(1), "took {took:?}");
    assert!(took >= Duration::from_millis(250), "took {took:?}");
    assert_eq!(r, "terminology server did not answer within 300 ms");
}

#[test]
fn bearer_token_is_sent() {
    let server = Server::start_with(Options {
        require_token: Some("test-token-123"),
        ..Options::default()
    });
    let client = FhirTerminologyClient::builder(server.base())
        .env_proxy(false)
        .covers([ETHNIC_CS])
        .bearer_token("test-token-123")
        .build()
        .expect("client");
    assert!(!format!("{client:?}").contains("test-token-123"));
    assert!(matches!(
        client.check_code(&req(ETHNIC_CS, "A", None)),
        CodeCheck::Valid { .. }
    ));
    let seen = server.seen();
    assert_eq!(
        seen[0].headers.get("authorization").map(String::as_str),
        Some("Bearer test-token-123")
    );
    // A wrong or expired token: refused, reported as unavailable; then replaced.
    client.set_bearer_token(Some("expired".into()));
    let r = assert_unavailable(&client.check_code(&req(ETHNIC_CS, LEAK, None)), LEAK);
    assert_eq!(r, "terminology server refused the credentials (HTTP 401)");
    client.set_bearer_token(Some("test-token-123".into()));
    assert!(matches!(
        client.check_code(&req(ETHNIC_CS, "B", None)),
        CodeCheck::Valid { .. }
    ));
}

#[test]
fn expand_with_filter() {
    let server = Server::start();
    let client = ukcore_client(&server.base());
    let white = client
        .expand(ETHNIC_VS, Some("white - "), 100)
        .expect("expansion");
    assert!(!white.is_empty());
    assert!(white
        .iter()
        .all(|(s, _, d)| s == ETHNIC_CS && d.to_lowercase().contains("white - ")));
    assert!(white
        .iter()
        .any(|(_, c, d)| c == "A" && d == "White - British"));
    // The filter travelled percent-encoded (space as %20).
    let seen = server.seen();
    assert!(
        seen[0].raw_query.contains("filter=white%20-%20"),
        "{}",
        seen[0].raw_query
    );
    assert!(seen[0].raw_query.contains("count=100"));
    // count bounds the result.
    let two = client.expand(ETHNIC_VS, None, 2).expect("expansion");
    assert_eq!(two.len(), 2);
    // Unknown value set.
    assert_eq!(
        client
            .expand("https://example.org/ValueSet/none", None, 5)
            .err(),
        Some(ClientError::NotFound)
    );
}

#[test]
fn shared_between_threads() {
    let server = Server::start();
    let client = Arc::new(ukcore_client(&server.base()));
    let handles: Vec<_> = ["A", "B", "C", "H"]
        .into_iter()
        .map(|code| {
            let c = client.clone();
            thread::spawn(move || c.check_code(&req(ETHNIC_CS, code, Some(ETHNIC_VS))))
        })
        .collect();
    for h in handles {
        assert!(matches!(h.join().expect("thread"), CodeCheck::Valid { .. }));
    }
    assert_eq!(client.cache_len(), 4);
}

// ---------------------------------------------------------------------------------------
// Redirects
// ---------------------------------------------------------------------------------------

/// `path?query`, or `path` when there is no query.
fn target(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// A server that redirects every request to the same path and query on `to` (a base such
/// as `http://127.0.0.1:1234`), with `status`.
fn redirecting_to(to: String, status: u16) -> Server {
    Server::start_with(Options {
        redirect: Some(Arc::new(move |path: &str, query: &str| {
            Some((status, format!("{to}{}", target(path, query))))
        })),
        ..Options::default()
    })
}

fn client_with_token(base: &str, token: &str, cross_origin: bool) -> FhirTerminologyClient {
    FhirTerminologyClient::builder(base)
        .env_proxy(false)
        .covers([ETHNIC_CS])
        .bearer_token(token)
        .allow_cross_origin_redirects(cross_origin)
        .build()
        .expect("client")
}

#[test]
fn same_origin_redirect_is_followed_with_the_token() {
    // `/s{status}/fhir/...` moves to `/fhir/...` on the same server; the token is required.
    let server = Server::start_with(Options {
        require_token: Some("tok-same"),
        redirect: Some(Arc::new(|path: &str, query: &str| {
            let rest = path.strip_prefix("/s")?;
            let (status, moved) = rest.split_at(3);
            Some((status.parse().ok()?, target(moved, query)))
        })),
        ..Options::default()
    });
    for status in [301, 302, 303, 307, 308] {
        let base = format!("http://{}/s{status}/fhir", server.addr);
        let client = client_with_token(&base, "tok-same", false);
        assert_eq!(
            client.check_code(&req(ETHNIC_CS, "A", None)),
            CodeCheck::Valid {
                display: Some("White - British".into()),
                inactive: false
            },
            "HTTP {status}"
        );
    }
    let seen = server.seen();
    assert_eq!(seen.len(), 10);
    for pair in seen.chunks(2) {
        assert!(pair[0].path.starts_with("/s"), "{}", pair[0].path);
        assert_eq!(pair[1].path, "/fhir/CodeSystem/$lookup");
        assert_eq!(pair[0].raw_query, pair[1].raw_query);
        for s in pair {
            assert_eq!(
                s.headers.get("authorization").map(String::as_str),
                Some("Bearer tok-same")
            );
        }
    }
    // A relative Location (no leading slash) is resolved against the request's URL.
    let relative = Server::start_with(Options {
        redirect: Some(Arc::new(|path: &str, query: &str| {
            let op = path.strip_prefix("/old/fhir/CodeSystem/")?;
            Some((
                307,
                target(&format!("../../../fhir/CodeSystem/{op}"), query),
            ))
        })),
        ..Options::default()
    });
    let client = ukcore_client(&format!("http://{}/old/fhir", relative.addr));
    assert!(matches!(
        client.check_code(&req(ETHNIC_CS, "B", None)),
        CodeCheck::Valid { .. }
    ));
    assert_eq!(relative.seen()[1].path, "/fhir/CodeSystem/$lookup");
}

#[test]
fn cross_origin_redirect_is_refused_by_default() {
    let second = Server::start();
    let first = redirecting_to(format!("http://{}", second.addr), 302);
    let client = client_with_token(&first.base(), "tok-cross", false);
    let r = assert_unavailable(&client.check_code(&req(ETHNIC_CS, LEAK, None)), LEAK);
    assert_eq!(
        r,
        format!(
            "terminology server redirected to another origin (http://{}); not followed \
             (cross-origin redirects are not allowed)",
            second.addr
        )
    );
    assert!(!r.contains("tok-cross") && !r.contains('?'), "{r}");
    assert_eq!(first.requests(), 1);
    assert_eq!(second.requests(), 0, "the second server must not be asked");
    assert_eq!(client.cache_len(), 0, "a refusal is not cached");
    assert!(matches!(
        client.expand(ETHNIC_VS, None, 5),
        Err(ClientError::CrossOriginRedirect { .. })
    ));
    assert_eq!(second.requests(), 0);

    // Another host name for the same address and port is another origin too.
    let by_name = redirecting_to(format!("http://localhost:{}", second.addr.port()), 307);
    let client = client_with_token(&by_name.base(), "tok-cross", false);
    let r = assert_unavailable(&client.check_code(&req(ETHNIC_CS, LEAK, None)), LEAK);
    assert!(
        r.contains(&format!("(http://localhost:{})", second.addr.port())),
        "{r}"
    );
    assert_eq!(second.requests(), 0);

    // A server that echoes the code into the host it redirects to: the origin is not shown.
    let echo = Server::start_with(Options {
        redirect: Some(Arc::new(|path: &str, raw: &str| {
            let code = query(raw).remove("code")?.to_lowercase();
            Some((302, format!("http://{code}.invalid{}", target(path, raw))))
        })),
        ..Options::default()
    });
    let client = client_with_token(&echo.base(), "tok-cross", false);
    let r = assert_unavailable(&client.check_code(&req(ETHNIC_CS, LEAK, None)), LEAK);
    assert_eq!(
        r,
        "terminology server redirected to another origin; not followed \
         (cross-origin redirects are not allowed)"
    );
    assert!(!r.to_lowercase().contains(&LEAK.to_lowercase()), "{r}");
}

#[test]
fn cross_origin_redirect_when_allowed_goes_without_the_token() {
    let second = Server::start();
    let first = Server::start_with(Options {
        require_token: Some("tok-first"),
        redirect: Some({
            let to = format!("http://{}", second.addr);
            Arc::new(move |path: &str, query: &str| {
                Some((308, format!("{to}{}", target(path, query))))
            })
        }),
        ..Options::default()
    });
    let client = client_with_token(&first.base(), "tok-first", true);
    assert_eq!(
        client.check_code(&req(ETHNIC_CS, "H", Some(ETHNIC_VS))),
        CodeCheck::Valid {
            display: Some("Asian or Asian British - Indian".into()),
            inactive: false
        }
    );
    let at_first = first.seen();
    assert_eq!(at_first.len(), 1);
    assert_eq!(
        at_first[0].headers.get("authorization").map(String::as_str),
        Some("Bearer tok-first")
    );
    let at_second = second.seen();
    assert_eq!(at_second.len(), 1);
    assert_eq!(at_second[0].path, "/fhir/ValueSet/$validate-code");
    assert_eq!(at_second[0].raw_query, at_first[0].raw_query);
    assert!(
        !at_second[0].headers.contains_key("authorization"),
        "the token was forwarded to another origin: {:?}",
        at_second[0].headers
    );
    assert!(at_second[0]
        .headers
        .values()
        .all(|v| !v.contains("tok-first")));
    // `$expand` follows the same rule.
    let entries = client
        .expand(ETHNIC_VS, Some("white"), 3)
        .expect("expansion");
    assert!(!entries.is_empty());
    assert!(!second.seen()[1].headers.contains_key("authorization"));
}

#[test]
fn redirect_loops_are_bounded() {
    // A redirect to itself, for ever.
    let server = Server::start_with(Options {
        redirect: Some(Arc::new(|path: &str, query: &str| {
            Some((302, target(path, query)))
        })),
        ..Options::default()
    });
    let client = ukcore_client(&server.base());
    let start = Instant::now();
    let r = assert_unavailable(&client.check_code(&req(ETHNIC_CS, LEAK, None)), LEAK);
    assert_eq!(
        r,
        format!("terminology server redirected more than {MAX_REDIRECTS} times")
    );
    assert_eq!(server.requests(), MAX_REDIRECTS + 1);
    assert!(start.elapsed() < Duration::from_secs(5));

    // Two servers sending each other back and forth, cross-origin redirects allowed.
    let ports: Arc<Mutex<Option<SocketAddr>>> = Arc::new(Mutex::new(None));
    let a = {
        let ports = ports.clone();
        Server::start_with(Options {
            redirect: Some(Arc::new(move |path: &str, query: &str| {
                let b = (*ports.lock().ok()?)?;
                Some((307, format!("http://{b}{}", target(path, query))))
            })),
            ..Options::default()
        })
    };
    let b = redirecting_to(format!("http://{}", a.addr), 307);
    *ports.lock().expect("lock") = Some(b.addr);
    let client = FhirTerminologyClient::builder(a.base())
        .env_proxy(false)
        .covers([ETHNIC_CS])
        .allow_cross_origin_redirects(true)
        .build()
        .expect("client");
    let r = assert_unavailable(&client.check_code(&req(ETHNIC_CS, LEAK, None)), LEAK);
    assert!(r.contains("more than"), "{r}");
    assert_eq!(a.requests() + b.requests(), MAX_REDIRECTS + 1);
}

#[test]
fn unusable_redirects_are_unavailable() {
    for location in ["", "ftp://127.0.0.1/fhir", "javascript:alert(1)"] {
        let server = Server::start_with(Options {
            redirect: Some(Arc::new(move |_: &str, _: &str| {
                Some((302, location.to_owned()))
            })),
            ..Options::default()
        });
        let client = ukcore_client(&server.base());
        let r = assert_unavailable(&client.check_code(&req(ETHNIC_CS, LEAK, None)), LEAK);
        assert_eq!(
            r, "terminology server sent a redirect without a usable http(s) Location",
            "Location {location:?}"
        );
        assert_eq!(server.requests(), 1);
    }
}

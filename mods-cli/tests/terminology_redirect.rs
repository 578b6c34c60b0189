//! `mods validate --terminology-server` against a server that redirects to a second one on
//! another loopback port: refused by default, followed with
//! `--terminology-allow-cross-origin-redirects`, and the token never reaches the second port.
#![cfg(feature = "terminology-server")]

use assert_cmd::Command;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};
use tempfile::TempDir;

const PARAMETERS: &str = r#"{"resourceType":"Parameters","parameter":[{"name":"display","valueString":"Penicillin (substance)"},{"name":"property","part":[{"name":"code","valueCode":"inactive"},{"name":"value","valueBoolean":false}]}]}"#;

/// A one-idea HTTP endpoint on 127.0.0.1: answers every request with `reply(target)` and
/// records each request's headers (lower-case names). Stops after 20 s at most.
struct Endpoint {
    addr: SocketAddr,
    heads: Arc<Mutex<Vec<String>>>,
    thread: Option<JoinHandle<()>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl Endpoint {
    fn start(reply: impl Fn(&str) -> String + Send + 'static) -> Endpoint {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let heads = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let thread = {
            let (heads, stop) = (heads.clone(), stop.clone());
            thread::spawn(move || {
                let deadline = Instant::now() + Duration::from_secs(20);
                while Instant::now() < deadline && !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    let Ok((mut s, _)) = listener.accept() else {
                        thread::sleep(Duration::from_millis(5));
                        continue;
                    };
                    let _ = s.set_nonblocking(false);
                    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 65536 {
                        match s.read(&mut chunk) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&buf).to_ascii_lowercase();
                    let target = head.split(' ').nth(1).unwrap_or("/").to_owned();
                    heads.lock().unwrap().push(head);
                    let _ = s.write_all(reply(&target).as_bytes());
                }
            })
        };
        Endpoint {
            addr,
            heads,
            thread: Some(thread),
            stop,
        }
    }

    fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The first server sends every request on to `second`; the second answers `$lookup`.
fn two_servers() -> (Endpoint, Endpoint) {
    let second = Endpoint::start(|_| {
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{PARAMETERS}",
            PARAMETERS.len()
        )
    });
    let to = second.addr;
    let first = Endpoint::start(move |target| {
        format!(
            "HTTP/1.1 307 Moved\r\nLocation: http://{to}{target}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
    });
    (first, second)
}

fn validate(first: &Endpoint, extra: &[&str]) -> Value {
    let dir = TempDir::new().unwrap();
    let rec = dir.path().join("rec.json");
    std::fs::write(
        &rec,
        r#"{"mods_version":"1.0","subject_of_care":{"record_uid":"soc-1","version_number":1,"person_name":[{"given_name":["Arthur"],"family_name":"Green"}]},"allergy":[{"record_uid":"alg-1","version_number":1,"subject_of_care":"soc-1","date":"2026-11-20","causative_agent":{"code":"764146007"}}]}"#,
    )
    .unwrap();
    let url = format!("http://{}/fhir", first.addr);
    let out = Command::cargo_bin("mods")
        .unwrap()
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .env("MODS_TEST_TOKEN", "secret-token-42")
        .args(["validate", "--format", "json", "--terminology-server", &url])
        .args(["--terminology-token-env", "MODS_TEST_TOKEN"])
        .args(extra)
        .arg(&rec)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("one JSON document")
}

#[test]
fn cross_origin_redirect_is_refused_by_default() {
    let (first, second) = two_servers();
    let v = validate(&first, &[]);
    let issues = v["files"][0]["records"][0]["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0]["code"], "code-unchecked");
    let text = issues[0].to_string();
    assert!(text.contains("another origin"), "{text}");
    assert!(!text.contains("764146007"), "{text}");
    assert_eq!(first.heads().len(), 1);
    assert!(first.heads()[0].contains("authorization: bearer secret-token-42"));
    assert!(second.heads().is_empty(), "the second server was asked");
}

#[test]
fn cross_origin_redirect_followed_when_allowed_without_the_token() {
    let (first, second) = two_servers();
    let v = validate(&first, &["--terminology-allow-cross-origin-redirects"]);
    let issues = v["files"][0]["records"][0]["issues"].as_array().unwrap();
    assert!(issues.is_empty(), "{issues:?}");
    let at_second = second.heads();
    assert_eq!(at_second.len(), 1);
    assert!(at_second[0].contains("/fhir/codesystem/$lookup?"));
    assert!(!at_second[0].contains("authorization"), "{}", at_second[0]);
    assert!(!at_second[0].contains("secret-token-42"));
}

//! `mods_core::guard`: a caught panic keeps its location and never its payload.
//!
//! One test function: the panic hook is global to this test binary, so the scenarios run
//! one after the other with the hook installed, and the standard hook is put back before
//! anything is asserted (so a failing assertion is reported in full).

use mods_core::guard::{self, Panicked};
use mods_core::{IssueCode, Severity};
use std::sync::Mutex;

static ANNOUNCED: Mutex<Vec<Option<String>>> = Mutex::new(Vec::new());

fn announce(location: Option<&str>) {
    if let Ok(mut a) = ANNOUNCED.lock() {
        a.push(location.map(str::to_owned));
    }
}

struct Bomb;

impl Drop for Bomb {
    fn drop(&mut self) {
        panic!("boom while dropping the payload");
    }
}

#[test]
fn caught_panics_keep_the_location_and_never_the_payload() {
    let secret = String::from("Arthur Green 9434765918");
    guard::install_panic_hook(announce);

    let on_this_thread: Result<u8, Panicked> = guard::catch(|| {
        if !secret.is_empty() {
            panic!("byte index 3 is not a char boundary of `{secret}`");
        }
        1
    });
    // a slicing panic raised by the standard library itself, on another thread
    let worker_secret = secret.clone();
    let on_a_worker = std::thread::spawn(move || {
        guard::catch(|| {
            let s = String::from("é") + &worker_secret;
            s.get(0..1).map_or_else(|| s[1..].len(), str::len)
        })
    })
    .join();
    let after = guard::catch(|| 2u8);
    let bomb = guard::catch(|| std::panic::panic_any(Bomb));

    // the standard hook again, so that failures below are reported in full
    let _ = std::panic::take_hook();
    let announced = ANNOUNCED.lock().map(|a| a.clone()).unwrap_or_default();

    let p = on_this_thread.unwrap_err();
    let loc = p.location().expect("the hook recorded the location");
    assert!(loc.starts_with("mods-core/tests/guard.rs:"), "{loc}");
    assert!(
        loc.rsplit(':').next().unwrap().parse::<u32>().is_ok(),
        "{loc}"
    );
    let report = p.report();
    assert!(!report.valid);
    assert_eq!(report.issues.len(), 1);
    let issue = &report.issues[0];
    assert_eq!(issue.code, IssueCode::InternalError);
    assert_eq!(issue.severity, Severity::Error);
    assert_eq!(issue.path, "");
    assert_eq!(issue.context["location"], loc);
    assert!(issue.message.contains(loc), "{}", issue.message);

    let worker = on_a_worker
        .expect("the worker thread ended normally")
        .unwrap_err();
    let wloc = worker.location().expect("a location on the worker thread");
    // slicing is `#[track_caller]`: the location is the line that sliced
    assert!(wloc.starts_with("mods-core/tests/guard.rs:"), "{wloc}");
    assert_ne!(wloc, loc);

    assert_eq!(after, Ok(2), "a later call is not affected");
    assert!(
        bomb.is_err(),
        "a payload whose drop panics is contained too"
    );

    assert!(
        announced.iter().any(|a| a.as_deref() == Some(loc)),
        "{announced:?}"
    );
    let everything = format!(
        "{} {} {} {:?} {announced:?}",
        serde_json::to_string(&report).unwrap(),
        p,
        worker.report().issues[0].message,
        worker,
    );
    for needle in ["Arthur", "9434765918", "char boundary", "é"] {
        assert!(
            !everything.contains(needle),
            "{needle} leaked: {everything}"
        );
    }
}

#[test]
fn without_the_hook_the_location_is_unknown_but_the_payload_still_hidden() {
    // This test never installs the hook; it runs in this binary after or before the other
    // one, so only the part that does not depend on the hook is asserted.
    let p =
        guard::catch(|| -> u8 { std::panic::resume_unwind(Box::new("x 9434765918")) }).unwrap_err();
    assert!(!p.message().contains("9434765918"));
    assert!(
        p.location().is_none(),
        "resume_unwind does not call the hook"
    );
    assert!(p.message().contains("an unknown location"));
}

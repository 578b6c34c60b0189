//! Validation: the input, what it is validated as ([`Target`]), prepared options, one
//! document or many in parallel.

use crate::error::{guarded, Error};
use crate::options::{parse_today, ValidateOptions};
use crate::report::Report;
use mods_core::guard::Panicked;
use mods_core::model;
use mods_core::terminology::{CodeCheck, CodeRequest, OfflineProvider, TerminologyProvider};
use mods_core::{InstanceError, Limits, Mode, ValidationOptions};
use serde_json::Value;
use std::borrow::{Borrow, Cow};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A document given to the API: JSON as bytes (UTF-8) or text, read by the core's strict
/// reader within the limits, or a `serde_json` value already parsed (no limits apply).
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// JSON text as UTF-8 bytes.
    Json(&'a [u8]),
    /// A parsed value.
    Value(&'a Value),
}

impl<'a> From<&'a [u8]> for Input<'a> {
    fn from(b: &'a [u8]) -> Self {
        Input::Json(b)
    }
}

impl<'a> From<&'a Vec<u8>> for Input<'a> {
    fn from(b: &'a Vec<u8>) -> Self {
        Input::Json(b)
    }
}

impl<'a> From<&'a str> for Input<'a> {
    fn from(s: &'a str) -> Self {
        Input::Json(s.as_bytes())
    }
}

impl<'a> From<&'a String> for Input<'a> {
    fn from(s: &'a String) -> Self {
        Input::Json(s.as_bytes())
    }
}

impl<'a> From<&'a Value> for Input<'a> {
    fn from(v: &'a Value) -> Self {
        Input::Value(v)
    }
}

impl<'a> Input<'a> {
    /// The document as a value, read within `limits`.
    pub(crate) fn read(self, limits: &Limits) -> Result<Cow<'a, Value>, Error> {
        match self {
            Input::Json(b) => Ok(Cow::Owned(mods_core::parse_json(b, limits)?)),
            Input::Value(v) => Ok(Cow::Borrowed(v)),
        }
    }

    /// The document as JSON bytes (a value is written out).
    pub(crate) fn bytes(self) -> Cow<'a, [u8]> {
        match self {
            Input::Json(b) => Cow::Borrowed(b),
            Input::Value(v) => Cow::Owned(serde_json::to_vec(v).unwrap_or_default()),
        }
    }
}

/// What a document is validated as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A record document (its `mods_version` chooses the model).
    Record,
    /// One instance of this record or component class of the latest model.
    Instance(&'static str),
}

impl Target {
    /// `None` is a record; a class name must be a record or component class of the latest
    /// model (not an abstract one), else [`Error::UnknownClass`].
    pub fn resolve(class: Option<&str>) -> Result<Target, Error> {
        let Some(c) = class else {
            return Ok(Target::Record);
        };
        let m = model::latest();
        match m.class(c) {
            Some(d) if d.kind != model::ClassKind::Abstract => {
                Ok(Target::Instance(d.technical_name))
            }
            _ => Err(Error::UnknownClass {
                class: c.to_owned(),
                version: m.mods_version,
            }),
        }
    }
}

/// Options checked once and ready for any number of documents (see
/// [`ValidateOptions::prepare`]). `Send + Sync`: share it across threads.
#[derive(Debug, Clone)]
pub struct Prepared {
    target: Target,
    core: ValidationOptions,
    /// The one MODS version records must state ([`Prepared::pin_version`]).
    version: Option<&'static str>,
}

impl Prepared {
    /// What documents are validated as.
    pub fn target(&self) -> Target {
        self.target
    }

    /// The input limits.
    pub fn limits(&self) -> &Limits {
        &self.core.limits
    }

    /// The core's options.
    pub fn core(&self) -> &ValidationOptions {
        &self.core
    }

    /// The MODS version records must state, if pinned ([`Prepared::pin_version`]).
    pub fn version(&self) -> Option<&'static str> {
        self.version
    }

    /// Accept only record documents that state MODS `version` (one of
    /// [`versions`](crate::versions)): a record stating another supported version is
    /// reported `mods-version-unsupported` (with the accepted version in `context.expected`)
    /// and nothing else is validated, as for a version this library does not know. A
    /// record that states no version, or one that is not a string, gets the core's report.
    /// Validators that serve one data flow use it so that a record written to another
    /// version is not silently validated against that version's model.
    ///
    /// Errors: [`Error::InvalidOption`] `version` for a version this library does not
    /// support, or with a [`Target::Instance`] (instances are validated against the
    /// latest model only).
    pub fn pin_version(mut self, version: &str) -> Result<Prepared, Error> {
        let Some(m) = model::models().iter().find(|m| m.mods_version == version) else {
            let known: Vec<&str> = model::models().iter().map(|m| m.mods_version).collect();
            return Err(Error::option(
                "version",
                format!("version must be one of {}", known.join(", ")),
            ));
        };
        if let Target::Instance(_) = self.target {
            if m.mods_version != model::latest().mods_version {
                return Err(Error::option(
                    "version",
                    format!(
                        "a class instance is validated against the latest model ({}) only",
                        model::latest().mods_version
                    ),
                ));
            }
        }
        self.version = Some(m.mods_version);
        Ok(self)
    }
}

impl ValidateOptions {
    /// Check the options (the class, `today`) and build the core's options.
    pub fn prepare(&self) -> Result<Prepared, Error> {
        let target = Target::resolve(self.class.as_deref())?;
        let mut core = ValidationOptions::default()
            .with_mode(if self.strict { Mode::Strict } else { Mode::Lax })
            .with_include_values(self.include_values)
            .with_max_issues(self.max_issues)
            .with_limits(self.limits.to_core());
        core.terminology = self.providers.clone();
        core.today = self.today.as_deref().map(parse_today).transpose()?;
        if !self.unavailable_terminology.is_empty() {
            core.terminology
                .push(Arc::new(Unavailable(self.unavailable_terminology.clone())));
        }
        Ok(Prepared {
            target,
            core,
            version: None,
        })
    }
}

/// A terminology that covers some code systems but is unavailable (a server that is down):
/// every question about them is answered "unavailable".
struct Unavailable(Vec<String>);

impl TerminologyProvider for Unavailable {
    fn name(&self) -> &str {
        "unavailable terminology"
    }
    fn check_code(&self, r: &CodeRequest<'_>) -> CodeCheck {
        if self.0.iter().any(|s| s == r.system) {
            CodeCheck::Unavailable {
                reason: "the terminology is marked unavailable".into(),
            }
        } else {
            CodeCheck::NotCovered
        }
    }
}

/// Offline terminology loaded from FHIR R4 resources (CodeSystem or ValueSet), to put in
/// [`ValidateOptions::providers`] through [`into_provider`](Self::into_provider).
#[derive(Default)]
pub struct OfflineTerminology {
    inner: OfflineProvider,
    loaded: usize,
}

impl OfflineTerminology {
    /// An empty one.
    pub fn new() -> Self {
        Self::default()
    }

    /// Load one resource (JSON bytes); an error names it by its position among those
    /// loaded ([`Error::InvalidTerminology`]).
    pub fn load_fhir_json(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let index = self.loaded;
        self.loaded += 1;
        guarded(|| {
            self.inner
                .load_fhir_json(bytes)
                .map_err(|e| Error::InvalidTerminology {
                    index,
                    message: e.to_string(),
                })
        })
    }

    /// Concepts loaded.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// Whether nothing is loaded.
    pub fn is_empty(&self) -> bool {
        self.inner.len() == 0
    }

    /// The provider, shareable between calls and threads.
    pub fn into_provider(self) -> Arc<OfflineProvider> {
        Arc::new(self.inner)
    }

    /// One loaded from a JSON array of FHIR CodeSystem or ValueSet resources, for bindings
    /// whose options arrive as one object with the resources in it (`terminology`): an
    /// array's resource that cannot be loaded is [`Error::InvalidTerminology`] naming its
    /// index; anything but an array is [`Error::InvalidOption`] `terminology`.
    pub fn from_resources(v: &Value) -> Result<Self, Error> {
        let Value::Array(resources) = v else {
            return Err(Error::option(
                "terminology",
                "terminology must be a list of FHIR CodeSystem or ValueSet resources",
            ));
        };
        let mut t = OfflineTerminology::new();
        for r in resources {
            t.load_fhir_json(&serde_json::to_vec(r).unwrap_or_default())?;
        }
        Ok(t)
    }
}

/// Validate one document; a panic is `Err(Error::Internal)`, on whatever thread this runs.
fn run(input: Input<'_>, opts: &Prepared) -> Result<mods_core::Report, Error> {
    guarded(|| {
        if let Some(other) = other_version(input, opts) {
            return Ok(other);
        }
        let o = &opts.core;
        let got = match (opts.target, input) {
            (Target::Record, Input::Json(b)) => mods_core::validate_record_json(b, o)?,
            (Target::Record, Input::Value(v)) => mods_core::validate_record(v, o),
            (Target::Instance(c), Input::Json(b)) => {
                mods_core::validate_instance_json(c, b, o).map_err(instance_error)?
            }
            (Target::Instance(c), Input::Value(v)) => {
                mods_core::validate_instance(c, v, o).map_err(instance_error)?
            }
        };
        Ok(got)
    })
}

/// The report of a record that states a supported MODS version other than the one pinned
/// ([`Prepared::pin_version`]); `None` when no version is pinned, or the record states the
/// pinned one, or its version cannot be read here (not JSON, not an object, no string
/// `mods_version`, beyond the size limit): the core then reports it.
fn other_version(input: Input<'_>, opts: &Prepared) -> Option<mods_core::Report> {
    let pinned = opts.version?;
    if opts.target != Target::Record {
        return None;
    }
    /// The top of a record document: its version only (other members are skipped).
    #[derive(serde::Deserialize)]
    struct Head {
        mods_version: Option<Value>,
    }
    let stated = match input {
        Input::Json(b) if b.len() <= opts.core.limits.max_bytes => {
            serde_json::from_slice::<Head>(b).ok()?.mods_version?
        }
        Input::Json(_) => return None,
        Input::Value(v) => v.get("mods_version")?.clone(),
    };
    let stated = stated.as_str()?;
    if stated == pinned || !model::models().iter().any(|m| m.mods_version == stated) {
        return None;
    }
    let mut context = serde_json::Map::new();
    context.insert("expected".into(), Value::from(pinned));
    if opts.core.include_values {
        context.insert("value".into(), Value::from(stated));
    }
    Some(mods_core::Report {
        valid: false,
        issues: vec![mods_core::Issue {
            code: mods_core::IssueCode::ModsVersionUnsupported,
            severity: mods_core::Severity::Error,
            path: "/mods_version".into(),
            message: format!(
                "the record's mods_version is not {pinned}, the one MODS version accepted here"
            ),
            context,
        }],
        omitted: 0,
    })
}

/// Whether a document is valid (no issue of severity `error`), without listing issues:
/// the core keeps no issue and stops checking at the first error (the rest of the input is
/// only read, for its syntax and the limits), so an invalid record costs less than with
/// [`validate`]. The verdict is [`validate`]'s `valid`.
///
/// Errors: as [`validate`].
pub fn is_valid<'a>(input: impl Into<Input<'a>>, opts: &Prepared) -> Result<bool, Error> {
    let input = input.into();
    guarded(|| {
        if let Some(other) = other_version(input, opts) {
            return Ok(other.valid);
        }
        let o = &opts.core;
        let valid = match (opts.target, input) {
            (Target::Record, Input::Json(b)) => mods_core::is_valid_record_json(b, o)?,
            (Target::Record, Input::Value(v)) => mods_core::is_valid_record(v, o),
            (Target::Instance(c), Input::Json(b)) => {
                mods_core::is_valid_instance_json(c, b, o).map_err(instance_error)?
            }
            (Target::Instance(c), Input::Value(v)) => {
                mods_core::is_valid_instance(c, v, o).map_err(instance_error)?
            }
        };
        Ok(valid)
    })
}

fn instance_error(e: InstanceError) -> Error {
    match e {
        InstanceError::Input(i) => Error::Input(i),
        InstanceError::UnknownClass(class, version) => Error::UnknownClass { class, version },
    }
}

/// Validate one document (a record, or an instance of [`Target::Instance`]).
///
/// Errors: [`Error::Input`] (code `invalid-json` or `limit`) when the input cannot be read
/// as JSON within the limits; [`Error::Internal`] for a bug.
pub fn validate<'a>(input: impl Into<Input<'a>>, opts: &Prepared) -> Result<Report, Error> {
    run(input.into(), opts).map(Report::from)
}

/// Validate one document, never failing: input that cannot be read is an invalid report
/// with its one `input-*` issue, a bug one with an `internal-error` issue (as in
/// [`validate_many`] and `mods validate`).
pub fn validate_report<'a>(input: impl Into<Input<'a>>, opts: &Prepared) -> Report {
    Report::from(core_report(run(input.into(), opts)))
}

fn core_report(r: Result<mods_core::Report, Error>) -> mods_core::Report {
    match r {
        Ok(r) => r,
        Err(Error::Input(e)) => mods_core::Report::from_input_error(&e),
        Err(Error::Internal(p)) => p.report(),
        // the class was resolved when the options were prepared
        Err(_) => Panicked::unlocated().report(),
    }
}

/// One document of a batch for [`validate_many`]: its JSON bytes, or the panic that
/// stopped the binding while it was turning a value of its language into JSON (that
/// document's report then holds the `internal-error` issue).
pub trait BatchItem {
    /// The bytes, or the panic.
    fn item(&self) -> Result<&[u8], &Panicked>;
}

impl BatchItem for &[u8] {
    fn item(&self) -> Result<&[u8], &Panicked> {
        Ok(self)
    }
}

impl BatchItem for Vec<u8> {
    fn item(&self) -> Result<&[u8], &Panicked> {
        Ok(self)
    }
}

impl BatchItem for &str {
    fn item(&self) -> Result<&[u8], &Panicked> {
        Ok(self.as_bytes())
    }
}

impl<T: AsRef<[u8]>, P: Borrow<Panicked>> BatchItem for Result<T, P> {
    fn item(&self) -> Result<&[u8], &Panicked> {
        match self {
            Ok(b) => Ok(b.as_ref()),
            Err(p) => Err(p.borrow()),
        }
    }
}

/// Most documents a thread takes from a batch at a time.
const CHUNK: usize = 8;

/// Documents a thread takes at a time from a batch of `n` on `workers` threads: about an
/// eighth of a fair share, between 1 and [`CHUNK`]. A short list is spread one document
/// at a time, so every worker gets some (with a fixed chunk of 8, a list of 10 on two
/// threads was split 8 and 2); a long one in chunks, so that threads rarely meet on the
/// shared counter, and all of them finish within a chunk of each other.
fn chunk_size(n: usize, workers: usize) -> usize {
    (n / workers.saturating_mul(8).max(1)).clamp(1, CHUNK)
}

/// Check the `workers` of [`validate_many`] (at least 1 when given), for a binding that
/// would rather refuse it before converting every document.
pub fn check_workers(workers: Option<usize>) -> Result<(), Error> {
    if workers == Some(0) {
        return Err(Error::option("workers", "workers must be at least 1"));
    }
    Ok(())
}

/// Validate many documents on up to `workers` threads (default: the number of CPUs; the
/// calling thread is one of them, so `1` validates on it alone; on WebAssembly always the
/// calling thread), one report per document, in order. Even a short list is spread over
/// every worker (never more workers than documents). A document that cannot be read, or whose validation hits a
/// bug, does not stop the batch: its report holds the one `input-*` or `internal-error`
/// issue ([`validate_report`]).
///
/// Errors: `workers` of 0 ([`Error::InvalidOption`]).
pub fn validate_many<I: BatchItem + Sync>(
    inputs: &[I],
    opts: &Prepared,
    workers: Option<usize>,
) -> Result<Vec<Report>, Error> {
    check_workers(workers)?;
    let n = inputs.len();
    let one = |i: &I| -> Report {
        match i.item() {
            Ok(b) => validate_report(b, opts),
            Err(p) => Report::from(p.report()),
        }
    };
    let workers = if cfg!(target_family = "wasm") {
        1
    } else {
        workers
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .min(n.max(1))
    };
    if workers <= 1 {
        return Ok(inputs.iter().map(one).collect());
    }
    let chunk = chunk_size(n, workers);
    let next = AtomicUsize::new(0);
    // every thread, the calling one included, takes the next chunk until none is left
    let work = || {
        let mut out = Vec::new();
        loop {
            let start = next.fetch_add(chunk, Ordering::Relaxed);
            if start >= n {
                break;
            }
            for (i, b) in inputs.iter().enumerate().skip(start).take(chunk) {
                out.push((i, one(b)));
            }
        }
        out
    };
    let parts: Vec<Vec<(usize, Report)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (1..workers).map(|_| s.spawn(work)).collect();
        let mine = work();
        // `one` contains panics, so a worker only fails to join in a pathological case;
        // its documents are then reported as internal errors below
        std::iter::once(mine)
            .chain(handles.into_iter().map(|h| h.join().unwrap_or_default()))
            .collect()
    });
    let mut slots: Vec<Option<Report>> = (0..n).map(|_| None).collect();
    for (i, r) in parts.into_iter().flatten() {
        if let Some(slot) = slots.get_mut(i) {
            *slot = Some(r);
        }
    }
    Ok(slots
        .into_iter()
        .map(|s| s.unwrap_or_else(|| Report::from(Panicked::unlocated().report())))
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn terminology_from_an_array_of_resources() {
        let cs = serde_json::json!([{"resourceType": "CodeSystem", "url": "http://example.org/cs",
            "status": "active", "content": "complete", "concept": [{"code": "a", "display": "A"}]}]);
        assert_eq!(OfflineTerminology::from_resources(&cs).unwrap().len(), 1);
        let e =
            OfflineTerminology::from_resources(&serde_json::json!([{"resourceType": "Patient"}]))
                .err()
                .unwrap();
        assert_eq!(
            (e.code(), serde_json::to_value(&e).unwrap()["index"].clone()),
            (ErrorCode::InvalidTerminology, serde_json::json!(0))
        );
        let e = OfflineTerminology::from_resources(&serde_json::json!("x"))
            .err()
            .unwrap();
        assert_eq!(e.code(), ErrorCode::InvalidOption);
        assert_eq!(serde_json::to_value(&e).unwrap()["option"], "terminology");
    }

    use super::*;
    use crate::{ErrorCode, FromJson};
    use mods_core::IssueCode;

    const GREEN: &str = include_str!("../../examples/records/mr-green.json");

    fn prepared(json: &str) -> Prepared {
        ValidateOptions::from_json(json).unwrap().prepare().unwrap()
    }

    #[test]
    fn a_valid_record_from_bytes_text_and_value() {
        let o = prepared("{}");
        assert!(validate(GREEN, &o).unwrap().valid);
        assert!(validate(GREEN.as_bytes(), &o).unwrap().valid);
        let v: Value = serde_json::from_str(GREEN).unwrap();
        assert!(validate(&v, &o).unwrap().valid);
    }

    #[test]
    fn report_matches_the_core_with_path_arrays() {
        let bad = GREEN.replacen("9434765919", "9434765918", 1);
        assert_ne!(
            bad, GREEN,
            "the example holds the NHS number this test changes"
        );
        let r = validate(&bad, &prepared("{}")).unwrap();
        let core = mods_core::validate_record_json(bad.as_bytes(), &Default::default()).unwrap();
        assert_eq!(r.to_core(), core);
        let i = r
            .issues
            .iter()
            .find(|i| i.code == IssueCode::NhsNumberCheckDigit)
            .unwrap();
        assert_eq!(i.pointer, "/subject_of_care/nhs_number");
        assert_eq!(
            serde_json::to_value(&i.path).unwrap(),
            serde_json::json!(["subject_of_care", "nhs_number"])
        );
    }

    #[test]
    fn unreadable_input_is_an_error_with_its_code_or_a_report_issue() {
        let o = prepared(r#"{"limits": {"max_depth": 2}}"#);
        let e = validate(r#"{"a": [[1]]}"#, &o).unwrap_err();
        assert_eq!(e.code(), ErrorCode::Limit);
        let e = validate("{", &o).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidJson);
        assert_eq!(
            serde_json::to_value(&e).unwrap()["issue_code"],
            "input-syntax"
        );
        let r = validate_report("{", &o);
        assert!(!r.valid);
        assert_eq!(r.issues[0].code, IssueCode::InputSyntax);
    }

    #[test]
    fn class_targets_resolve_or_fail_with_unknown_class() {
        let o = prepared(r#"{"class": "alert"}"#);
        assert_eq!(o.target(), Target::Instance("alert"));
        let r = validate("{}", &o).unwrap();
        assert!(!r.valid, "an empty alert misses its mandatory elements");
        for bad in ["no_such_class", "record"] {
            let e = ValidateOptions {
                class: Some(bad.into()),
                ..Default::default()
            }
            .prepare()
            .unwrap_err();
            assert_eq!(e.code(), ErrorCode::UnknownClass, "{bad}");
            assert!(e.to_string().contains("is not a record or component class"));
        }
    }

    #[test]
    fn an_instance_from_a_value_or_bytes_gets_one_verdict() {
        let o = prepared(r#"{"class": "alert"}"#);
        let v = serde_json::json!({"status": {"code": "no-such-status"}});
        let from_value = validate(&v, &o).unwrap();
        let from_bytes = validate(&v.to_string(), &o).unwrap();
        assert_eq!(from_value, from_bytes);
        assert!(!from_value.valid);
    }

    #[test]
    fn today_is_checked() {
        let e = ValidateOptions {
            today: Some("2025-02-30".into()),
            ..Default::default()
        }
        .prepare()
        .unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidOption);
        assert!(prepared(r#"{"today": "2025-02-28"}"#)
            .core()
            .today
            .is_some());
    }

    #[test]
    fn unavailable_terminology_reports_code_unchecked() {
        let o = prepared(r#"{"unavailable_terminology": ["http://snomed.info/sct"]}"#);
        let r = validate(GREEN, &o).unwrap();
        let plain = validate(GREEN, &prepared("{}")).unwrap();
        let unchecked = |r: &Report| {
            r.issues
                .iter()
                .filter(|i| i.code == IssueCode::CodeUnchecked)
                .count()
        };
        assert!(unchecked(&r) > unchecked(&plain), "{:?}", r.issues);
    }

    #[test]
    fn many_in_order_on_threads_with_bad_items_kept_in_place() {
        let o = prepared("{}");
        let p = Panicked::unlocated();
        let mut items: Vec<Result<&[u8], &Panicked>> = Vec::new();
        for i in 0..40 {
            items.push(match i % 4 {
                0 => Ok(GREEN.as_bytes()),
                1 => Ok(b"{".as_slice()),
                2 => Err(&p),
                _ => Ok(b"[]".as_slice()),
            });
        }
        for workers in [None, Some(1), Some(3)] {
            let rs = validate_many(&items, &o, workers).unwrap();
            assert_eq!(rs.len(), 40);
            for (i, r) in rs.iter().enumerate() {
                let first = r.issues.first().map(|i| i.code);
                match i % 4 {
                    0 => assert!(r.valid),
                    1 => assert_eq!(first, Some(IssueCode::InputSyntax)),
                    2 => assert_eq!(first, Some(IssueCode::InternalError)),
                    _ => assert_eq!(first, Some(IssueCode::DocumentNotObject)),
                }
            }
        }
        let e = validate_many(&[GREEN], &o, Some(0)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidOption);
        assert_eq!(check_workers(Some(0)), Err(e));
        assert_eq!(check_workers(Some(1)), Ok(()));
        assert!(validate_many::<&[u8]>(&[], &o, None).unwrap().is_empty());
    }

    /// A document whose reading waits (up to 5 s) for another thread to be reading one at
    /// the same time, and notes when it waited in vain.
    struct Meeting<'a> {
        arrived: &'a std::sync::Mutex<usize>,
        met: &'a std::sync::Condvar,
        alone: &'a std::sync::atomic::AtomicBool,
    }

    impl BatchItem for Meeting<'_> {
        fn item(&self) -> Result<&[u8], &Panicked> {
            let mut n = self.arrived.lock().unwrap();
            *n += 1;
            self.met.notify_all();
            let (_n, wait) = self
                .met
                .wait_timeout_while(n, std::time::Duration::from_secs(5), |n| *n < 2)
                .unwrap();
            if wait.timed_out() {
                self.alone.store(true, Ordering::SeqCst);
            }
            Ok(b"{}")
        }
    }

    #[test]
    fn a_short_list_is_spread_over_every_worker() {
        let o = prepared("{}");
        for n in [2, 3, 10] {
            let arrived = std::sync::Mutex::new(0);
            let met = std::sync::Condvar::new();
            let alone = std::sync::atomic::AtomicBool::new(false);
            let items: Vec<Meeting<'_>> = (0..n)
                .map(|_| Meeting {
                    arrived: &arrived,
                    met: &met,
                    alone: &alone,
                })
                .collect();
            let rs = validate_many(&items, &o, Some(2)).unwrap();
            assert_eq!(rs.len(), n);
            assert!(
                !alone.load(Ordering::SeqCst),
                "with {n} documents one thread read the first alone: the other took none"
            );
        }
        assert_eq!(chunk_size(10, 2), 1);
        assert_eq!(chunk_size(200, 2), CHUNK);
        assert_eq!(chunk_size(0, 0), 1);
    }

    #[test]
    fn offline_terminology_names_the_bad_resource() {
        let mut t = OfflineTerminology::new();
        let cs = br#"{"resourceType": "CodeSystem", "url": "http://example.org/cs",
            "concept": [{"code": "a", "display": "A"}]}"#;
        t.load_fhir_json(cs).unwrap();
        assert_eq!(t.len(), 1);
        let e = t
            .load_fhir_json(br#"{"resourceType": "Patient"}"#)
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidTerminology);
        assert!(e.to_string().starts_with("resources[1]: "), "{e}");
        let mut o = ValidateOptions::default();
        o.providers.push(t.into_provider());
        assert!(validate(GREEN, &o.prepare().unwrap()).unwrap().valid);
    }
}

#[cfg(test)]
mod pinned_and_verdict {
    use super::*;
    use crate::{ErrorCode, FromJson};

    const GREEN: &str = include_str!("../../examples/records/mr-green.json");

    fn prepared() -> Prepared {
        ValidateOptions::from_json("{}").unwrap().prepare().unwrap()
    }

    #[test]
    fn a_pinned_version_accepts_its_records_and_reports_others() {
        let o = prepared().pin_version("1.0").unwrap();
        assert_eq!(o.version(), Some("1.0"));
        assert!(validate(GREEN, &o).unwrap().valid);
        let other = GREEN.replacen("\"mods_version\": \"1.0\"", "\"mods_version\": \"1.1\"", 1);
        assert_ne!(other, GREEN);
        // unpinned, the 1.1 record is validated against 1.1; pinned to 1.0, it is refused
        let r = validate(other.as_str(), &o).unwrap();
        assert!(!r.valid);
        assert_eq!(r.issues.len(), 1);
        assert_eq!(
            r.issues[0].code,
            mods_core::IssueCode::ModsVersionUnsupported
        );
        assert_eq!(r.issues[0].pointer, "/mods_version");
        assert_eq!(r.issues[0].context["expected"], "1.0");
        assert!(r.issues[0].context.get("value").is_none());
        let v: Value = serde_json::from_str(&other).unwrap();
        assert_eq!(validate(&v, &o).unwrap(), r);
        assert!(!is_valid(other.as_str(), &o).unwrap());
        // a version this library does not know: the core's own report
        let unknown = GREEN.replacen("\"mods_version\": \"1.0\"", "\"mods_version\": \"9\"", 1);
        assert_eq!(
            validate(unknown.as_str(), &o).unwrap(),
            validate(unknown.as_str(), &prepared()).unwrap()
        );
    }

    #[test]
    fn a_version_that_is_not_supported_is_refused_when_pinned() {
        let e = prepared().pin_version("0.9").err().unwrap();
        assert_eq!(e.code(), ErrorCode::InvalidOption);
        assert_eq!(serde_json::to_value(&e).unwrap()["option"], "version");
        let alert = ValidateOptions {
            class: Some("alert".into()),
            ..ValidateOptions::default()
        };
        let latest = mods_core::model::latest().mods_version;
        assert!(alert.prepare().unwrap().pin_version(latest).is_ok());
        let older = mods_core::model::models()[0].mods_version;
        assert_ne!(older, latest);
        assert!(alert.prepare().unwrap().pin_version(older).is_err());
    }

    #[test]
    fn is_valid_agrees_with_validate_and_fails_like_it() {
        let o = prepared();
        let bad = GREEN.replacen("9434765919", "9434765918", 1);
        for doc in [
            GREEN,
            bad.as_str(),
            "{}",
            "[]",
            "{\"mods_version\": \"1.0\"}",
        ] {
            assert_eq!(is_valid(doc, &o).unwrap(), validate(doc, &o).unwrap().valid);
        }
        assert_eq!(
            is_valid("{", &o).err().map(|e| e.code()),
            validate("{", &o).err().map(|e| e.code())
        );
    }
}

//! `validateMany`: a batch validated on native threads off the event loop (a napi
//! `AsyncTask` on libuv's thread pool, which calls the layer's `validate_many` with its
//! own worker threads), resolving a Promise with the reports as JSON text.

use crate::{js_error, validate_options};
use mods_api::{Error, Prepared};
use mods_core::guard;
use napi::bindgen_prelude::{AsyncTask, Buffer};
use napi::{Env, Task};
use napi_derive::napi;

/// The documents of a batch, concatenated, and where each ends; the prepared options.
pub struct Batch {
    bytes: Vec<u8>,
    ends: Vec<u32>,
    opts: Prepared,
    workers: Option<usize>,
}

impl Task for Batch {
    type Output = String;
    type JsValue = String;

    /// On a thread of libuv's pool: every report, in order, as one JSON array.
    fn compute(&mut self) -> napi::Result<String> {
        let got = guard::catch(|| {
            let mut docs: Vec<&[u8]> = Vec::with_capacity(self.ends.len());
            let mut start = 0usize;
            for &end in &self.ends {
                let end = (end as usize).clamp(start, self.bytes.len());
                docs.push(&self.bytes[start..end]);
                start = end;
            }
            let reports = mods_api::validate_many(&docs, &self.opts, self.workers)?;
            serde_json::to_string(&reports).map_err(|_| guard::Panicked::unlocated().into())
        });
        match got {
            Ok(Ok(text)) => Ok(text),
            Ok(Err(e)) => Err(js_error(&e)),
            Err(p) => Err(js_error(&Error::Internal(p))),
        }
    }

    fn resolve(&mut self, _env: Env, output: String) -> napi::Result<String> {
        Ok(output)
    }
}

/// Validate many documents on `workers` native threads (default: the number of CPUs), off
/// the event loop; one report per document, in order. `index.js` passes the documents
/// concatenated in `bytes` with the end offset of each in `ends` (one copy into Rust, so
/// that the batch owns its input while JavaScript goes on).
#[napi(
    ts_args_type = "inputs: Document[], options?: ValidateManyOptions",
    ts_return_type = "Promise<Report[]>"
)]
pub fn validate_many(
    bytes: Buffer,
    ends: Vec<u32>,
    options: Option<String>,
    workers: Option<u32>,
) -> napi::Result<AsyncTask<Batch>> {
    let prepared = guard::catch(|| {
        let workers = workers.map(|w| w as usize);
        mods_api::check_workers(workers)?;
        let opts = validate_options(options.as_deref())?.prepare()?;
        Ok::<_, Error>((opts, workers))
    });
    let (opts, workers) = match prepared {
        Ok(Ok(p)) => p,
        Ok(Err(e)) => return Err(js_error(&e)),
        Err(p) => return Err(js_error(&Error::Internal(p))),
    };
    Ok(AsyncTask::new(Batch {
        bytes: bytes.to_vec(),
        ends,
        opts,
        workers,
    }))
}

//! How `mods validate` spreads the work over threads and keeps the input's order.
//!
//! One thread reads the inputs in order: it hands each JSON document input to the workers
//! whole (a worker reads and validates it), and cuts each NDJSON input into batches of
//! whole lines. `jobs` workers validate documents and batches. The calling thread puts the
//! results back in input order and prints them as soon as they are next. A window bounds
//! what has been read but not yet printed, so memory stays flat however long an NDJSON
//! input is: the reader waits while the window is full.

use super::printer::{Event, Printer};
use super::{FileOutcome, RecordResult, Validator};
use crate::input::{self, Batch, Entry, Format, Input, NdjsonReader, PathError, Source};
use mods_core::guard;
use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Condvar, Mutex, PoisonError};

/// An NDJSON batch is closed once it holds this many bytes of documents...
pub const BATCH_BYTES: usize = 256 * 1024;
/// ... or this many documents.
pub const BATCH_LINES: usize = 256;

/// Work for the workers.
enum Task<'a> {
    /// A JSON document input, to read and validate.
    Document(&'a Input),
    /// A batch of NDJSON lines to validate.
    Lines(Batch),
}

/// A counting semaphore: the items read but not yet printed.
struct Window {
    state: Mutex<(usize, bool)>,
    changed: Condvar,
}

impl Window {
    fn new(size: usize) -> Self {
        Window {
            state: Mutex::new((size, false)),
            changed: Condvar::new(),
        }
    }

    /// Wait for room for one more item; `false` once the window is closed.
    fn take(&self) -> bool {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while s.0 == 0 && !s.1 {
            s = self.changed.wait(s).unwrap_or_else(PoisonError::into_inner);
        }
        if s.1 {
            return false;
        }
        s.0 -= 1;
        true
    }

    /// One item has been printed.
    fn give(&self) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).0 += 1;
        self.changed.notify_one();
    }

    /// Nothing more will be printed: wake the reader to stop.
    fn close(&self) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).1 = true;
        self.changed.notify_all();
    }
}

/// The reader's outlets: every item it makes gets the next number, once the window has
/// room for it.
struct Feed<'a, 'w> {
    next: u64,
    window: &'w Window,
    tasks: Sender<(u64, Task<'a>)>,
    events: Sender<(u64, Event<'a>)>,
}

impl<'a> Feed<'a, '_> {
    /// Hand work to the workers; `false` when the run is stopping.
    fn task(&mut self, task: Task<'a>) -> bool {
        if !self.window.take() {
            return false;
        }
        self.next += 1;
        self.tasks.send((self.next - 1, task)).is_ok()
    }

    /// Send an event straight to the printer; `false` when the run is stopping.
    fn event(&mut self, event: Event<'a>) -> bool {
        if !self.window.take() {
            return false;
        }
        self.next += 1;
        self.events.send((self.next - 1, event)).is_ok()
    }
}

/// Validate every entry on `jobs` workers and print the results in order. Returns when
/// everything is printed, or at the first error writing the output.
pub fn run<'a>(
    entries: &'a [Entry],
    validator: &Validator,
    jobs: usize,
    printer: &mut Printer<'a>,
) -> io::Result<()> {
    let window = Window::new(4 * jobs + 4);
    let (task_tx, task_rx) = mpsc::channel::<(u64, Task<'a>)>();
    let task_rx = Mutex::new(task_rx);
    let (event_tx, event_rx) = mpsc::channel::<(u64, Event<'a>)>();
    std::thread::scope(|s| {
        for _ in 0..jobs {
            let (tasks, events) = (&task_rx, event_tx.clone());
            s.spawn(move || work(tasks, &events, validator));
        }
        let mut feed = Feed {
            next: 0,
            window: &window,
            tasks: task_tx,
            events: event_tx,
        };
        let max = validator.opts.limits().max_bytes;
        s.spawn(move || read(entries, max, &mut feed));
        let printed = deliver(event_rx, &window, printer);
        // printing stopped (an error writing): stop the reader, and with it the workers
        window.close();
        printed
    })
}

/// Read the entries in order into tasks and events.
fn read<'a>(entries: &'a [Entry], max: usize, feed: &mut Feed<'a, '_>) {
    for entry in entries {
        let go_on = match entry {
            Entry::Error(PathError { path, message }) => feed.event(Event::File {
                name: path,
                outcome: FileOutcome::Error(message.clone()),
                bytes: 0,
            }),
            Entry::Input(input) if input.format == Format::Json => feed.task(Task::Document(input)),
            Entry::Input(input) => read_ndjson(input, max, feed),
        };
        if !go_on {
            return;
        }
    }
}

/// Cut one NDJSON input into batches. A read error ends the input with that error, after
/// the records read before it; a panic (a bug) while reading ends it with one more record,
/// holding the `internal-error` issue.
fn read_ndjson<'a>(input: &'a Input, max: usize, feed: &mut Feed<'a, '_>) -> bool {
    let reader: Box<dyn BufRead> = match &input.source {
        Source::Stdin => Box::new(BufReader::with_capacity(
            input::READ_BUFFER,
            io::stdin().lock(),
        )),
        Source::File(path) => match input::open(path) {
            Ok((reader, _)) => Box::new(reader),
            Err(e) => {
                return feed.event(Event::File {
                    name: &input.name,
                    outcome: FileOutcome::Error(input::io_message(&e)),
                    bytes: 0,
                })
            }
        },
    };
    if !feed.event(Event::Begin { name: &input.name }) {
        return false;
    }
    let mut lines = NdjsonReader::new(reader, max);
    let ended = guard::catch(|| loop {
        match lines.next_batch(BATCH_BYTES, BATCH_LINES) {
            Ok(Some(batch)) => {
                if !feed.task(Task::Lines(batch)) {
                    return None;
                }
            }
            Ok(None) => return Some(None),
            Err(e) => return Some(Some(input::io_message(&e))),
        }
    });
    match ended {
        Ok(None) => false,
        Ok(Some(error)) => feed.event(Event::End { error }),
        Err(p) => {
            let records = vec![RecordResult {
                line: None,
                report: p.report(),
            }];
            feed.event(Event::Records { records, bytes: 0 })
                && feed.event(Event::End { error: None })
        }
    }
}

/// A worker: validate tasks until there are none left or nobody is printing.
fn work<'a>(
    tasks: &Mutex<Receiver<(u64, Task<'a>)>>,
    events: &Sender<(u64, Event<'a>)>,
    validator: &Validator,
) {
    loop {
        let next = tasks.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok((n, task)) = next else { break };
        let event = match task {
            Task::Document(input) => Event::File {
                name: &input.name,
                outcome: validator.run(input),
                bytes: match &input.source {
                    Source::File(path) => std::fs::metadata(path).map_or(0, |m| m.len()),
                    Source::Stdin => 0,
                },
            },
            Task::Lines(batch) => Event::Records {
                records: validator.batch(&batch),
                bytes: batch.consumed,
            },
        };
        if events.send((n, event)).is_err() {
            break;
        }
    }
}

/// Print the events in order, as each becomes the next.
fn deliver<'a>(
    events: Receiver<(u64, Event<'a>)>,
    window: &Window,
    printer: &mut Printer<'a>,
) -> io::Result<()> {
    let mut pending: BTreeMap<u64, Event<'a>> = BTreeMap::new();
    let mut next = 0u64;
    for (n, event) in events {
        pending.insert(n, event);
        while let Some(event) = pending.remove(&next) {
            next += 1;
            window.give();
            printer.event(event)?;
        }
    }
    // Every thread has ended. Anything left waited behind a result that never came (a
    // worker that died, which contained panics make a pathological case): print it in
    // order all the same; `Printer::finish` closes an input left open.
    for (_, event) in pending {
        printer.event(event)?;
    }
    Ok(())
}

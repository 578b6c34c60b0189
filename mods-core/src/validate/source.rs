//! Where the pass reads values from: the document's bytes ([`super::reader::Reader`]) or a
//! parsed [`Value`] ([`Tree`]). Both give the same events in the same order (the next value,
//! the next key of an object, the next item of an array), so every rule of the pass is
//! written once, over [`Source`].

use serde_json::{Number, Value};
use std::borrow::Cow;
use std::fmt;

/// What a value starts with.
pub(super) enum Start<'de> {
    Null,
    Bool(bool),
    Num(Number),
    Str(Cow<'de, str>),
    /// An object: its members follow, through [`Source::next_key`].
    Map,
    /// An array: its items follow, through [`Source::next_item`].
    Seq,
}

/// The pass stopped: the input is not well-formed, or one of the pass's own checks failed
/// (what failed is kept by the pass's context, where it failed by the source).
#[derive(Debug, Clone, Copy)]
pub(super) struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the input could not be read")
    }
}

impl std::error::Error for Stop {}

impl serde::de::Error for Stop {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Stop
    }
}

/// A pull source of JSON values.
pub(super) trait Source<'de> {
    /// Bytes being read: the input limits apply, and errors have positions.
    const BYTES: bool;

    /// Read the start of the next value (after a key: the member's value; in an array: the
    /// item announced by [`Source::next_item`]; else the top-level value).
    fn value(&mut self) -> Result<Start<'de>, Stop>;

    /// The next key of the object being read, or `None` at its end (then closed).
    fn next_key(&mut self) -> Result<Option<Cow<'de, str>>, Stop>;

    /// Whether the array being read has another item (`false`: its end, then closed).
    fn next_item(&mut self) -> Result<bool, Stop>;

    /// Pass over the next value unread (a [`Value`]'s: nothing in it can be wrong with the
    /// input). Bytes are always read, so that the limits are checked.
    fn skip_unread(&mut self);

    /// One of the pass's checks failed on the value just read.
    fn fail_here(&mut self);

    /// One of the pass's checks failed in the object (`map`) or array being read, between
    /// its values.
    fn fail_in(&mut self, map: bool);
}

/// A parsed [`Value`] as a source.
pub(super) struct Tree<'de> {
    next: Option<&'de Value>,
    open: Vec<Frame<'de>>,
}

enum Frame<'de> {
    Map(serde_json::map::Iter<'de>),
    Seq(std::slice::Iter<'de, Value>),
}

impl<'de> Tree<'de> {
    pub(super) fn new(v: &'de Value) -> Self {
        Tree {
            next: Some(v),
            open: Vec::new(),
        }
    }
}

impl<'de> Source<'de> for Tree<'de> {
    const BYTES: bool = false;

    fn value(&mut self) -> Result<Start<'de>, Stop> {
        Ok(match self.next.take() {
            None | Some(Value::Null) => Start::Null,
            Some(Value::Bool(b)) => Start::Bool(*b),
            Some(Value::Number(n)) => Start::Num(n.clone()),
            Some(Value::String(s)) => Start::Str(Cow::Borrowed(s)),
            Some(Value::Array(a)) => {
                self.open.push(Frame::Seq(a.iter()));
                Start::Seq
            }
            Some(Value::Object(m)) => {
                self.open.push(Frame::Map(m.iter()));
                Start::Map
            }
        })
    }

    fn next_key(&mut self) -> Result<Option<Cow<'de, str>>, Stop> {
        match self.open.last_mut() {
            Some(Frame::Map(it)) => match it.next() {
                Some((k, v)) => {
                    self.next = Some(v);
                    Ok(Some(Cow::Borrowed(k.as_str())))
                }
                None => {
                    self.open.pop();
                    Ok(None)
                }
            },
            _ => Err(Stop),
        }
    }

    fn next_item(&mut self) -> Result<bool, Stop> {
        match self.open.last_mut() {
            Some(Frame::Seq(it)) => match it.next() {
                Some(v) => {
                    self.next = Some(v);
                    Ok(true)
                }
                None => {
                    self.open.pop();
                    Ok(false)
                }
            },
            _ => Err(Stop),
        }
    }

    fn skip_unread(&mut self) {
        self.next = None;
    }

    fn fail_here(&mut self) {}

    fn fail_in(&mut self, _: bool) {}
}

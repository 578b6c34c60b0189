//! The engine's own JSON reader: a pull reader over the document's text that the pass drives
//! directly (the next value, the next key, the next item), with strings borrowed from the
//! input when they hold no escapes and numbers turned into values only when they are met.
//!
//! It accepts exactly what serde_json accepts (RFC 8259, no byte order mark, paired
//! surrogates in `\u` escapes, numbers that fit an `f64`, at most 127 levels of nesting) and
//! stops at the same byte on the first thing it does not. It does not word syntax errors
//! itself: on one, [`syntax_error`] reads the same text again with serde_json, which stops at
//! that same place, and takes serde_json's message and position, so an error reads the same
//! as it always has. The position of an error of the pass (a limit, a duplicate key) is the
//! one serde_json gave it when its visitor raised it (see [`Reader::fail_here`] and
//! [`Reader::fail_in`]).

use super::source::{Source, Start, Stop};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Number;
use std::borrow::Cow;
use std::fmt;

/// serde_json's recursion limit: the `[` or `{` that would open the 128th level is an error.
const SERDE_DEPTH: usize = 128;

pub(super) struct Reader<'de> {
    text: &'de str,
    b: &'de [u8],
    i: usize,
    /// Containers open.
    open: usize,
    /// The container just opened has not had a member or item yet.
    first: bool,
    /// A key has been read and its colon not yet.
    colon: bool,
    /// Where the error that stopped the pass was placed (a byte index), when the pass
    /// raised it; `None` for a syntax error.
    fail_at: Option<usize>,
}

/// The bytes a string runs on without a closer look: not `"`, `\` or a control character.
static PLAIN: [bool; 256] = {
    let mut t = [true; 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = false;
        c += 1;
    }
    t[b'"' as usize] = false;
    t[b'\\' as usize] = false;
    t
};

impl<'de> Reader<'de> {
    pub(super) fn new(text: &'de str) -> Self {
        Reader {
            text,
            b: text.as_bytes(),
            i: 0,
            open: 0,
            first: false,
            colon: false,
            fail_at: None,
        }
    }

    /// After the top-level value: nothing but whitespace may follow.
    pub(super) fn end(&mut self) -> Result<(), Stop> {
        match self.ws() {
            None => Ok(()),
            Some(_) => Err(Stop),
        }
    }

    /// Where the pass stopped with an error of its own: (line, column), 1-based.
    pub(super) fn failure_position(&self) -> Option<(usize, usize)> {
        self.fail_at.map(|i| position(self.b, i))
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Skip whitespace; the next byte.
    #[inline]
    fn ws(&mut self) -> Option<u8> {
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b' ' | b'\n' | b'\t' | b'\r' => self.i += 1,
                _ => return Some(c),
            }
        }
        None
    }

    fn ident(&mut self, rest: &[u8]) -> Result<(), Stop> {
        let end = self.i + rest.len();
        if self.b.get(self.i..end) == Some(rest) {
            self.i = end;
            Ok(())
        } else {
            Err(Stop)
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        self.i - start
    }

    /// A number, from its first byte (`-` or a digit), by serde_json's grammar.
    fn number(&mut self) -> Result<Number, Stop> {
        let start = self.i;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.i += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(Stop);
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(Stop),
        }
        let whole = self.i;
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(Stop);
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(Stop);
            }
        }
        let s = &self.text[start..self.i];
        if !negative && whole == self.i && s.len() <= 19 {
            // fits a u64: serde_json reads it as one
            let n = s.bytes().fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
            return Ok(Number::from(n));
        }
        // as serde_json reads it (the same code, so the same value), or out of range
        serde_json::from_str::<Number>(s).map_err(|_| Stop)
    }

    /// Move over the bytes of a string that need no closer look, eight at a time while
    /// eight are left.
    #[inline]
    fn plain_run(&mut self) {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        while let Some(chunk) = self.b.get(self.i..self.i + 8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(chunk);
            let x = u64::from_le_bytes(w);
            // a high bit in each byte that is `"`, `\` or below 0x20 (and none below the
            // lowest of them)
            let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
            let hits = zero(x ^ (ONES * u64::from(b'"')))
                | zero(x ^ (ONES * u64::from(b'\\')))
                | (x.wrapping_sub(ONES * 0x20) & !x & HIGH);
            if hits != 0 {
                self.i += (hits.trailing_zeros() / 8) as usize;
                return;
            }
            self.i += 8;
        }
        while let Some(&c) = self.b.get(self.i) {
            if !PLAIN[c as usize] {
                return;
            }
            self.i += 1;
        }
    }

    /// A string, from after its opening quote.
    #[inline]
    fn string(&mut self) -> Result<Cow<'de, str>, Stop> {
        let start = self.i;
        self.plain_run();
        match self.peek() {
            Some(b'"') => {
                let s = &self.text[start..self.i];
                self.i += 1;
                Ok(Cow::Borrowed(s))
            }
            Some(b'\\') => {
                let mut out = String::with_capacity(self.i - start + 16);
                out.push_str(&self.text[start..self.i]);
                self.escaped(out).map(Cow::Owned)
            }
            // a control character, or the end of the input
            _ => Err(Stop),
        }
    }

    /// The rest of a string holding escapes, from its first backslash.
    #[cold]
    fn escaped(&mut self, mut out: String) -> Result<String, Stop> {
        loop {
            let run = self.i;
            self.plain_run();
            out.push_str(&self.text[run..self.i]);
            match self.peek() {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let e = self.peek().ok_or(Stop)?;
                    self.i += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode()?),
                        _ => return Err(Stop),
                    }
                }
                _ => return Err(Stop),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, Stop> {
        let h = self.b.get(self.i..self.i + 4).ok_or(Stop)?;
        let mut n = 0;
        for &c in h {
            n = n * 16 + (c as char).to_digit(16).ok_or(Stop)?;
        }
        self.i += 4;
        Ok(n)
    }

    /// A `\u` escape (after the `u`), with its trailing surrogate when it needs one.
    fn unicode(&mut self) -> Result<char, Stop> {
        let n = self.hex4()?;
        if (0xDC00..=0xDFFF).contains(&n) {
            return Err(Stop);
        }
        if !(0xD800..=0xDBFF).contains(&n) {
            return char::from_u32(n).ok_or(Stop);
        }
        if self.b.get(self.i..self.i + 2) != Some(b"\\u") {
            return Err(Stop);
        }
        self.i += 2;
        let n2 = self.hex4()?;
        if !(0xDC00..=0xDFFF).contains(&n2) {
            return Err(Stop);
        }
        char::from_u32((((n - 0xD800) << 10) | (n2 - 0xDC00)) + 0x1_0000).ok_or(Stop)
    }

    fn open(&mut self) -> Result<(), Stop> {
        if self.open + 1 >= SERDE_DEPTH {
            return Err(Stop);
        }
        self.open += 1;
        self.i += 1;
        self.first = true;
        Ok(())
    }

    fn close(&mut self) {
        self.open = self.open.saturating_sub(1);
        self.i += 1;
        // the container it closes had its first member or item already
        self.first = false;
    }

    /// Set where the pass stopped, if it is not set yet (an error raised inside a value
    /// keeps the place it was raised at while it unwinds).
    fn place(&mut self, i: usize) {
        if self.fail_at.is_none() {
            self.fail_at = Some(i);
        }
    }

    /// Skip a value without the pass's checks (reading the version before the pass), or
    /// fail on its first syntax error. Not recursive: the kinds of the containers open
    /// (`true`: an object) are kept on a stack.
    pub(super) fn skip(&mut self) -> Result<(), Stop> {
        let mut open: Vec<bool> = Vec::new();
        loop {
            match self.value()? {
                Start::Map => open.push(true),
                Start::Seq => open.push(false),
                _ => {}
            }
            // close what ends here, up to a container with more to read
            loop {
                let Some(&map) = open.last() else {
                    return Ok(());
                };
                let more = if map {
                    self.next_key()?.is_some()
                } else {
                    self.next_item()?
                };
                if more {
                    break;
                }
                open.pop();
            }
        }
    }
}

impl<'de> Source<'de> for Reader<'de> {
    const BYTES: bool = true;

    #[inline]
    fn value(&mut self) -> Result<Start<'de>, Stop> {
        if self.colon {
            self.colon = false;
            match self.ws() {
                Some(b':') => self.i += 1,
                _ => return Err(Stop),
            }
        }
        match self.ws() {
            Some(b'"') => {
                self.i += 1;
                self.string().map(Start::Str)
            }
            Some(b'{') => self.open().map(|()| Start::Map),
            Some(b'[') => self.open().map(|()| Start::Seq),
            Some(b'-' | b'0'..=b'9') => self.number().map(Start::Num),
            Some(b'n') => self.ident(b"null").map(|()| Start::Null),
            Some(b't') => self.ident(b"true").map(|()| Start::Bool(true)),
            Some(b'f') => self.ident(b"false").map(|()| Start::Bool(false)),
            _ => Err(Stop),
        }
    }

    #[inline]
    fn next_key(&mut self) -> Result<Option<Cow<'de, str>>, Stop> {
        let c = self.ws().ok_or(Stop)?;
        if c == b'}' {
            self.close();
            return Ok(None);
        }
        if self.first {
            self.first = false;
            if c != b'"' {
                return Err(Stop);
            }
        } else if c == b',' {
            self.i += 1;
            if self.ws() != Some(b'"') {
                return Err(Stop);
            }
        } else {
            return Err(Stop);
        }
        self.i += 1;
        let k = self.string()?;
        self.colon = true;
        Ok(Some(k))
    }

    #[inline]
    fn next_item(&mut self) -> Result<bool, Stop> {
        let c = self.ws().ok_or(Stop)?;
        if c == b']' {
            self.close();
            return Ok(false);
        }
        if self.first {
            self.first = false;
            return Ok(true);
        }
        if c != b',' {
            return Err(Stop);
        }
        self.i += 1;
        match self.ws() {
            Some(b']') | None => Err(Stop),
            Some(_) => Ok(true),
        }
    }

    fn skip_unread(&mut self) {}

    fn fail_here(&mut self) {
        self.place(self.i);
    }

    fn fail_in(&mut self, map: bool) {
        // serde_json places an error its visitor raised inside an object or array after
        // looking for the container's end: whitespace skipped, then its closer (or, in an
        // array, a comma and the whitespace after it) taken
        // (after a key, its colon is still unread: it is read with the value)
        let mut i = self.i;
        while matches!(self.b.get(i), Some(b' ' | b'\n' | b'\t' | b'\r')) {
            i += 1;
        }
        match self.b.get(i) {
            Some(b'}') if map => i += 1,
            Some(b']') if !map => i += 1,
            Some(b',') if !map => {
                i += 1;
                while matches!(self.b.get(i), Some(b' ' | b'\n' | b'\t' | b'\r')) {
                    i += 1;
                }
            }
            _ => {}
        }
        self.place(i);
    }
}

/// serde_json's (line, column) of byte index `i`: the column counts the bytes of the line
/// before `i` (0 at the start of a line, reported as 1).
fn position(b: &[u8], i: usize) -> (usize, usize) {
    let i = i.min(b.len());
    let start = b[..i]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |p| p + 1);
    let line = 1 + b[..start].iter().filter(|&&c| c == b'\n').count();
    (line, (i - start).max(1))
}

/// serde_json's error for the text's first syntax error, read as the pass's reader read it
/// before (every value through `deserialize_any`), so with the same message and position.
pub(super) fn syntax_error(text: &str) -> serde_json::Error {
    let mut de = serde_json::Deserializer::from_str(text);
    match Scan.deserialize(&mut de).and_then(|()| de.end()) {
        Err(e) => e,
        // the reader stopped where serde_json does not: never expected, and not a panic
        Ok(()) => de::Error::custom("the reader and serde_json disagree"),
    }
}

/// Every value read through `deserialize_any`, nothing kept.
struct Scan;

impl<'de> de::DeserializeSeed<'de> for Scan {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Scan {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Scan)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(Scan)?.is_some() {
            map.next_value_seed(Scan)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_runs_stop_at_the_first_byte_that_needs_a_look() {
        for special in [b'"', b'\\', 0x00, 0x01, 0x1f] {
            for len in 0..20 {
                for at in 0..=len {
                    let mut b = vec![b'a'; len];
                    // bytes on either side of the special ones, UTF-8 included
                    for (i, c) in b.iter_mut().enumerate() {
                        *c = [b'a', b' ', b'!', b'#', b'[', b']', 0x7f, b'~'][i % 8];
                    }
                    if at < len {
                        b[at] = special;
                    }
                    let text = String::from_utf8(b).unwrap() + "\u{e9}\"";
                    let mut r = Reader::new(&text);
                    r.plain_run();
                    let expected = if at < len { at } else { len + 2 };
                    assert_eq!(r.i, expected, "{special} at {at} of {len}");
                }
            }
        }
    }

    #[test]
    fn positions_are_serde_jsons() {
        assert_eq!(position(b"", 0), (1, 1));
        assert_eq!(position(b"{\n", 2), (2, 1));
        assert_eq!(position(b"[1,]", 3), (1, 3));
        assert_eq!(position(b"a\nbc\nd", 4), (2, 2));
    }
}

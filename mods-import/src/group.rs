//! Grouping rows by person in flat memory: an external merge sort.
//!
//! Rows are gathered in chunks of at most `chunk_rows`; a full chunk is sorted by person and
//! written to a spill file (one JSON line per row) in a private temporary folder; at the end
//! the spill files are merged, so only one chunk, one row per spill file and one person's
//! rows are in memory at a time. An input small enough for one chunk never touches the disk.
//! Within a person, rows keep their input order (input, then row number).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::{self, File};
use std::io::{BufRead, BufReader, BufWriter, Lines, Write};
use std::path::{Path, PathBuf};

use crate::source::Row;
use crate::Error;

/// A person's key and rows, in input order.
pub type Group = (String, Vec<Row>);

/// The external sorter.
pub struct Sorter {
    chunk: Vec<(String, Row)>,
    chunk_rows: usize,
    base: PathBuf,
    dir: Option<SpillDir>,
    files: Vec<PathBuf>,
}

/// A temporary folder removed when dropped.
struct SpillDir(PathBuf);

impl Drop for SpillDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn io(e: std::io::Error) -> Error {
    Error::Io(format!("spill file: {}", e.kind()))
}

impl Sorter {
    /// A sorter keeping at most `chunk_rows` rows in memory, spilling under `base`.
    pub fn new(chunk_rows: usize, base: &Path) -> Sorter {
        Sorter {
            chunk: Vec::new(),
            chunk_rows: chunk_rows.max(1),
            base: base.to_path_buf(),
            dir: None,
            files: Vec::new(),
        }
    }

    /// Add a row of the person `key`.
    pub fn push(&mut self, key: String, row: Row) -> Result<(), Error> {
        self.chunk.push((key, row));
        if self.chunk.len() >= self.chunk_rows {
            self.spill()?;
        }
        Ok(())
    }

    /// How many spill files were written.
    pub fn spills(&self) -> usize {
        self.files.len()
    }

    fn spill(&mut self) -> Result<(), Error> {
        // WebAssembly without WASI has no file system, nor the clock the folder's name
        // takes (reading it there panics): refuse, rather than abort or group wrongly
        if cfg!(all(target_family = "wasm", target_os = "unknown")) {
            return Err(Error::Io(
                "spill file: there is no file system here to spill rows to; raise chunk_rows \
                 above the number of rows"
                    .into(),
            ));
        }
        if self.dir.is_none() {
            let stamp = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            let dir = self
                .base
                .join(format!("mods-import-{}-{stamp}", std::process::id()));
            fs::create_dir_all(&dir).map_err(io)?;
            self.dir = Some(SpillDir(dir));
        }
        let dir = &self.dir.as_ref().expect("created above").0;
        sort(&mut self.chunk);
        let path = dir.join(format!("chunk-{}.ndjson", self.files.len()));
        let mut w = BufWriter::new(File::create(&path).map_err(io)?);
        for item in self.chunk.drain(..) {
            serde_json::to_writer(&mut w, &item)
                .map_err(|e| Error::Io(format!("spill file: {e}")))?;
            w.write_all(b"\n").map_err(io)?;
        }
        w.flush().map_err(io)?;
        self.files.push(path);
        Ok(())
    }

    /// Hand each person's rows to `f`, persons in key order.
    pub fn finish(mut self, f: &mut dyn FnMut(Group) -> Result<(), Error>) -> Result<usize, Error> {
        if self.files.is_empty() {
            let mut chunk = std::mem::take(&mut self.chunk);
            sort(&mut chunk);
            groups(chunk.into_iter().map(Ok), f)?;
            return Ok(0);
        }
        if !self.chunk.is_empty() {
            self.spill()?;
        }
        let spills = self.files.len();
        let mut readers: Vec<Lines<BufReader<File>>> = Vec::new();
        for p in &self.files {
            readers.push(BufReader::new(File::open(p).map_err(io)?).lines());
        }
        let next = |r: &mut Lines<BufReader<File>>| -> Result<Option<(String, Row)>, Error> {
            match r.next() {
                None => Ok(None),
                Some(line) => {
                    let line = line.map_err(io)?;
                    serde_json::from_str(&line)
                        .map(Some)
                        .map_err(|e| Error::Io(format!("spill file: {e}")))
                }
            }
        };
        let mut heads: Vec<Option<(String, Row)>> = Vec::new();
        let mut heap = BinaryHeap::new();
        for (i, r) in readers.iter_mut().enumerate() {
            let h = next(r)?;
            if let Some((k, row)) = &h {
                heap.push(Reverse((k.clone(), row.source, row.row, i)));
            }
            heads.push(h);
        }
        let merged = std::iter::from_fn(|| {
            let Reverse((_, _, _, i)) = heap.pop()?;
            let item = heads[i].take()?;
            match next(&mut readers[i]) {
                Ok(h) => {
                    if let Some((k, row)) = &h {
                        heap.push(Reverse((k.clone(), row.source, row.row, i)));
                    }
                    heads[i] = h;
                    Some(Ok(item))
                }
                Err(e) => Some(Err(e)),
            }
        });
        groups(merged, f)?;
        Ok(spills)
    }
}

fn sort(chunk: &mut [(String, Row)]) {
    chunk.sort_by(|a, b| (&a.0, a.1.source, a.1.row).cmp(&(&b.0, b.1.source, b.1.row)));
}

/// Gather consecutive rows of one key.
fn groups(
    items: impl Iterator<Item = Result<(String, Row), Error>>,
    f: &mut dyn FnMut(Group) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut current: Option<Group> = None;
    for item in items {
        let (k, row) = item?;
        match &mut current {
            Some((ck, rows)) if *ck == k => rows.push(row),
            _ => {
                if let Some(g) = current.take() {
                    f(g)?;
                }
                current = Some((k, vec![row]));
            }
        }
    }
    if let Some(g) = current {
        f(g)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: u64) -> Row {
        Row {
            source: 0,
            row: n,
            cells: vec![(0, format!("v{n}"))],
        }
    }

    #[test]
    fn spilled_rows_come_back_grouped_in_input_order() {
        let tmp = tempfile::tempdir().unwrap();
        let mut s = Sorter::new(3, tmp.path());
        let keys = ["b", "a", "c", "a", "b", "a", "c", "d"];
        for (i, k) in keys.iter().enumerate() {
            s.push(k.to_string(), row(i as u64 + 2)).unwrap();
        }
        assert_eq!(s.spills(), 2);
        let mut out = Vec::new();
        let spills = s
            .finish(&mut |(k, rows)| {
                out.push((k, rows.iter().map(|r| r.row).collect::<Vec<_>>()));
                Ok(())
            })
            .unwrap();
        assert_eq!(spills, 3);
        assert_eq!(
            out,
            vec![
                ("a".to_string(), vec![3, 5, 7]),
                ("b".to_string(), vec![2, 6]),
                ("c".to_string(), vec![4, 8]),
                ("d".to_string(), vec![9]),
            ]
        );
        // the spill folder is gone
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
    }
}

//! The inputs: every example record of `examples/records/`, its invalid copy and its scaled
//! copies, each as the bytes every contender reads.
//!
//! Names: `mr-green` is the file as committed; `mr-green.invalid` its invalid copy
//! ([`crate::mutate`]); `mr-green.x1` … `mr-green.x16` the record scaled 1 to 16 times
//! ([`crate::scale`]). The copies are written by [`Node::to_pretty`], `x1` included, so the
//! invalid copy and the scaled series compare with bytes laid out the same way.

use crate::doc::Node;
use crate::{mutate, scale};
use std::path::{Path, PathBuf};

/// The scale factors of the linearity series.
pub const SCALES: [usize; 5] = [1, 2, 4, 8, 16];

/// Which copy of an example record an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// The file as committed.
    Valid,
    /// The invalid copy, with about ten violations.
    Invalid,
    /// The record with its collections repeated this many times.
    Scaled(usize),
}

/// One example record, read.
#[derive(Debug, Clone)]
pub struct Example {
    /// The file name without `.json`.
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The same, as an order-keeping tree.
    pub tree: Node,
}

/// The bytes of one input.
#[derive(Debug, Clone)]
pub struct Input {
    /// `record`, `record.invalid` or `record.xK`.
    pub name: String,
    /// The example record it comes from.
    pub record: String,
    /// Which copy.
    pub variant: Variant,
    /// What the contenders read.
    pub bytes: Vec<u8>,
}

/// The repository's root (where `examples/` and `schemas/` are): the one this crate was
/// built in, or `MODS_BENCH_ROOT` when set.
pub fn repo_root() -> PathBuf {
    match std::env::var_os("MODS_BENCH_ROOT") {
        Some(root) => PathBuf::from(root),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join(".."),
    }
}

/// Every `*.json` file of `<root>/examples/records`, sorted by name.
pub fn load_examples(root: &Path) -> Result<Vec<Example>, String> {
    let dir = root.join("examples").join("records");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let tree = Node::parse(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        out.push(Example {
            name: name.to_owned(),
            bytes,
            tree,
        });
    }
    if out.is_empty() {
        return Err(format!("no *.json record in {}", dir.display()));
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The input `variant` of `example`.
pub fn build(example: &Example, variant: Variant) -> Result<Input, String> {
    let (name, bytes) = match variant {
        Variant::Valid => (example.name.clone(), example.bytes.clone()),
        Variant::Invalid => (
            format!("{}.invalid", example.name),
            mutate::break_record(&example.tree)
                .map_err(|e| format!("{}: no invalid copy: {e}", example.name))?
                .to_pretty(),
        ),
        Variant::Scaled(k) => (
            format!("{}.x{k}", example.name),
            scale::scale_record(&example.tree, k).to_pretty(),
        ),
    };
    Ok(Input {
        name,
        record: example.name.clone(),
        variant,
        bytes,
    })
}

/// The record and variant an input name stands for (see the module documentation).
pub fn parse_name(name: &str) -> Option<(&str, Variant)> {
    if let Some(record) = name.strip_suffix(".invalid") {
        return Some((record, Variant::Invalid));
    }
    if let Some((record, k)) = name.rsplit_once(".x") {
        let k: usize = k.parse().ok().filter(|k| *k >= 1)?;
        return Some((record, Variant::Scaled(k)));
    }
    (!name.is_empty()).then_some((name, Variant::Valid))
}

/// The input called `name`, built from `examples`.
pub fn by_name(examples: &[Example], name: &str) -> Result<Input, String> {
    let (record, variant) = parse_name(name).ok_or_else(|| format!("bad input name {name}"))?;
    let example = examples
        .iter()
        .find(|e| e.name == record)
        .ok_or_else(|| format!("no example record {record} (inputs: `mods-bench inputs`)"))?;
    build(example, variant)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse() {
        assert_eq!(parse_name("mr-green"), Some(("mr-green", Variant::Valid)));
        assert_eq!(
            parse_name("mr-green.invalid"),
            Some(("mr-green", Variant::Invalid))
        );
        assert_eq!(
            parse_name("mr-green.x16"),
            Some(("mr-green", Variant::Scaled(16)))
        );
        assert_eq!(parse_name("mr-green.x0"), None);
        assert_eq!(parse_name("mr-green.xz"), None);
        assert_eq!(parse_name(""), None);
    }
}

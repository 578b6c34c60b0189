//! `Options` is `#[non_exhaustive]`, so code outside the crate builds it with `default()`
//! and the `with_*` methods; each method must set its field.

use mods_import::Options;
use std::path::PathBuf;

#[test]
fn options() {
    let o = Options::default()
        .with_dry_run(true)
        .with_include_values(true)
        .with_chunk_rows(3)
        .with_base_dir(PathBuf::from("base"))
        .with_spill_dir(PathBuf::from("spill"));
    assert!(o.dry_run && o.include_values);
    assert_eq!(o.chunk_rows, 3);
    assert_eq!(o.base_dir, PathBuf::from("base"));
    assert_eq!(o.spill_dir, PathBuf::from("spill"));
    assert_eq!(Options::default().chunk_rows, 50_000);
}

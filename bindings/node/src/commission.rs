//! Commissioning a package of care (use case 2), through `mods_api`
//! (docs/flows/commission.md).

use crate::{json, options};
use napi_derive::napi;

/// The package of care the provider receives, built from the council's record for one plan.
#[napi(
    ts_args_type = "record: Document, options: CommissionPackageOptions",
    ts_return_type = "CommissionPackage"
)]
pub fn commission_package(record: &[u8], options: Option<String>) -> napi::Result<String> {
    json(|| mods_api::commission_package(record, &self::options(options.as_deref())?))
}

/// A package of care merged into the provider's record of the person.
#[napi(
    ts_args_type = "provider: Document, pkg: Document, options?: CommissionAcceptOptions",
    ts_return_type = "CommissionAccepted"
)]
pub fn commission_accept(
    provider: &[u8],
    package: &[u8],
    options: Option<String>,
) -> napi::Result<String> {
    json(|| mods_api::commission_accept(provider, package, &self::options(options.as_deref())?))
}

//! `commissionPackage` and `commissionAccept`: commissioning a package of care, use case 2
//! (docs/flows/commission.md), through `mods_api`.

use crate::clock::now;
use crate::convert::{doc, options, out};
use crate::Js;
use wasm_bindgen::prelude::*;

/// The package of care the provider receives, built from the council's record for one plan:
/// `{package, report}`. `opts`: `{plan, provider, sender, includeValues, today}` (`plan`
/// required; `today` defaults to the clock's date, as on every other target).
#[wasm_bindgen(js_name = commissionPackage, skip_typescript)]
pub fn commission_package(record: &JsValue, opts: &JsValue) -> Js {
    let mut o: mods_api::CommissionPackageOptions = options(opts)?;
    if o.today.is_none() {
        o.today = now().get(..10).map(str::to_owned);
    }
    let d = doc(record, "the record")?;
    out(mods_api::commission_package(d.input(), &o))
}

/// A package of care merged into the provider's record of the person: `{record, report}`.
/// `opts`: `{date, committer, systemIdentifier, newPerson, includeValues, today}`; `date`
/// (the Change log entries' time) and `today` default to the clock's.
#[wasm_bindgen(js_name = commissionAccept, skip_typescript)]
pub fn commission_accept(provider: &JsValue, package: &JsValue, opts: &JsValue) -> Js {
    let mut o: mods_api::CommissionAcceptOptions = options(opts)?;
    let now = now();
    if o.date.is_none() {
        o.date = Some(now.clone());
    }
    if o.today.is_none() {
        o.today = now.get(..10).map(str::to_owned);
    }
    let (p, k) = (
        doc(provider, "the provider's record")?,
        doc(package, "the package")?,
    );
    out(mods_api::commission_accept(p.input(), k.input(), &o))
}

//! A DocumentReference from another system: when it has no `date` (when the reference was
//! made), the document's date is its attachment's `creation` (when the document itself was
//! made), as the discharge flow reads it. Export writes the MODS date at `date` only.

use crate::convert::{self, In, Problem, Refs};
use crate::mapping::Conv;
use crate::path::Consumed;
use serde_json::Value;
use std::collections::BTreeMap;

const CREATION: &str = "/content/0/attachment/creation";

/// Give the Document read from `res` the attachment's creation as its `date` when it has none.
pub(crate) fn date_from_attachment(
    res: &Value,
    inst: &mut Value,
    refs: &dyn Refs,
    consumed: &mut Consumed,
    problems: &mut Vec<Problem>,
) {
    let Some(o) = inst.as_object_mut() else {
        return;
    };
    if o.contains_key("date") {
        return;
    }
    let (Some(node), Some(el)) = (
        res.pointer(CREATION),
        crate::derived::element("document", "date"),
    ) else {
        return;
    };
    let mut cx = In {
        el,
        refs,
        consumed,
        problems,
    };
    if let Some(v) = convert::import(
        Conv::DateTime,
        node,
        CREATION,
        res,
        &BTreeMap::new(),
        &mut cx,
    ) {
        o.insert("date".into(), v);
    }
}

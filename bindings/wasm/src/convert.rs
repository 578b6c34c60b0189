//! JavaScript values in and out: documents (`Uint8Array`, string or plain object), options
//! objects, results, and errors as JS `Error`s carrying the layer's code and details.

use js_sys::{Array, JsString, Object, Reflect, Uint8Array};
use serde::Serialize;
use serde_json::{Map, Number, Value};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen]
extern "C" {
    /// An `ArrayBuffer`, for [`Buffer::slice`].
    #[wasm_bindgen(js_name = ArrayBuffer)]
    type Buffer;
    /// `ArrayBuffer.prototype.slice`, whose exception (a detached buffer) is returned.
    #[wasm_bindgen(method, catch)]
    fn slice(this: &Buffer, begin: u32) -> Result<JsValue, JsValue>;
}

/// A document handed in from JavaScript.
pub enum Doc {
    /// JSON as UTF-8 bytes (a `Uint8Array`, or a string encoded).
    Json(Vec<u8>),
    /// A plain object or array, converted.
    Value(Value),
}

impl Doc {
    /// As the layer's input.
    pub fn input(&self) -> mods_api::Input<'_> {
        match self {
            Doc::Json(b) => mods_api::Input::Json(b),
            Doc::Value(v) => mods_api::Input::Value(v),
        }
    }
}

/// The deepest nesting of an object converted from JavaScript: the core's default depth
/// limit, which a record never comes near; deeper is refused (and so is a cycle).
const MAX_DEPTH: usize = 64;

/// A `TypeError` with a `code` of `invalid-value`: a JS value that is not JSON. `what`
/// names the argument; `at` is a JSON pointer into it. The value itself is never quoted.
fn type_error(what: &str, at: &str, why: &str) -> JsValue {
    let place = if at.is_empty() {
        what.to_owned()
    } else {
        format!("{what} at {at}")
    };
    let e = js_sys::TypeError::new(&format!("{place}: {why}"));
    let _ = Reflect::set(&e, &"code".into(), &"invalid-value".into());
    let _ = Reflect::set(&e, &"pointer".into(), &at.into());
    e.into()
}

/// A document: a `Uint8Array` (UTF-8 JSON, read by the core's strict reader), a string
/// (JSON text; a lone surrogate is refused, as it has no UTF-8 form) or a plain object or
/// array.
pub fn doc(v: &JsValue, what: &str) -> Result<Doc, JsValue> {
    if let Some(bytes) = v.dyn_ref::<Uint8Array>() {
        if bytes.byte_length() == 0 {
            // copying out of a detached (transferred) buffer throws: say so plainly
            // (`ArrayBuffer.prototype.detached` is too new for Node 20; slicing a detached
            // buffer throws everywhere)
            let detached = bytes.buffer().unchecked_into::<Buffer>().slice(0).is_err();
            if detached {
                return Err(type_error(
                    what,
                    "",
                    "the Uint8Array's buffer is detached (it was transferred)",
                ));
            }
            return Ok(Doc::Json(Vec::new()));
        }
        return Ok(Doc::Json(bytes.to_vec()));
    }
    if let Some(s) = v.dyn_ref::<JsString>() {
        return Ok(Doc::Json(text(s, what, "")?.into_bytes()));
    }
    if v.is_object() {
        return Ok(Doc::Value(value(v, what)?));
    }
    Err(type_error(
        what,
        "",
        "must be a Uint8Array of JSON, a JSON string or a plain object",
    ))
}

/// A JS string as Rust text, refusing lone surrogates (which `TextEncoder` would silently
/// replace with U+FFFD, changing the document).
fn text(s: &JsString, what: &str, at: &str) -> Result<String, JsValue> {
    if !s.is_valid_utf16() {
        return Err(type_error(
            what,
            at,
            "the string holds a lone surrogate (not valid Unicode)",
        ));
    }
    Ok(String::from(s))
}

/// A JS value as JSON (`null` and `undefined` as `null` at the top).
pub fn value(v: &JsValue, what: &str) -> Result<Value, JsValue> {
    if v.is_undefined() {
        return Ok(Value::Null);
    }
    let mut stack = Vec::new();
    let mut at = String::new();
    walk(v, what, &mut at, &mut stack)
}

/// An optional argument as JSON: `undefined` and `null` are `None`.
pub fn optional(v: &JsValue, what: &str) -> Result<Option<Value>, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    value(v, what).map(Some)
}

fn walk(
    v: &JsValue,
    what: &str,
    at: &mut String,
    stack: &mut Vec<Object>,
) -> Result<Value, JsValue> {
    if v.is_null() {
        return Ok(Value::Null);
    }
    if let Some(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(n) = v.as_f64() {
        return number(n).ok_or_else(|| type_error(what, at, "NaN and Infinity are not JSON"));
    }
    if let Some(s) = v.dyn_ref::<JsString>() {
        return text(s, what, at).map(Value::String);
    }
    if v.is_undefined() {
        return Err(type_error(what, at, "undefined is not a JSON value"));
    }
    if v.is_bigint() {
        return Err(type_error(
            what,
            at,
            "a BigInt is not a JSON value (use a number or a string)",
        ));
    }
    let Some(obj) = v.dyn_ref::<Object>().filter(|_| v.is_object()) else {
        return Err(type_error(
            what,
            at,
            "a function or symbol is not a JSON value",
        ));
    };
    if stack.iter().any(|o| Object::is(o, obj)) {
        return Err(type_error(
            what,
            at,
            "the object refers to itself (a cycle)",
        ));
    }
    if stack.len() >= MAX_DEPTH {
        return Err(type_error(what, at, "nested more than 64 levels deep"));
    }
    stack.push(obj.clone());
    let out = if Array::is_array(v) {
        let arr: &Array = v.unchecked_ref();
        let mut items = Vec::with_capacity(arr.length() as usize);
        for (i, item) in arr.iter().enumerate() {
            let len = at.len();
            at.push_str(&format!("/{i}"));
            items.push(walk(&item, what, at, stack)?);
            at.truncate(len);
        }
        Value::Array(items)
    } else {
        let proto = Object::get_prototype_of(v);
        if !(proto.is_null() || Object::is(&proto, &Object::get_prototype_of(&Object::new()))) {
            return Err(type_error(
                what,
                at,
                "only plain objects and arrays are JSON (not a Map, Date, class instance or typed array)",
            ));
        }
        let mut map = Map::new();
        for entry in Object::entries(obj).iter() {
            let pair: &Array = entry.unchecked_ref();
            let key = pair.get(0);
            let key = text(key.unchecked_ref(), what, at)?;
            let len = at.len();
            at.push('/');
            at.push_str(&key.replace('~', "~0").replace('/', "~1"));
            if matches!(key.as_str(), "__proto__" | "constructor" | "prototype") {
                return Err(type_error(
                    what,
                    at,
                    "keys __proto__, constructor and prototype are refused (prototype pollution)",
                ));
            }
            let item = walk(&pair.get(1), what, at, stack)?;
            at.truncate(len);
            map.insert(key, item);
        }
        Value::Object(map)
    };
    stack.pop();
    Ok(out)
}

/// A JS number as JSON: whole numbers within 2^53 as integers (as `JSON.parse` gives them).
fn number(n: f64) -> Option<Value> {
    if !n.is_finite() {
        return None;
    }
    if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 {
        return Some(Value::Number(Number::from(n as i64)));
    }
    Number::from_f64(n).map(Value::Number)
}

/// Options of type `T` from a JS object, names in camelCase as in the Node package
/// (`includeValues`, `limits.maxDepth`; `undefined` or `null`: the defaults).
pub fn options<T: mods_api::FromJson>(v: &JsValue) -> Result<T, JsValue> {
    match optional(v, "options")? {
        None => Ok(T::default()),
        Some(v) => T::from_camel_value(&v).map_err(|e| error(&e)),
    }
}

/// A result as a plain JS value (objects, not `Map`s).
pub fn out<T: Serialize>(r: Result<T, mods_api::Error>) -> Result<JsValue, JsValue> {
    let v = r.map_err(|e| error(&e))?;
    to_js(&v)
}

/// A serialisable value as a plain JS value.
pub fn to_js<T: Serialize + ?Sized>(v: &T) -> Result<JsValue, JsValue> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| {
            js_sys::Error::new(&format!(
                "internal error: a result could not be converted ({e})"
            ))
            .into()
        })
}

/// The layer's error as a JS `Error` named `ModsError` with `code`, and the details of its
/// kind (`pointer`, `option`, `class`...) as properties.
pub fn error(e: &mods_api::Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("ModsError");
    if let Ok(details) = to_js(e) {
        let target: &Object = err.unchecked_ref();
        let source: &Object = details.unchecked_ref();
        let _ = Object::assign(target, source);
    }
    err.into()
}

/// The `ModsValidationError` `check` throws: the report's issues as `.issues`, the report
/// as `.report`, a message that counts the errors (and quotes no data).
pub fn validation_error(report: &mods_api::Report) -> JsValue {
    let errors = report.errors().count();
    let first = report
        .errors()
        .next()
        .map(|i| {
            format!(
                ": first {} at {}",
                i.code,
                if i.pointer.is_empty() {
                    "/"
                } else {
                    &i.pointer
                }
            )
        })
        .unwrap_or_default();
    let err = js_sys::Error::new(&format!(
        "the document is not valid MODS ({errors} error(s){first})"
    ));
    err.set_name("ModsValidationError");
    let _ = Reflect::set(&err, &"code".into(), &"invalid-document".into());
    if let Ok(r) = to_js(report) {
        let _ = Reflect::set(&err, &"report".into(), &r);
        if let Ok(issues) = Reflect::get(&r, &"issues".into()) {
            let _ = Reflect::set(&err, &"issues".into(), &issues);
        }
    }
    err.into()
}

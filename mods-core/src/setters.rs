//! The builder methods of the option structs.
//!
//! Every option struct of the published crates is `#[non_exhaustive]`, so that a new option
//! is not a breaking change; code outside the crate builds one from `Default::default()` (or
//! the struct's `new`) and its `with_*` methods, one per field. This macro writes those
//! methods, with the same documentation everywhere; it is exported (hidden) for the other
//! crates of the workspace and is not part of the public API.

/// Write `with_*` builder methods for fields of an options struct:
///
/// ```ignore
/// mods_core::__option_setters!(Options {
///     with_strict(strict: bool);          // self.strict = value
///     with_name(name: String);            // takes impl Into<String>
///     with_today(today: Option<String>);  // takes impl Into<String>, stores Some
///     with_day(day: Option<NaiveDate>);   // takes NaiveDate, stores Some
/// });
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! __option_setters {
    ($ty:ty { $($body:tt)* }) => {
        impl $ty {
            $crate::__option_setters!(@ $($body)*);
        }
    };
    (@) => {};
    (@ $name:ident($field:ident: Option<String>); $($rest:tt)*) => {
        #[doc = concat!("Set [`", stringify!($field), "`](Self::", stringify!($field),
            ") to `Some(value)` (builder style; see the struct).")]
        #[must_use]
        pub fn $name(mut self, value: impl Into<String>) -> Self {
            self.$field = Some(value.into());
            self
        }
        $crate::__option_setters!(@ $($rest)*);
    };
    (@ $name:ident($field:ident: String); $($rest:tt)*) => {
        #[doc = concat!("Set [`", stringify!($field), "`](Self::", stringify!($field),
            ") (builder style; see the struct).")]
        #[must_use]
        pub fn $name(mut self, value: impl Into<String>) -> Self {
            self.$field = value.into();
            self
        }
        $crate::__option_setters!(@ $($rest)*);
    };
    (@ $name:ident($field:ident: Option<$t:ty>); $($rest:tt)*) => {
        #[doc = concat!("Set [`", stringify!($field), "`](Self::", stringify!($field),
            ") to `Some(value)` (builder style; see the struct).")]
        #[must_use]
        pub fn $name(mut self, value: $t) -> Self {
            self.$field = Some(value);
            self
        }
        $crate::__option_setters!(@ $($rest)*);
    };
    (@ $name:ident($field:ident: $t:ty); $($rest:tt)*) => {
        #[doc = concat!("Set [`", stringify!($field), "`](Self::", stringify!($field),
            ") (builder style; see the struct).")]
        #[must_use]
        pub fn $name(mut self, value: $t) -> Self {
            self.$field = value;
            self
        }
        $crate::__option_setters!(@ $($rest)*);
    };
}

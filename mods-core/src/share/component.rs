//! The named components of a record (About Me, Needs, Care plan, ...), read from
//! `mods-core/share/components.toml`.

use serde::{Deserialize, Serialize};

const DATA: &str = include_str!("../../share/components.toml");

/// A named part of a record that can be extracted on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// Its id (`medication`), as `--component` takes it.
    pub id: String,
    /// Its title (`Medication`).
    pub title: String,
    /// What it holds, in a sentence.
    pub description: String,
    /// The record classes it is made of.
    pub classes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    component: Vec<Component>,
}

/// Every component, in listing order.
pub fn components() -> Vec<Component> {
    toml::from_str::<File>(DATA)
        .expect("mods-core/share/components.toml reads")
        .component
}

/// The component with this id.
pub fn component(id: &str) -> Option<Component> {
    components().into_iter().find(|c| c.id == id)
}

//! A JSON tree that keeps the order of object members.
//!
//! The invalid and scaled copies are made by editing a record and writing it back. Written
//! from `serde_json::Value` (whose objects are sorted maps in this workspace) the members
//! would come out in alphabetical order, `mods_version` after the collections: an input an
//! engine that reads in one pass would see in an order no real record has. This tree keeps
//! the order it read, so a copy differs from its original only where it was edited.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One JSON value; objects keep their members in the order read (or inserted).
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as serde_json read it.
    Number(serde_json::Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Node>),
    /// An object: members in order.
    Object(Vec<(String, Node)>),
}

impl Node {
    /// Read a JSON document.
    pub fn parse(bytes: &[u8]) -> Result<Node, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    /// Write it as JSON indented by two spaces, as the example records are.
    pub fn to_pretty(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).unwrap_or_default();
        out.push(b'\n');
        out
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The member `key` of an object, to change.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match self {
            Node::Object(members) => members.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Item `i` of an array, to change.
    pub fn item_mut(&mut self, i: usize) -> Option<&mut Node> {
        match self {
            Node::Array(items) => items.get_mut(i),
            _ => None,
        }
    }

    /// Set the member `key` of an object: in place when it exists, else at the end.
    /// Returns false when this is not an object.
    pub fn set(&mut self, key: &str, value: Node) -> bool {
        let Node::Object(members) = self else {
            return false;
        };
        match members.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value,
            None => members.push((key.to_owned(), value)),
        }
        true
    }

    /// Remove the member `key` of an object; whether it was there.
    pub fn remove(&mut self, key: &str) -> bool {
        let Node::Object(members) = self else {
            return false;
        };
        let before = members.len();
        members.retain(|(k, _)| k != key);
        members.len() != before
    }

    /// The string, when this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::String(s) => Some(s),
            _ => None,
        }
    }

    /// A string node.
    pub fn str(s: &str) -> Node {
        Node::String(s.to_owned())
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => s.serialize_unit(),
            Node::Bool(b) => s.serialize_bool(*b),
            Node::Number(n) => n.serialize(s),
            Node::String(v) => s.serialize_str(v),
            Node::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Object(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        serde_json::Number::from_f64(v)
            .map(Node::Number)
            .ok_or_else(|| E::custom("a number JSON cannot hold"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::str(v))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut members = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Node>()? {
            members.push((k, v));
        }
        Ok(Node::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_member_order_and_round_trips() {
        let text = br#"{"z": 1, "a": [true, null, "s", 2.5], "m": {"y": {}, "b": []}}"#;
        let node = Node::parse(text).unwrap();
        let Node::Object(members) = &node else {
            panic!("an object")
        };
        let keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["z", "a", "m"]);
        let again = Node::parse(&node.to_pretty()).unwrap();
        assert_eq!(again, node);
        let compact = serde_json::to_string(&node).unwrap();
        assert_eq!(
            compact,
            r#"{"z":1,"a":[true,null,"s",2.5],"m":{"y":{},"b":[]}}"#
        );
    }

    #[test]
    fn set_replaces_in_place_or_appends_and_remove_removes() {
        let mut node = Node::parse(br#"{"a": 1, "b": 2}"#).unwrap();
        assert!(node.set("a", Node::str("x")));
        assert!(node.set("c", Node::Null));
        assert!(node.remove("b"));
        assert!(!node.remove("b"));
        assert_eq!(
            serde_json::to_string(&node).unwrap(),
            r#"{"a":"x","c":null}"#
        );
        assert!(!Node::Null.set("a", Node::Null));
    }
}

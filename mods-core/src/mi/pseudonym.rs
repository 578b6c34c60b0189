//! Pseudonymised person ids: keyed HMAC-SHA256 of what identifies the person, with a key
//! only the caller holds. The same key gives the same id for the same person in every
//! extract (so extracts can be linked by whoever is allowed to); without the key the id
//! cannot be recomputed from an NHS number. The key is never stored, shown or logged.

use super::MiError;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The shortest key accepted: 32 bytes, the output size of SHA-256 (RFC 2104 advises a
/// key no shorter than the hash's output).
pub const MIN_KEY_BYTES: usize = 32;

/// A key for pseudonyms ([`Key::pseudonym`]). Its `Debug` does not show it.
#[derive(Clone)]
pub struct Key(Vec<u8>);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(..)")
    }
}

impl Key {
    /// A key from its bytes, a line ending at the end taken off (so a key written with
    /// `echo` works).
    ///
    /// Errors: [`MiError::MissingKey`] when empty; [`MiError::ShortKey`] when shorter
    /// than [`MIN_KEY_BYTES`].
    pub fn new(bytes: &[u8]) -> Result<Key, MiError> {
        let mut b = bytes;
        while let Some((last, rest)) = b.split_last() {
            if *last == b'\n' || *last == b'\r' {
                b = rest;
            } else {
                break;
            }
        }
        if b.is_empty() {
            return Err(MiError::MissingKey);
        }
        if b.len() < MIN_KEY_BYTES {
            return Err(MiError::ShortKey { bytes: b.len() });
        }
        Ok(Key(b.to_vec()))
    }

    /// The pseudonym of a person key: 64 lower-case hex digits.
    pub fn pseudonym(&self, person: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(person.as_bytes());
        let out = mac.finalize().into_bytes();
        out.iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_keyed_hmac_sha256() {
        // computed independently: python3 -c "import hmac, hashlib;
        // print(hmac.new(bytes([11] * 32), b'Hi There', hashlib.sha256).hexdigest())"
        let k = Key::new(&[0x0b; 32]).unwrap();
        assert_eq!(
            k.pseudonym("Hi There"),
            "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7"
        );
        let other = Key::new(&[0x0c; 32]).unwrap();
        assert_ne!(k.pseudonym("nhs:1"), other.pseudonym("nhs:1"));
        assert_eq!(k.pseudonym("nhs:1"), k.pseudonym("nhs:1"));
        assert!(matches!(Key::new(b"\n"), Err(MiError::MissingKey)));
        assert!(matches!(
            Key::new(b"short\n"),
            Err(MiError::ShortKey { bytes: 5 })
        ));
        assert_eq!(format!("{k:?}"), "Key(..)");
    }
}

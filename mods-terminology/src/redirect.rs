//! Redirect handling: origins, `Location` resolution and the follow/refuse decision.
//!
//! The client follows redirects itself (the HTTP agent follows none) so that it can refuse a
//! redirect to another origin and decide, hop by hop, whether the bearer token may be sent.

use crate::ClientError;
use std::fmt;

/// Most redirects followed for one request before giving up.
pub const MAX_REDIRECTS: usize = 5;

/// The origin of an `http(s)` URL: scheme, host (lower case) and port (the scheme's default
/// when the URL names none), as in RFC 6454.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origin {
    scheme: &'static str,
    host: String,
    port: u16,
}

impl Origin {
    /// The origin of an absolute `http://` or `https://` URL, or `None` for anything else
    /// (another scheme, no host, a port that is not a number).
    pub(crate) fn of(url: &str) -> Option<Origin> {
        let (scheme, rest) = split_scheme(url)?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        // Drop any user information: it is not part of the origin.
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
            let (inside, after) = v6.split_once(']')?;
            let host = format!("[{}]", inside.to_ascii_lowercase());
            match after {
                "" => (host, None),
                p => (host, Some(p.strip_prefix(':')?)),
            }
        } else {
            match host_port.split_once(':') {
                Some((h, p)) => (h.to_ascii_lowercase(), Some(p)),
                None => (host_port.to_ascii_lowercase(), None),
            }
        };
        if host.is_empty() {
            return None;
        }
        let default_port = if scheme == "https" { 443 } else { 80 };
        let port = match port {
            None | Some("") => default_port,
            Some(p) if p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok()?,
            Some(_) => return None,
        };
        Some(Origin { scheme, host, port })
    }

    /// `scheme://host:port` for a message, or `None` when the host is not a plain name or
    /// address (letters, digits, `-`, `.`, `:`, brackets; at most 253 characters) or contains
    /// one of `sent` (ignoring case; values shorter than two characters are not looked for).
    /// A hostile server chooses its redirect target after seeing the request, so a host
    /// can echo the code back.
    pub(crate) fn shown(&self, sent: &[&str]) -> Option<String> {
        let plain = self.host.len() <= 253
            && self
                .host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
        let echoes = sent
            .iter()
            .map(|v| v.trim().to_ascii_lowercase())
            .any(|v| v.len() >= 2 && self.host.contains(&v));
        (plain && !echoes).then(|| self.to_string())
    }

    /// Whether this origin uses TLS.
    pub(crate) fn is_https(&self) -> bool {
        self.scheme == "https"
    }
}

impl fmt::Display for Origin {
    /// `scheme://host:port`: no path, no query, no user information, so it never carries a
    /// code or a credential.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}:{}", self.scheme, self.host, self.port)
    }
}

/// Whether a redirect from `current` to `next` may be followed by a client for `base`:
/// within `base` always; to another origin only when `allow_cross_origin`, and never from
/// `https` down to `http`. `sent` are the values of the request's query (the code among
/// them): a refusal names the target origin only when its host holds none of them.
pub(crate) fn check(
    base: &Origin,
    current: &Origin,
    next: &Origin,
    allow_cross_origin: bool,
    sent: &[&str],
) -> Result<(), ClientError> {
    if next != base && !allow_cross_origin {
        return Err(ClientError::CrossOriginRedirect {
            to: next.shown(sent),
        });
    }
    if current.is_https() && !next.is_https() {
        return Err(ClientError::InsecureRedirect);
    }
    Ok(())
}

/// `("http" | "https", rest after "://")`, scheme matched without regard to case.
fn split_scheme(url: &str) -> Option<(&'static str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme.eq_ignore_ascii_case("https") {
        Some(("https", rest))
    } else if scheme.eq_ignore_ascii_case("http") {
        Some(("http", rest))
    } else {
        None
    }
}

/// The absolute URL a `Location` header value points to, resolved against the URL of the
/// request that was redirected (RFC 3986 section 5.2, fragments dropped). `None` when the
/// target is not an `http(s)` URL or `Location` is empty.
pub(crate) fn resolve(current: &str, location: &str) -> Option<String> {
    let location = location.trim();
    let location = location.split('#').next().unwrap_or_default();
    if location.is_empty() {
        return None;
    }
    if has_scheme(location) {
        return split_scheme(location).map(|_| location.to_owned());
    }
    let (scheme, rest) = split_scheme(current)?;
    if let Some(net_path) = location.strip_prefix("//") {
        return Some(format!("{scheme}://{net_path}"));
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let current_path = rest[authority_end..]
        .split(['?', '#'])
        .next()
        .unwrap_or_default();
    let (path, query) = match location.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (location, None),
    };
    let merged = if path.is_empty() {
        // Only a query: keep the current path.
        current_path.to_owned()
    } else if path.starts_with('/') {
        path.to_owned()
    } else {
        let dir = current_path.rsplit_once('/').map_or("", |(d, _)| d);
        format!("{dir}/{path}")
    };
    let mut out = format!("{scheme}://{authority}{}", remove_dot_segments(&merged));
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    Some(out)
}

/// Whether a reference starts with a URI scheme (`ALPHA *(ALPHA / DIGIT / + / - / .) ":"`).
fn has_scheme(reference: &str) -> bool {
    let Some(colon) = reference.find(':') else {
        return false;
    };
    let scheme = &reference[..colon];
    let mut bytes = scheme.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// `/a/b/../c/./d` → `/a/c/d` (RFC 3986 section 5.2.4, on an absolute path).
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        let o = |u| Origin::of(u).map(|o| o.to_string());
        assert_eq!(
            o("http://127.0.0.1:8080/fhir").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(
            o("HTTPS://Tx.Example.org/fhir?x=1").as_deref(),
            Some("https://tx.example.org:443")
        );
        assert_eq!(
            o("http://user:secret@host/x").as_deref(),
            Some("http://host:80")
        );
        assert_eq!(o("http://[::1]:81/x").as_deref(), Some("http://[::1]:81"));
        assert_eq!(o("http://[::1]/x").as_deref(), Some("http://[::1]:80"));
        assert_eq!(o("ftp://host/x"), None);
        assert_eq!(o("http:///x"), None);
        assert_eq!(o("http://host:8o/x"), None);
        assert_eq!(o("http://host:99999/x"), None);
        assert_eq!(Origin::of("http://h/a"), Origin::of("http://H:80/b?c"));
        assert_ne!(Origin::of("http://h/a"), Origin::of("https://h/a"));
        assert_ne!(Origin::of("http://h:81/a"), Origin::of("http://h:82/a"));
    }

    #[test]
    fn decisions() {
        let o = |u| Origin::of(u).expect("origin");
        let base = o("https://tx.example.org/fhir");
        let same = o("https://TX.example.org:443/other");
        let port = o("https://tx.example.org:8443/fhir");
        let host = o("https://evil.example.net/fhir");
        let plain = o("http://tx.example.org/fhir");
        let sent = ["http://snomed.info/sct", "73211009"];
        assert_eq!(check(&base, &base, &same, false, &sent), Ok(()));
        for other in [&port, &host, &plain] {
            assert!(matches!(
                check(&base, &base, other, false, &sent),
                Err(ClientError::CrossOriginRedirect { to: Some(_) })
            ));
        }
        assert_eq!(check(&base, &base, &port, true, &sent), Ok(()));
        assert_eq!(check(&base, &base, &host, true, &sent), Ok(()));
        // A downgrade is refused even when cross-origin redirects are allowed.
        assert_eq!(
            check(&base, &base, &plain, true, &sent),
            Err(ClientError::InsecureRedirect)
        );
        assert_eq!(
            check(&base, &host, &plain, true, &sent),
            Err(ClientError::InsecureRedirect)
        );
        // An upgrade to https is a cross-origin redirect like any other.
        assert_eq!(check(&plain, &plain, &base, true, &sent), Ok(()));
        assert_eq!(
            check(&plain, &plain, &base, false, &sent),
            Err(ClientError::CrossOriginRedirect {
                to: Some("https://tx.example.org:443".into())
            })
        );
        // A host that repeats a value of the request is not shown.
        let echo = o("https://73211009.evil.example.net/fhir");
        assert_eq!(
            check(&base, &base, &echo, false, &sent),
            Err(ClientError::CrossOriginRedirect { to: None })
        );
    }

    #[test]
    fn shown_origins() {
        let o = |u| Origin::of(u).expect("origin");
        assert_eq!(
            o("http://127.0.0.1:81/x").shown(&["Q7X9LEAK"]).as_deref(),
            Some("http://127.0.0.1:81")
        );
        assert_eq!(o("http://q7x9leak.example/x").shown(&["Q7X9LEAK"]), None);
        assert_eq!(o("http://a b/x").shown(&[]), None);
        assert_eq!(o("http://host%41/x").shown(&[]), None);
        // One-character values (ethnic category "A") are not looked for.
        assert!(o("http://a.example/x").shown(&["A"]).is_some());
        assert!(o("http://[::1]:8080/x").shown(&[]).is_some());
    }

    #[test]
    fn resolution() {
        let base = "http://h:1/fhir/CodeSystem/$lookup?system=s&code=c";
        let r = |l| resolve(base, l);
        assert_eq!(
            r("http://other:2/x?y").as_deref(),
            Some("http://other:2/x?y")
        );
        assert_eq!(r("//other/x").as_deref(), Some("http://other/x"));
        assert_eq!(
            r("/v2/CodeSystem/$lookup?a=b").as_deref(),
            Some("http://h:1/v2/CodeSystem/$lookup?a=b")
        );
        assert_eq!(
            r("$lookup2?a").as_deref(),
            Some("http://h:1/fhir/CodeSystem/$lookup2?a")
        );
        assert_eq!(
            r("../ValueSet/x").as_deref(),
            Some("http://h:1/fhir/ValueSet/x")
        );
        assert_eq!(
            r("?q=1").as_deref(),
            Some("http://h:1/fhir/CodeSystem/$lookup?q=1")
        );
        assert_eq!(r("/a#frag").as_deref(), Some("http://h:1/a"));
        assert_eq!(r("../../../../x").as_deref(), Some("http://h:1/x"));
        assert_eq!(r("ftp://elsewhere/x"), None);
        assert_eq!(r("javascript:alert(1)"), None);
        assert_eq!(r("   "), None);
    }
}

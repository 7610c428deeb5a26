//! Errors of instantiation: what is wrong, where (a JSON pointer), and the
//! offending value, truncated.

use std::fmt;

use crate::value::Segment;

/// The longest offending value an error quotes, in characters.
pub const MAX_QUOTED: usize = 200;

/// Why a snapshot was refused, and where.
///
/// ```
/// use sapwood::tree::{ErrorKind, Model};
///
/// #[derive(Model, Debug)]
/// struct Point { x: f64, y: f64 }
///
/// let err = Point::from_json_str(r#"{"x": 1, "y": "up"}"#).unwrap_err();
/// assert_eq!(err.path(), "/y");
/// assert!(matches!(err.kind(), ErrorKind::WrongType { .. }));
/// assert_eq!(err.to_string(), r#"at /y: expected number, found "up""#);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    path: String,
    kind: ErrorKind,
    position: Option<(usize, usize)>,
}

/// What is wrong with a snapshot.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not JSON.
    Syntax {
        /// The parser's message.
        message: String,
    },
    /// A value of the wrong JSON type.
    WrongType {
        /// What the model expects (`string`, `integer`, `Car`, `array of Part`).
        expected: String,
        /// The offending value as JSON, truncated to [`MAX_QUOTED`] characters.
        found: String,
    },
    /// A value of the right JSON type that the model does not accept (an
    /// integer out of range, a string that is not one of an enumeration's).
    InvalidValue {
        /// What the model accepts.
        expected: String,
        /// The offending value as JSON, truncated.
        found: String,
    },
    /// A required field is absent.
    MissingField {
        /// The model.
        model: &'static str,
        /// The field's snapshot key.
        field: &'static str,
    },
    /// A union's tag names none of its variants.
    UnknownTag {
        /// The union.
        union: &'static str,
        /// The tag field's key.
        tag_field: &'static str,
        /// The offending tag as JSON, truncated.
        found: String,
        /// The tags the union knows.
        expected: &'static [&'static str],
    },
    /// The same key twice in one JSON object.
    DuplicateKey {
        /// The key, truncated.
        key: String,
    },
    /// Two models of the same type with the same identifier in one tree.
    DuplicateIdentifier {
        /// The model type.
        model: &'static str,
        /// The identifier, truncated.
        id: String,
    },
    /// A required reference names no model of its type in the tree.
    DanglingReference {
        /// The referenced model type.
        model: &'static str,
        /// The identifier, truncated.
        id: String,
    },
    /// Nesting deeper than the limit (128 objects and arrays).
    TooDeep {
        /// The limit.
        limit: usize,
    },
}

impl Error {
    pub(crate) fn new(path: String, kind: ErrorKind, position: Option<(usize, usize)>) -> Self {
        Error {
            path,
            kind,
            position,
        }
    }

    /// Where: a JSON pointer (RFC 6901) from the snapshot's root, `""` for the
    /// root itself.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Line and column in the JSON text (1-based), when built from text.
    pub fn position(&self) -> Option<(usize, usize)> {
        self.position
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "at the root: {}", self.kind)?;
        } else {
            write!(f, "at {}: {}", self.path, self.kind)?;
        }
        if let (ErrorKind::Syntax { .. }, Some((line, column))) = (&self.kind, self.position) {
            write!(f, " (line {line}, column {column})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Syntax { message } => write!(f, "invalid JSON: {message}"),
            ErrorKind::WrongType { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            ErrorKind::InvalidValue { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            ErrorKind::MissingField { model, field } => {
                write!(f, "missing field \"{field}\" of {model}")
            }
            ErrorKind::UnknownTag {
                union,
                tag_field,
                found,
                expected,
            } => {
                write!(
                    f,
                    "unknown \"{tag_field}\" {found} for {union} (expected one of "
                )?;
                for (i, t) in expected.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "\"{t}\"")?;
                }
                f.write_str(")")
            }
            ErrorKind::DuplicateKey { key } => write!(f, "duplicate key \"{key}\""),
            ErrorKind::DuplicateIdentifier { model, id } => {
                write!(f, "duplicate identifier \"{id}\": another {model} has it")
            }
            ErrorKind::DanglingReference { model, id } => {
                write!(f, "dangling reference: no {model} with identifier \"{id}\"")
            }
            ErrorKind::TooDeep { limit } => {
                write!(f, "nested deeper than {limit} objects and arrays")
            }
        }
    }
}

/// `s`, cut to at most [`MAX_QUOTED`] characters (with `…` when cut).
pub(crate) fn truncate(s: &str) -> String {
    match s.char_indices().nth(MAX_QUOTED) {
        None => s.to_string(),
        Some((i, _)) => format!("{}…", &s[..i]),
    }
}

/// A JSON value as JSON text, truncated.
pub(crate) fn quote_value(v: &serde_json::Value) -> String {
    truncate(&v.to_string())
}

/// A string as a JSON string literal, truncated.
pub(crate) fn quote_str(s: &str) -> String {
    let cut = truncate(s);
    serde_json::Value::String(cut).to_string()
}

/// An owned path segment, collected while an error unwinds.
#[derive(Debug, Clone)]
pub(crate) enum OwnedSegment {
    Field(&'static str),
    Key(String),
    Index(usize),
}

impl From<Segment<'_>> for OwnedSegment {
    fn from(s: Segment<'_>) -> Self {
        match s {
            Segment::Field(f) => OwnedSegment::Field(f),
            Segment::Key(k) => OwnedSegment::Key(k.to_string()),
            Segment::Index(i) => OwnedSegment::Index(i),
        }
    }
}

/// Appends one RFC 6901 reference token (`~` and `/` escaped).
pub(crate) fn push_token(out: &mut String, token: &str) {
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// A JSON pointer from segments in root-to-leaf order.
pub(crate) fn pointer<'a>(segments: impl Iterator<Item = &'a OwnedSegment>) -> String {
    let mut out = String::new();
    for s in segments {
        match s {
            OwnedSegment::Field(f) => push_token(&mut out, f),
            OwnedSegment::Key(k) => push_token(&mut out, k),
            OwnedSegment::Index(i) => {
                out.push('/');
                out.push_str(itoa::Buffer::new().format(*i));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_tilde_and_slash() {
        let segs = [
            OwnedSegment::Field("cars"),
            OwnedSegment::Key("a/b~c".into()),
            OwnedSegment::Index(3),
        ];
        assert_eq!(pointer(segs.iter()), "/cars/a~1b~0c/3");
    }

    #[test]
    fn long_values_are_cut() {
        let long = "x".repeat(1000);
        let q = quote_str(&long);
        assert_eq!(q.chars().count(), MAX_QUOTED + 3); // two quotes and the ellipsis
        assert!(q.ends_with("…\""));
        assert_eq!(quote_str("ab\"c"), r#""ab\"c""#);
    }
}

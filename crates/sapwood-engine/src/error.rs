//! The engine's error type.

use std::fmt;
use std::panic::Location;

use crate::site::describe;

/// What kind of node a handle refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// A [`Signal`](crate::Signal).
    Signal,
    /// A [`Computed`](crate::Computed).
    Computed,
    /// An [`Effect`](crate::Effect).
    Effect,
    /// A [`Scope`](crate::Scope).
    Scope,
}

/// Why a read could not be served. The `try_*` methods return it; their
/// panicking counterparts panic with its message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The node was disposed (directly, or with the scope or effect that owned it).
    Disposed {
        /// The kind of the handle.
        kind: NodeKind,
        /// The value type, e.g. `i64` (empty for effects and scopes).
        type_name: &'static str,
        /// Where the node was created.
        created_at: &'static Location<'static>,
    },
    /// The handle outlived its thread's runtime: it was used from a
    /// thread-local destructor that ran, at thread exit, after the runtime's
    /// own (which disposed every node). Nothing about the node is left to
    /// report but what the handle knows.
    RuntimeGone {
        /// The kind of the handle.
        kind: NodeKind,
        /// The value type, e.g. `i64`.
        type_name: &'static str,
    },
    /// A computed's value depends on itself: it was read while it was being computed.
    Cycle {
        /// The computed's value type.
        type_name: &'static str,
        /// Where the computed was created.
        created_at: &'static Location<'static>,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Disposed {
                kind,
                type_name,
                created_at,
            } => write!(
                f,
                "{} created at {created_at} was used after it was disposed",
                describe(*kind, type_name)
            ),
            Error::RuntimeGone { kind, type_name } => write!(
                f,
                "{} was used after this thread's reactive runtime was torn down (the thread \
                 is exiting, and a thread-local destructor that ran after the runtime's used \
                 the handle)",
                describe(*kind, type_name)
            ),
            Error::Cycle {
                type_name,
                created_at,
            } => write!(
                f,
                "cycle detected: {} created at {created_at} was read while it was being computed \
                 (its value depends on itself)",
                describe(NodeKind::Computed, type_name)
            ),
        }
    }
}

impl std::error::Error for Error {}

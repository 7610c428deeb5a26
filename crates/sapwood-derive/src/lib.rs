//! `#[derive(Model)]`: state-tree models for Sapwood.
//!
//! Use it through the `sapwood` crate (`sapwood::tree::Model`); the
//! generated code refers to `::sapwood::tree`, or to the path given by
//! `#[model(crate = "...")]`.
//!
//! - On a struct with named fields: a model (see `sapwood::tree`).
//! - On an enum of unit variants: an enumeration (its snapshot is a string).
//! - On an enum whose variants each hold one model, with
//!   `#[model(tag = "field")]`: a union told apart by that field.
//!
//! Attributes, on the container: `rename_all = "camelCase"` (or
//! `snake_case`, `lowercase`, `UPPERCASE`, `PascalCase`,
//! `SCREAMING_SNAKE_CASE`, `kebab-case`), `name = "..."` (the model's name in
//! errors), `tag = "..."` (unions), `volatile(name: Type = expr, ...)`,
//! `linked` (for mutually recursive models without identifiers: see the
//! derive's error), `crate = "path"`. On a field: `identifier`,
//! `rename = "..."`, `default`, `default = expr`, `view = path::to::fn` (on a
//! `Memo<T>` field). On a variant: `rename = "..."`.
#![warn(missing_docs)]

mod attrs;
mod enums;
mod model;
mod names;
mod perfect_hash;

use proc_macro::TokenStream;
use syn::{parse_macro_input, Data, DeriveInput, Fields};

/// Derives a state-tree model, enumeration or union (see the crate docs).
#[proc_macro_derive(Model, attributes(model))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    let out = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(fields) => model::expand(&input, fields),
            _ => Err(syn::Error::new_spanned(
                &input.ident,
                "a model is a struct with named fields",
            )),
        },
        Data::Enum(e) => enums::expand(&input, e),
        Data::Union(_) => Err(syn::Error::new_spanned(
            &input.ident,
            "a model is a struct or an enum, not a union",
        )),
    };
    out.unwrap_or_else(syn::Error::into_compile_error).into()
}

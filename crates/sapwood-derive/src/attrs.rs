//! `#[model(...)]` attributes on containers, fields and variants.

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, Ident, LitStr, Token, Type};

use crate::names::Case;

/// A volatile declared on a model: `name: Type = default`.
pub struct Volatile {
    pub name: Ident,
    pub ty: Type,
    pub default: Expr,
}

impl Parse for Volatile {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let name: Ident = input.parse()?;
        input.parse::<Token![:]>()?;
        let ty: Type = input.parse()?;
        input.parse::<Token![=]>()?;
        let default: Expr = input.parse()?;
        Ok(Volatile { name, ty, default })
    }
}

/// Attributes of a struct or enum.
#[derive(Default)]
pub struct Container {
    pub rename_all: Option<Case>,
    pub name: Option<String>,
    pub tag: Option<String>,
    pub volatiles: Vec<Volatile>,
    pub linked: bool,
    pub krate: Option<syn::Path>,
}

impl Container {
    pub fn parse(attrs: &[Attribute]) -> syn::Result<Self> {
        let mut c = Container::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident("model")) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename_all") {
                    let s: LitStr = meta.value()?.parse()?;
                    c.rename_all = Some(Case::parse(&s.value()).ok_or_else(|| {
                        syn::Error::new_spanned(
                            &s,
                            "rename_all is one of camelCase, snake_case, lowercase, UPPERCASE, \
                             PascalCase, SCREAMING_SNAKE_CASE, kebab-case",
                        )
                    })?);
                } else if meta.path.is_ident("name") {
                    c.name = Some(meta.value()?.parse::<LitStr>()?.value());
                } else if meta.path.is_ident("tag") {
                    c.tag = Some(meta.value()?.parse::<LitStr>()?.value());
                } else if meta.path.is_ident("linked") {
                    c.linked = true;
                } else if meta.path.is_ident("crate") {
                    let s: LitStr = meta.value()?.parse()?;
                    c.krate = Some(s.parse()?);
                } else if meta.path.is_ident("volatile") {
                    let content;
                    syn::parenthesized!(content in meta.input);
                    let list = Punctuated::<Volatile, Token![,]>::parse_terminated(&content)?;
                    c.volatiles.extend(list);
                } else {
                    return Err(meta.error(
                        "unknown model attribute (expected rename_all, name, tag, volatile, linked \
                         or crate)",
                    ));
                }
                Ok(())
            })?;
        }
        Ok(c)
    }

    /// The path of the runtime's private module.
    pub fn private(&self) -> TokenStream {
        match &self.krate {
            Some(p) => quote!(#p::__private),
            None => quote!(::sapwood::tree::__private),
        }
    }
}

/// How an absent field gets its value.
pub enum Default_ {
    /// The type's own (`None` for an `Option`), else the field is required.
    Type,
    /// `#[model(default)]`: `Default::default()`.
    Trait,
    /// `#[model(default = expr)]`.
    Expr(Expr),
}

/// Attributes of a field.
pub struct Field {
    pub identifier: bool,
    pub rename: Option<String>,
    pub default: Default_,
    pub view: Option<Expr>,
}

impl Field {
    pub fn parse(attrs: &[Attribute]) -> syn::Result<Self> {
        let mut f = Field {
            identifier: false,
            rename: None,
            default: Default_::Type,
            view: None,
        };
        for attr in attrs.iter().filter(|a| a.path().is_ident("model")) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("identifier") {
                    f.identifier = true;
                } else if meta.path.is_ident("rename") {
                    f.rename = Some(meta.value()?.parse::<LitStr>()?.value());
                } else if meta.path.is_ident("default") {
                    f.default = if meta.input.peek(Token![=]) {
                        Default_::Expr(meta.value()?.parse()?)
                    } else {
                        Default_::Trait
                    };
                } else if meta.path.is_ident("view") {
                    f.view = Some(meta.value()?.parse()?);
                } else {
                    return Err(meta.error(
                        "unknown model field attribute (expected identifier, rename, default or \
                         view)",
                    ));
                }
                Ok(())
            })?;
        }
        Ok(f)
    }
}

/// The `rename` of a variant.
pub fn variant_rename(attrs: &[Attribute]) -> syn::Result<Option<String>> {
    let mut out = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("model")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                out = Some(meta.value()?.parse::<LitStr>()?.value());
                Ok(())
            } else {
                Err(meta.error("unknown model variant attribute (expected rename)"))
            }
        })?;
    }
    Ok(out)
}

/// Whether `ty` mentions `name` (a field of a recursive model).
pub fn mentions(ty: &Type, name: &Ident) -> bool {
    fn walk(ts: TokenStream, name: &Ident) -> bool {
        ts.into_iter().any(|tt| match tt {
            proc_macro2::TokenTree::Ident(i) => i == *name || i == "Self",
            proc_macro2::TokenTree::Group(g) => walk(g.stream(), name),
            _ => false,
        })
    }
    walk(quote!(#ty), name)
}

//! The derive for enums: enumerations (unit variants) and unions (one model
//! per variant, told apart by a tag field).

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{DataEnum, DeriveInput, Fields, Ident, LitStr, Type};

use crate::attrs::{self, Container};
use crate::model::{model_tree_value, or_links};
use crate::perfect_hash;

pub fn expand(input: &DeriveInput, e: &DataEnum) -> syn::Result<TokenStream> {
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "generic models are not supported",
        ));
    }
    if e.variants.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "an enumeration or union needs at least one variant",
        ));
    }
    let c = Container::parse(&input.attrs)?;
    if !c.volatiles.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "volatiles belong on struct models",
        ));
    }
    let mut names = Vec::new();
    for v in &e.variants {
        let raw = v.ident.to_string();
        let tag = match (attrs::variant_rename(&v.attrs)?, c.rename_all) {
            (Some(r), _) => r,
            (None, Some(case)) => case.apply(&raw),
            (None, None) => raw,
        };
        if names.contains(&tag) {
            return Err(syn::Error::new_spanned(
                &v.ident,
                format!("two variants are named \"{tag}\""),
            ));
        }
        names.push(tag);
    }
    if e.variants.iter().all(|v| matches!(v.fields, Fields::Unit)) {
        if c.tag.is_some() {
            return Err(syn::Error::new_spanned(
                &input.ident,
                "`tag` is for unions; an enum of unit variants is an enumeration",
            ));
        }
        return Ok(enumeration(input, &c, &names));
    }
    let mut types = Vec::new();
    for v in &e.variants {
        match &v.fields {
            Fields::Unnamed(f) if f.unnamed.len() == 1 => types.push(&f.unnamed[0].ty),
            _ => {
                return Err(syn::Error::new_spanned(
                    v,
                    "a union's variants each hold one model: `Apple(Apple)`",
                ))
            }
        }
    }
    let Some(tag) = c.tag.clone() else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "a union needs `#[model(tag = \"field\")]`: the field that tells its variants apart",
        ));
    };
    Ok(union(input, &c, &names, &types, &tag))
}

fn enumeration(input: &DeriveInput, c: &Container, names: &[String]) -> TokenStream {
    let Common {
        p,
        name,
        model_name,
        variants,
        lits,
        indices,
    } = Common::of(input, c, names);
    quote! {
        // SAFETY: generated: a leaf, built from one string.
        unsafe impl #p::TreeValue for #name {
            type Links = #p::False;
            const MODELS: bool = false;

            fn describe() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(#model_name)
            }

            fn build<'de, __D: #p::serde::Deserializer<'de>>(
                d: __D,
                cx: &mut #p::Build,
            ) -> ::core::result::Result<Self, __D::Error> {
                const NAMES: &[&str] = &[#(#lits),*];
                fn index_of(s: &str) -> ::core::option::Option<u16> {
                    match s {
                        #(#lits => ::core::option::Option::Some(#indices),)*
                        _ => ::core::option::Option::None,
                    }
                }
                match #p::build_enumeration(d, cx, NAMES, index_of)? {
                    #(#indices => ::core::result::Result::Ok(#name::#variants),)*
                    _ => ::core::unreachable!(),
                }
            }

            fn write<__S: #p::serde::Serializer>(
                &self,
                s: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                s.serialize_str(match self {
                    #(#name::#variants => #lits,)*
                })
            }
        }
    }
}

/// What the expansions of enumerations and unions share.
struct Common<'a> {
    /// The runtime's private module.
    p: TokenStream,
    name: &'a Ident,
    model_name: String,
    /// The variants' identifiers.
    variants: Vec<&'a Ident>,
    /// Their snapshot names.
    lits: Vec<LitStr>,
    indices: Vec<u16>,
}

impl<'a> Common<'a> {
    fn of(input: &'a DeriveInput, c: &Container, names: &[String]) -> Self {
        let variants = match &input.data {
            syn::Data::Enum(e) => e.variants.iter().map(|v| &v.ident).collect(),
            _ => unreachable!("called on enums"),
        };
        Common {
            p: c.private(),
            name: &input.ident,
            model_name: c.name.clone().unwrap_or_else(|| input.ident.to_string()),
            variants,
            lits: names
                .iter()
                .map(|n| LitStr::new(n, Span::call_site()))
                .collect(),
            indices: (0..names.len() as u16).collect(),
        }
    }
}

fn union(
    input: &DeriveInput,
    c: &Container,
    names: &[String],
    types: &[&Type],
    tag: &str,
) -> TokenStream {
    let Common {
        p,
        name,
        model_name,
        variants,
        lits,
        indices,
    } = Common::of(input, c, names);
    let (seed, table) = perfect_hash::find(names);
    let mask = table.len() - 1;
    let links = if c.linked {
        quote!(#p::True)
    } else {
        or_links(
            &p,
            types.iter().copied().filter(|t| !attrs::mentions(t, name)),
        )
    };
    let mut root_links = quote!(#p::False);
    for ty in types.iter().rev() {
        root_links = quote!(<<#ty as #p::Model>::RootLinks as #p::Or<#root_links>>::Out);
    }
    let tree_value = model_tree_value(
        &p,
        name,
        &model_name,
        &links,
        quote! {
            match self {
                #(#name::#variants(v) => #p::TreeValue::walk(v, w),)*
            }
        },
    );
    quote! {
        #tree_value

        impl #p::Model for #name {
            const NAME: &'static str = #model_name;
            type RootLinks = #root_links;

            fn build_fields<'de, __A: #p::serde::de::MapAccess<'de>>(
                mut map: __A,
                cx: &mut #p::Build,
            ) -> ::core::result::Result<Self, __A::Error> {
                const TAGS: &[&str] = &[#(#lits),*];
                /// The variant of a tag: one hash, one comparison.
                fn index_of(s: &str) -> ::core::option::Option<u16> {
                    const TABLE: [u16; #mask + 1] = [#(#table),*];
                    let i = TABLE[#p::tag_hash(s.as_bytes(), #seed) as usize & #mask];
                    if i != 0 && TAGS[(i - 1) as usize] == s {
                        ::core::option::Option::Some(i - 1)
                    } else {
                        ::core::option::Option::None
                    }
                }
                const INFO: #p::UnionInfo = #p::UnionInfo {
                    name: #model_name,
                    tag_field: #tag,
                    tags: TAGS,
                    index_of,
                };
                match #p::build_union(&mut map, cx, &INFO)? {
                    #p::UnionStart::Tagged(i) => match i {
                        #(#indices => ::core::result::Result::Ok(#name::#variants(
                            <#types as #p::Model>::build_fields(map, cx)?,
                        )),)*
                        _ => ::core::unreachable!(),
                    },
                    #p::UnionStart::Buffered(value, i) => match i {
                        #(#indices => ::core::result::Result::Ok(#name::#variants(
                            <#types as #p::TreeValue>::build(&value, cx)
                                .map_err(<__A::Error as #p::serde::de::Error>::custom)?,
                        )),)*
                        _ => ::core::unreachable!(),
                    },
                }
            }

            fn write_fields<__M: #p::serde::ser::SerializeMap>(
                &self,
                map: &mut __M,
            ) -> ::core::result::Result<(), __M::Error> {
                match self {
                    #(#name::#variants(v) => {
                        map.serialize_entry(#tag, #lits)?;
                        <#types as #p::Model>::write_fields(v, map)
                    })*
                }
            }

            fn as_type(
                &self,
                ty: ::core::any::TypeId,
            ) -> ::core::option::Option<&dyn ::core::any::Any> {
                match self {
                    #(#name::#variants(v) => <#types as #p::Model>::as_type(v, ty),)*
                }
            }
        }
    }
}

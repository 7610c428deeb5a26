//! The derive for structs: models.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{DeriveInput, FieldsNamed, Ident, LitStr, Type};

use crate::attrs::{self, Container, Default_};

/// A field that is part of the snapshot.
struct DataField<'a> {
    ident: &'a Ident,
    ty: &'a Type,
    key: String,
    default: Default_,
    recursive: bool,
}

/// A getter view: a `Memo<T>` field and its function.
struct View<'a> {
    ident: &'a Ident,
    ty: &'a Type,
    compute: syn::Expr,
}

/// `Or` over the `Links` of `types`: `False` for none.
pub fn or_links<'a>(
    p: &TokenStream,
    types: impl DoubleEndedIterator<Item = &'a Type>,
) -> TokenStream {
    let mut acc = quote!(#p::False);
    for ty in types.rev() {
        acc = quote!(<<#ty as #p::TreeValue>::Links as #p::Or<#acc>>::Out);
    }
    acc
}

/// The `TreeValue` impl of a model (struct or union): built from an object,
/// written as a map, walked with `walk`.
pub fn model_tree_value(
    p: &TokenStream,
    name: &Ident,
    model_name: &str,
    links: &TokenStream,
    walk: TokenStream,
) -> TokenStream {
    quote! {
        // SAFETY: generated: builds through the build context, walks every
        // field or variant that may hold links.
        unsafe impl #p::TreeValue for #name {
            type Links = #links;
            const MODELS: bool = true;

            fn describe() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(#model_name)
            }

            #[inline]
            fn build<'de, __D: #p::serde::Deserializer<'de>>(
                d: __D,
                cx: &mut #p::Build,
            ) -> ::core::result::Result<Self, __D::Error> {
                #p::build_model::<Self, __D>(d, cx)
            }

            #[inline]
            fn write<__S: #p::serde::Serializer>(
                &self,
                s: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                #p::write_model(self, s)
            }

            fn walk<'t, __W: #p::Walk<'t>>(&'t self, w: &mut __W) {
                #walk
            }
        }
    }
}

/// The `T` of a `Memo<T>` field's type.
fn memo_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Memo" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => match a.args.first()? {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

pub fn expand(input: &DeriveInput, fields: &FieldsNamed) -> syn::Result<TokenStream> {
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "generic models are not supported",
        ));
    }
    let c = Container::parse(&input.attrs)?;
    if c.tag.is_some() {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "`tag` is for unions (enums of models)",
        ));
    }
    let p = c.private();
    let name = &input.ident;
    let model_name = c.name.clone().unwrap_or_else(|| name.to_string());

    let mut data: Vec<DataField> = Vec::new();
    let mut views: Vec<View> = Vec::new();
    let mut identifier: Option<(&Ident, &Type)> = None;
    for f in &fields.named {
        let ident = f.ident.as_ref().expect("named field");
        let a = attrs::Field::parse(&f.attrs)?;
        if let Some(compute) = a.view {
            let Some(inner) = memo_inner(&f.ty) else {
                return Err(syn::Error::new_spanned(
                    &f.ty,
                    "a view's field is a `Memo<T>` (its memoized value)",
                ));
            };
            if a.identifier || a.rename.is_some() || !matches!(a.default, Default_::Type) {
                return Err(syn::Error::new_spanned(
                    ident,
                    "a view field takes no other model attribute",
                ));
            }
            views.push(View {
                ident,
                ty: inner,
                compute,
            });
            continue;
        }
        if memo_inner(&f.ty).is_some() {
            return Err(syn::Error::new_spanned(
                ident,
                "a `Memo` field needs `#[model(view = path::to::fn)]`",
            ));
        }
        if a.identifier {
            if identifier.is_some() {
                return Err(syn::Error::new_spanned(
                    ident,
                    "a model has at most one identifier",
                ));
            }
            identifier = Some((ident, &f.ty));
        }
        let raw = ident.to_string();
        let raw = raw.strip_prefix("r#").unwrap_or(&raw).to_string();
        let key = match (a.rename, c.rename_all) {
            (Some(r), _) => r,
            (None, Some(case)) => case.apply(&raw),
            (None, None) => raw,
        };
        if let Some(other) = data.iter().find(|d| d.key == key) {
            return Err(syn::Error::new_spanned(
                ident,
                format!(
                    "two fields have the snapshot key \"{key}\" (also `{}`)",
                    other.ident
                ),
            ));
        }
        data.push(DataField {
            ident,
            ty: &f.ty,
            key,
            default: a.default,
            recursive: attrs::mentions(&f.ty, name),
        });
    }
    if data.len() >= u16::MAX as usize {
        return Err(syn::Error::new_spanned(name, "too many fields"));
    }

    // Type-level flags. A field of the model's own type adds nothing to what
    // the model itself may hold, and must be left out of `Links` (else its
    // definition would refer to itself).
    let links = if identifier.is_some() || c.linked {
        quote!(#p::True)
    } else {
        or_links(&p, data.iter().filter(|d| !d.recursive).map(|d| d.ty))
    };
    let root_links = or_links(&p, data.iter().map(|d| d.ty));

    // Building.
    let locals: Vec<Ident> = (0..data.len()).map(|i| format_ident!("__f{}", i)).collect();
    let keys: Vec<LitStr> = data
        .iter()
        .map(|d| LitStr::new(&d.key, proc_macro2::Span::call_site()))
        .collect();
    let types: Vec<&Type> = data.iter().map(|d| d.ty).collect();
    let indices: Vec<u16> = (0..data.len() as u16).collect();
    let finals = data.iter().zip(&locals).zip(&keys).map(|((d, l), k)| {
        let ty = d.ty;
        match &d.default {
            Default_::Type => quote! {
                let #l = match #l {
                    ::core::option::Option::Some(v) => v,
                    ::core::option::Option::None => match <#ty as #p::TreeValue>::absent() {
                        ::core::option::Option::Some(v) => v,
                        ::core::option::Option::None => {
                            return ::core::result::Result::Err(#p::missing(cx, #model_name, #k));
                        }
                    },
                };
            },
            Default_::Trait => quote! {
                let #l: #ty = match #l {
                    ::core::option::Option::Some(v) => v,
                    ::core::option::Option::None => ::core::default::Default::default(),
                };
            },
            Default_::Expr(e) => quote! {
                let #l: #ty = match #l {
                    ::core::option::Option::Some(v) => v,
                    ::core::option::Option::None => #e,
                };
            },
        }
    });
    let field_idents: Vec<&Ident> = data.iter().map(|d| d.ident).collect();
    let view_idents: Vec<&Ident> = views.iter().map(|v| v.ident).collect();

    // Walking: only the fields that may hold what the walker looks for.
    let walks = data.iter().zip(&keys).map(|(d, k)| {
        let (ident, ty) = (d.ident, d.ty);
        quote! {
            if (__W::LINKS_ONLY && <<#ty as #p::TreeValue>::Links as #p::Flag>::VALUE)
                || (!__W::LINKS_ONLY && <#ty as #p::TreeValue>::MODELS)
            {
                w.enter(#p::Segment::Field(#k));
                #p::TreeValue::walk(&self.#ident, w);
                w.leave();
            }
        }
    });
    let walk_identified = identifier.map(|_| quote! { w.identified(self); });

    let identified_impl = identifier.map(|(ident, ty)| {
        quote! {
            impl #p::Identified for #name {
                type Id = #ty;
                #[inline]
                fn identifier(&self) -> &#ty {
                    &self.#ident
                }
            }
        }
    });

    let view_methods = views.iter().map(|v| {
        let (ident, ty, compute) = (v.ident, v.ty, &v.compute);
        let doc = format!("Getter view, computed on first access and memoized in `self.{ident}`.");
        quote! {
            #[doc = #doc]
            #[inline]
            pub fn #ident(&self) -> &#ty {
                self.#ident.get_or_init(|| (#compute)(self))
            }
        }
    });
    let volatile_methods = c.volatiles.iter().map(|v| {
        let (ident, ty, default) = (&v.name, &v.ty, &v.default);
        let doc = format!(
            "Volatile state `{ident}` (not in snapshots): on a read-only instance, always its \
             initial value."
        );
        quote! {
            #[doc = #doc]
            pub fn #ident(&self) -> #ty {
                #default
            }
        }
    });

    let tree_value = model_tree_value(
        &p,
        name,
        &model_name,
        &links,
        quote! {
            w.model(self);
            #(#walks)*
            #walk_identified
        },
    );

    Ok(quote! {
        impl #name {
            #(#view_methods)*
            #(#volatile_methods)*
        }

        #tree_value

        impl #p::Model for #name {
            const NAME: &'static str = #model_name;
            type RootLinks = #root_links;

            fn build_fields<'de, __A: #p::serde::de::MapAccess<'de>>(
                mut map: __A,
                cx: &mut #p::Build,
            ) -> ::core::result::Result<Self, __A::Error> {
                fn index_of(key: &str) -> u16 {
                    match key {
                        #(#keys => #indices,)*
                        _ => u16::MAX,
                    }
                }
                #(let mut #locals: ::core::option::Option<#types> = ::core::option::Option::None;)*
                while let ::core::option::Option::Some(i) =
                    #p::serde::de::MapAccess::next_key_seed(&mut map, #p::FieldKey(index_of))?
                {
                    match i {
                        #(
                            #indices => {
                                if #locals.is_some() {
                                    return ::core::result::Result::Err(#p::duplicate_key(cx, #keys));
                                }
                                #locals = ::core::option::Option::Some(
                                    #p::next_field::<#types, __A>(&mut map, cx, #keys)?,
                                );
                            }
                        )*
                        _ => #p::skip_value(&mut map)?,
                    }
                }
                #(#finals)*
                let __value = #name {
                    #(#field_idents: #locals,)*
                    #(#view_idents: #p::Memo::new(),)*
                };
                ::core::result::Result::Ok(__value)
            }

            fn write_fields<__M: #p::serde::ser::SerializeMap>(
                &self,
                map: &mut __M,
            ) -> ::core::result::Result<(), __M::Error> {
                #(#p::write_field(map, #keys, &self.#field_idents)?;)*
                ::core::result::Result::Ok(())
            }

        }

        #identified_impl
    })
}

//! `#[derive(Shape)]` for the response models of instaclustr-pg-core.
//!
//! The derive reads the serde attributes of the type (the ones the typed decode obeys) and emits
//! `impl crate::shape::HasShape`: a `const` table of the JSON the type's `Deserialize` accepts.
//! Only the serde attributes the models use are understood; any other one is a compile error,
//! so the table can never silently disagree with the decode (the differential test in
//! `crates/core/tests/shape_differential.rs` checks the rest against serde itself).

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::quote;
use syn::{parse_macro_input, Data, DeriveInput, Error, Fields, LitStr, Type};

/// Emits the `HasShape` impl of a struct (named fields, or `#[serde(transparent)]`) or of an
/// `#[serde(untagged)]` enum of newtype variants.
#[proc_macro_derive(Shape)]
pub fn derive_shape(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input)
        .unwrap_or_else(Error::into_compile_error)
        .into()
}

/// The container attributes the derive understands.
#[derive(Default)]
struct Container {
    camel_case: bool,
    transparent: bool,
    untagged: bool,
}

/// The field attributes the derive understands.
#[derive(Default)]
struct FieldAttrs {
    rename: Option<String>,
    default: bool,
    null_as_default: bool,
}

fn container_attrs(input: &DeriveInput) -> syn::Result<Container> {
    let mut c = Container::default();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename_all") {
                let rule: LitStr = meta.value()?.parse()?;
                if rule.value() != "camelCase" {
                    return Err(meta.error("Shape: only rename_all = \"camelCase\" is supported"));
                }
                c.camel_case = true;
            } else if meta.path.is_ident("transparent") {
                c.transparent = true;
            } else if meta.path.is_ident("untagged") {
                c.untagged = true;
            } else {
                return Err(meta.error("Shape: serde container attribute not supported"));
            }
            Ok(())
        })?;
    }
    Ok(c)
}

fn field_attrs(field: &syn::Field) -> syn::Result<FieldAttrs> {
    let mut f = FieldAttrs::default();
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let name: LitStr = meta.value()?.parse()?;
                f.rename = Some(name.value());
            } else if meta.path.is_ident("default") {
                if meta.input.peek(syn::Token![=]) {
                    return Err(meta.error("Shape: only a plain `default` is supported"));
                }
                f.default = true;
            } else if meta.path.is_ident("skip_serializing_if") {
                // serialization only
                let _: LitStr = meta.value()?.parse()?;
            } else if meta.path.is_ident("deserialize_with") {
                let path: LitStr = meta.value()?.parse()?;
                if !path.value().ends_with("null_as_default") {
                    return Err(meta.error(
                        "Shape: the only deserialize_with understood is lenient::null_as_default",
                    ));
                }
                f.null_as_default = true;
            } else {
                return Err(meta.error("Shape: serde field attribute not supported"));
            }
            Ok(())
        })?;
    }
    Ok(f)
}

/// serde's `camelCase` rule applied to a snake_case field name.
fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for ch in snake.chars() {
        if ch == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

fn shape_of(ty: &Type) -> Tokens {
    quote! { <#ty as crate::shape::HasShape>::SHAPE }
}

fn expand(input: &DeriveInput) -> syn::Result<Tokens> {
    let container = container_attrs(input)?;
    let ident = &input.ident;
    let name = ident.to_string();
    if !input.generics.params.is_empty() {
        return Err(Error::new_spanned(
            ident,
            "Shape: generic types are not supported",
        ));
    }
    let shape = match &input.data {
        Data::Struct(data) if container.transparent => {
            let mut fields = data.fields.iter();
            match (fields.next(), fields.next()) {
                (Some(field), None) => shape_of(&field.ty),
                _ => {
                    return Err(Error::new_spanned(
                        ident,
                        "Shape: a transparent struct has exactly one field",
                    ))
                }
            }
        }
        Data::Struct(data) => {
            let Fields::Named(named) = &data.fields else {
                return Err(Error::new_spanned(
                    ident,
                    "Shape: a struct needs named fields",
                ));
            };
            if named.named.len() > 64 {
                return Err(Error::new_spanned(ident, "Shape: at most 64 fields"));
            }
            let mut fields = Vec::new();
            for field in &named.named {
                let attrs = field_attrs(field)?;
                let rust_name = field
                    .ident
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                let wire = attrs.rename.clone().unwrap_or_else(|| {
                    if container.camel_case {
                        camel_case(&rust_name)
                    } else {
                        rust_name.clone()
                    }
                });
                let inner = shape_of(&field.ty);
                // null_as_default reads an Option<T> and keeps T's default for null
                let shape = if attrs.null_as_default {
                    quote! { crate::shape::Shape::Option(&#inner) }
                } else {
                    inner.clone()
                };
                // serde: a missing field is an error unless `default`, or the type is an Option
                // read by serde itself (not through deserialize_with)
                let required = if attrs.default {
                    quote! { false }
                } else if attrs.null_as_default {
                    quote! { true }
                } else {
                    quote! { !#inner.is_option() }
                };
                // serde puts the type's default in place of a missing (or, through
                // null_as_default, a null) value; an Option's default (None) is just absent
                let fill = if attrs.null_as_default {
                    quote! { true }
                } else if attrs.default {
                    quote! { !#inner.is_option() }
                } else {
                    quote! { false }
                };
                fields.push(quote! {
                    crate::shape::Field {
                        name: #wire,
                        shape: &#shape,
                        required: #required,
                        fill: #fill,
                    }
                });
            }
            quote! {
                crate::shape::Shape::Struct(&crate::shape::Struct {
                    name: #name,
                    fields: &[#(#fields),*],
                })
            }
        }
        Data::Enum(data) if container.untagged => {
            let mut variants = Vec::new();
            for variant in &data.variants {
                match &variant.fields {
                    Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                        let inner = shape_of(&f.unnamed[0].ty);
                        variants.push(quote! { &#inner });
                    }
                    _ => {
                        return Err(Error::new_spanned(
                            &variant.ident,
                            "Shape: untagged variants must be newtype variants",
                        ))
                    }
                }
            }
            quote! {
                crate::shape::Shape::Untagged(&crate::shape::Untagged {
                    name: #name,
                    variants: &[#(#variants),*],
                })
            }
        }
        _ => {
            return Err(Error::new_spanned(
                ident,
                "Shape: only structs and untagged enums are supported",
            ))
        }
    };
    Ok(quote! {
        impl crate::shape::HasShape for #ident {
            const SHAPE: crate::shape::Shape = #shape;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::camel_case;

    #[test]
    fn camel_case_follows_serde() {
        assert_eq!(camel_case("cluster_data_centres"), "clusterDataCentres");
        assert_eq!(camel_case("id"), "id");
        assert_eq!(camel_case("pg_bouncer_version"), "pgBouncerVersion");
    }
}

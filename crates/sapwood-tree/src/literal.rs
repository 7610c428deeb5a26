//! Literal types: a field that holds one fixed string.

/// Defines a literal type: a zero-sized type whose only snapshot is one string
/// (MobX-State-Tree's `types.literal`). A snapshot with another value is
/// refused; with `#[model(default)]` the field may be absent.
///
/// ```
/// use sapwood::tree::{literal, Model};
///
/// literal!(
///     /// The `type` tag of a part.
///     pub PartKind = "Part"
/// );
///
/// #[derive(Model)]
/// struct Part {
///     #[model(rename = "type", default)]
///     kind: PartKind,
///     name: String,
/// }
///
/// let p = Part::from_json_str(r#"{"name": "bolt"}"#).unwrap();
/// assert_eq!(p.kind.as_str(), "Part");
/// assert!(Part::from_json_str(r#"{"type": "Car", "name": "bolt"}"#).is_err());
/// ```
#[macro_export]
macro_rules! literal {
    ($(#[$meta:meta])* $vis:vis $name:ident = $value:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        $vis struct $name;

        impl $name {
            /// The literal's value.
            pub const VALUE: &'static str = $value;

            /// The literal's value.
            pub const fn as_str(self) -> &'static str {
                $value
            }
        }

        // SAFETY: a leaf holds no references or models.
        unsafe impl $crate::__private::TreeValue for $name {
            type Links = $crate::__private::False;
            const MODELS: bool = false;

            fn describe() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(concat!("\"", $value, "\""))
            }

            fn build<'de, D: $crate::__private::serde::Deserializer<'de>>(
                d: D,
                cx: &mut $crate::__private::Build,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::__private::build_literal(d, cx, $value).map(|()| $name)
            }

            fn write<S: $crate::__private::serde::Serializer>(
                &self,
                s: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str($value)
            }
        }
    };
}

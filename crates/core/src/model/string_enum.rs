//! Enumerations the server may extend: known values are variants, anything else is kept as
//! `Other(String)` so a new server value never breaks parsing.

/// `"A" | "B" | ...` of string literals.
macro_rules! ts_union {
    ($first:literal $(, $rest:literal)*) => {
        concat!("\"", $first, "\"" $(, " | \"", $rest, "\"")*)
    };
}
pub(crate) use ts_union;

/// Declares an open string enumeration with its serde impls and its TypeScript declaration.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version of the client does not know, kept as sent.
            Other(String),
        }

        impl $name {
            /// Every value this version of the client knows, in the order of the API document.
            pub const KNOWN: &'static [&'static str] = &[$($text),+];

            /// TypeScript declaration of this type: the known values, open to new ones (what an
            /// answer may hold).
            pub const TS_DECL: &'static str = concat!(
                "export type ", stringify!($name), " = ",
                $("\"", $text, "\" | ",)+
                "(string & {});"
            );
            /// TypeScript declaration of this type closed to the known values (what an input
            /// may hold: a typo does not compile); an answer's field of it is typed
            /// `Name | (string & {})`.
            pub const TS_CLOSED: &'static str = concat!(
                "export type ", stringify!($name), " = ", $crate::model::string_enum::ts_union!($($text),+), ";"
            );

            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                    Self::Other(s) => s.as_str(),
                }
            }

            /// Whether the value is one this client knows.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($text => Self::$variant,)+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        // read as a string (any string: the enumeration is open), like the Deserialize below
        impl $crate::shape::HasShape for $name {
            const SHAPE: $crate::shape::Shape = $crate::shape::Shape::Str;
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                Ok(Self::from(s.as_ref()))
            }
        }
    };
}

pub(crate) use string_enum;

//! The conversions every validated string type needs for serde's `try_from`/`into`: in through
//! its `parse`, out as the plain string.

/// `string_newtype!(Type, Error)` for a `struct Type(String)` with `fn parse(&str) -> Result<Type, Error>`.
macro_rules! string_newtype {
    ($ty:ident, $err:ty) => {
        impl TryFrom<String> for $ty {
            type Error = $err;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                $ty::parse(&value)
            }
        }

        impl From<$ty> for String {
            fn from(value: $ty) -> Self {
                value.0
            }
        }
    };
}

pub(crate) use string_newtype;

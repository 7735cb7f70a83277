//! The shapes of the types the models are built from (the derive handles the models).

use super::{HasShape, Shape};

impl HasShape for bool {
    const SHAPE: Shape = Shape::Bool;
}

impl HasShape for u32 {
    const SHAPE: Shape = Shape::U32;
}

impl HasShape for f64 {
    const SHAPE: Shape = Shape::F64;
}

impl HasShape for String {
    const SHAPE: Shape = Shape::Str;
}

impl<T: HasShape> HasShape for Option<T> {
    const SHAPE: Shape = Shape::Option(&T::SHAPE);
}

impl<T: HasShape> HasShape for Vec<T> {
    const SHAPE: Shape = Shape::List(&T::SHAPE);
}

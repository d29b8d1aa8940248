//! The template model: pure serde data that knows nothing of constructs or of file formats.

pub mod expr;
pub mod fns;
pub mod logical_id;
pub mod template;
pub mod value;

//! Domain primitives shared by every layer: person IDs, dates, money, and the
//! identity-category vocabulary.

pub mod county;
pub mod date;
pub mod id;
pub mod mask;
pub mod money;
pub mod place;
pub mod text;
pub mod vocab;

pub use county::County;
pub use date::{add_days, add_months, fmt_date, parse_date};
pub use id::{mask, parse_person_id, IdError, PersonId};
pub use mask::mask_ids_in_text;
pub use money::{parse_yuan, Fen};
pub use text::{trim_ws, Text};
pub use vocab::{Category, CategoryInfo, EnrollStatus, Scheme, SourceKind, Vocabulary};

//! Commissioning a package of care (use case 2): the local authority hands the care it has
//! commissioned to the provider who will deliver it.
//!
//! - [`package`] builds, from the council's record and one of its care plans, the document
//!   the provider receives: a MODS record document holding the subject of care, their
//!   contacts and carers, the plan's needs (with their eligibility), eligible and desired
//!   outcomes, the plan and its commissioned services (with the funded envelope), the
//!   assessments and referral behind them, About Me and communication needs, alerts and
//!   risks, assistive technology, consent, and every record those name, so that it
//!   validates on its own with every reference resolving inside it. A reference that
//!   cannot be resolved (the council's record itself lacks the record) is reported.
//! - [`accept`] merges a package into the provider's record of the person (matched by NHS
//!   number) or starts a new record, with a Change log entry naming the sending
//!   organisation for every record it adds or changes; nothing of the package is dropped
//!   without being reported.
//!
//! Whether the provider's plan stays within the funded time and cost is a validation rule
//! (`plan-exceeds-funded-envelope`), so it is checked in every record, not only here; both
//! operations include the validation report of what they produce.
//!
//! Decisions where the use case is silent are documented in `docs/flows/commission.md`.

mod accept;
mod package;
mod records;

pub use accept::{accept, AcceptError, AcceptOptions, AcceptReport, Accepted, Conflict, Person};
pub use package::{package, Package, PackageError, PackageOptions, PackageReport, Unresolved};
pub use records::{Header, RecordRef, HEADER_KEY};

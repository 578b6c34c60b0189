//! Tests of the discharge merge.

//! Testing oneloop apps: end-to-end support for real windows under a
//! private Xvfb ([`xvfb`]).

pub mod xvfb;

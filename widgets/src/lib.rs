//! Widgets for oneloop apps.

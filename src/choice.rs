//! One naming convention for every choice a user can make: an enum lists its values, and each
//! value has an API name (what `set`, links and the README use: lower case, words joined by
//! `_`) and a label (what a menu shows).
//!
//! The names live on the enums themselves, so the core, the labs' schemas and the page can never
//! disagree about them.

/// An enum whose values a user picks from a menu or by name.
pub trait Choice: Copy + PartialEq + Sized + 'static {
    /// Every value, in menu order.
    const ALL: &'static [Self];

    /// The name `set`, links and the README use.
    fn api_name(self) -> &'static str;

    /// What a menu shows for this value.
    fn label(self) -> &'static str;

    /// The value called `name`, if there is one.
    fn from_api_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.api_name() == name)
    }
}

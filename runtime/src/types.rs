//! The Rust types of the Roblox values that travel in Tether messages.
//!
//! The Roblox datatypes are those of [`rbx_types`]; Tether adds [`DateTime`],
//! [`InstanceId`] and [`Value`] (the dynamic `any`). Their encodings are in
//! `docs/wire-format.md`, section 4.7 (datatypes), 4.9 (instances) and 4.10
//! (`any`); [`crate::wire`] implements them.
//!
//! [`CFrame::orientation`] holds the rotation matrix by rows: `orientation.x`
//! is `(R00, R01, R02)`, `orientation.y` is `(R10, R11, R12)` and
//! `orientation.z` is `(R20, R21, R22)`, as `CFrame:GetComponents()` orders
//! them.

pub use rbx_types::{
    BrickColor, CFrame, Color3, ColorSequence, ColorSequenceKeypoint, Matrix3, NumberRange,
    NumberSequence, NumberSequenceKeypoint, Rect, UDim, UDim2, Vector2, Vector3,
};

/// A Roblox `DateTime`: milliseconds since the Unix epoch
/// (`DateTime.UnixTimestampMillis`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct DateTime {
    /// Milliseconds since 1970-01-01 00:00:00 UTC.
    pub unix_millis: i64,
}

impl DateTime {
    /// The instant `unix_millis` milliseconds after the Unix epoch.
    pub const fn from_unix_millis(unix_millis: i64) -> Self {
        DateTime { unix_millis }
    }
}

/// An instance as the Rust runtime names it. The wire carries an index into
/// the message frame's instance list (section 4.9); the list holds these ids,
/// and what an id stands for is up to the transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InstanceId(pub u64);

/// A Roblox class as a Rust type: one marker type per class
/// ([`crate::roblox::classes`]), so that a reference to a `Part` and one to
/// a `Model` are different types.
pub trait Class: 'static {
    /// The class name in Roblox (`Part`).
    const NAME: &'static str;
}

/// The Roblox class `Player`. Generated code names it for a schema's
/// `Player`, so that the runtime's [`Player`](crate::Player) can hand out a
/// reference to its own instance ([`Player::instance`](crate::Player::instance)).
#[derive(Debug)]
pub enum PlayerClass {}

impl Class for PlayerClass {
    const NAME: &'static str = "Player";
}

/// A reference to an instance of class `C`: an [`InstanceId`] that the types
/// keep apart by class. The wire carries the id alone (section 4.9).
pub struct Ref<C: Class> {
    id: InstanceId,
    class: std::marker::PhantomData<fn() -> C>,
}

impl<C: Class> Ref<C> {
    /// A reference to `id`, taken to be a `C` (the receiver checks `IsA`).
    pub const fn new(id: InstanceId) -> Self {
        Ref {
            id,
            class: std::marker::PhantomData,
        }
    }

    /// The instance's id.
    pub const fn id(self) -> InstanceId {
        self.id
    }

    /// The class the reference was declared with.
    pub const fn class(self) -> &'static str {
        C::NAME
    }
}

impl<C: Class> Clone for Ref<C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C: Class> Copy for Ref<C> {}

impl<C: Class> PartialEq for Ref<C> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl<C: Class> Eq for Ref<C> {}

impl<C: Class> std::hash::Hash for Ref<C> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

impl<C: Class> std::fmt::Debug for Ref<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}({})", C::NAME, self.id.0)
    }
}

impl<C: Class> From<Ref<C>> for InstanceId {
    fn from(reference: Ref<C>) -> InstanceId {
        reference.id
    }
}

/// A dynamic value: Tether's `any` (`docs/wire-format.md`, section 4.10).
///
/// A Luau table whose keys are exactly `1..n` is an [`Value::Array`]; any
/// other table is a [`Value::Map`], kept as its entries in wire order.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `nil`.
    Nil,
    /// A boolean.
    Bool(bool),
    /// Always a binary64, NaN and infinities included.
    Number(f64),
    /// A string (UTF-8).
    String(String),
    /// A `buffer`.
    Buffer(Vec<u8>),
    /// A table whose keys are exactly `1..n`, in order.
    Array(Vec<Value>),
    /// Keys must not be [`Value::Nil`] or a NaN number, and no two keys may be
    /// the same Luau table key.
    Map(Vec<(Value, Value)>),
    /// `None`: nil, or an instance the receiver cannot see.
    Instance(Option<InstanceId>),
    /// A `Vector3`.
    Vector3(Vector3),
    /// A `Vector2`.
    Vector2(Vector2),
    /// A `CFrame`.
    CFrame(CFrame),
    /// A `Color3`.
    Color3(Color3),
    /// A `BrickColor`.
    BrickColor(BrickColor),
    /// A `UDim`.
    UDim(UDim),
    /// A `UDim2`.
    UDim2(UDim2),
    /// A `Rect`.
    Rect(Rect),
    /// A `NumberRange`.
    NumberRange(NumberRange),
    /// A `NumberSequence`.
    NumberSequence(NumberSequence),
    /// A `ColorSequence`.
    ColorSequence(ColorSequence),
    /// A `DateTime`.
    DateTime(DateTime),
    /// A Roblox enum item: the enum's name (`"Material"`) and the item's
    /// `Value`.
    EnumItem {
        /// The enum's name.
        enum_name: String,
        /// The item's `Value`.
        value: u32,
    },
}

#[cfg(test)]
mod ref_tests {
    use super::{Class, InstanceId, Ref};

    enum Part {}
    impl Class for Part {
        const NAME: &'static str = "Part";
    }

    #[test]
    fn a_reference_is_its_id_typed_by_class() {
        let part = Ref::<Part>::new(InstanceId(7));
        assert_eq!(part.id(), InstanceId(7));
        assert_eq!(part.class(), "Part");
        assert_eq!(format!("{part:?}"), "Part(7)");
        assert_eq!(InstanceId::from(part), InstanceId(7));
        assert_eq!(part, Ref::new(InstanceId(7)));
        assert_ne!(part, Ref::new(InstanceId(8)));
    }
}

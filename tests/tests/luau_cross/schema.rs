//! The records and enums of `tests/schemas/types.tether` as Luau values: the
//! field names of the schema, unit variants as their names, tagged variants
//! as tables with a `type` field.

use tether::roblox::enums::{KeyCode, Material};
use tether_tests::types as t;

use super::lv::{Lv, ToLv};

macro_rules! records {
    ($($ty:ident { $($field:ident => $name:literal),* })*) => {$(
        impl ToLv for t::$ty {
            fn lv(&self) -> Lv {
                Lv::record([$(($name, self.$field.lv())),*])
            }
        }
    )*};
}

records! {
    Pair { a => "A", n => "N", c => "C" }
    Empty {}
    WithOpt { req => "Req", opt => "Opt", note => "Note" }
    Nested { id => "Id", inner => "Inner", tail => "Tail", points => "Points" }
    NestedInner { flag => "Flag", name => "Name" }
    NestedTail { x => "X", tags => "Tags" }
    NestedPoints { x => "X", y => "Y" }
    Node { value => "Value", next => "Next" }
    Tree { children => "Children" }
    Refs { a => "A", b => "B", c => "C" }
    Stats { health => "Health", speed => "Speed", score => "Score", ratio => "Ratio" }
    Gauges { level => "Level", speed => "Speed", score => "Score", ratio => "Ratio" }
    Unit { alive => "Alive", hp => "Hp", id => "Id" }
    Marker { pos => "Pos", seen => "Seen", weight => "Weight" }
    MarkerPos { x => "X", y => "Y" }
    Reading { a => "A", b => "B" }
    Label { on => "On", name => "Name" }
    Pinned { on => "On", level => "Level" }
}

macro_rules! unit_enums {
    ($($ty:ident)*) => {$(
        impl ToLv for t::$ty {
            fn lv(&self) -> Lv {
                Lv::str(&format!("{self:?}"))
            }
        }
    )*};
}

unit_enums!(One Color Three Nine);

/// A tagged variant: its fields and `type`, the variant's name.
fn variant<const N: usize>(name: &str, fields: [(&str, Lv); N]) -> Lv {
    tagged("type", name, fields)
}

/// A tagged variant whose enum names its tag field.
fn tagged<const N: usize>(tag: &str, name: &str, fields: [(&str, Lv); N]) -> Lv {
    let mut entries = vec![(Lv::str(tag), Lv::str(name))];
    entries.extend(fields.into_iter().map(|(k, v)| (Lv::str(k), v)));
    Lv::Map(entries)
}

impl ToLv for t::Kinded {
    fn lv(&self) -> Lv {
        match self {
            t::Kinded::Hit { damage } => tagged("kind", "Hit", [("Damage", damage.lv())]),
            t::Kinded::Miss => tagged("kind", "Miss", []),
        }
    }
}

impl ToLv for t::Shape {
    fn lv(&self) -> Lv {
        match self {
            t::Shape::Circle { radius } => variant("Circle", [("Radius", radius.lv())]),
            t::Shape::Box { size } => variant("Box", [("Size", size.lv())]),
            t::Shape::Point => variant("Point", []),
        }
    }
}

impl ToLv for t::Event {
    fn lv(&self) -> Lv {
        match self {
            t::Event::Text { body, loud } => {
                variant("Text", [("Body", body.lv()), ("Loud", loud.lv())])
            }
            t::Event::Ping => variant("Ping", []),
            t::Event::Move { to, run, speed } => variant(
                "Move",
                [("To", to.lv()), ("Run", run.lv()), ("Speed", speed.lv())],
            ),
            t::Event::Many { items } => variant("Many", [("Items", items.lv())]),
            t::Event::Nest { inner } => variant("Nest", [("Inner", inner.lv())]),
        }
    }
}

impl ToLv for Material {
    fn lv(&self) -> Lv {
        Lv::Raw(format!("Enum.Material.{}", self.name()))
    }
}

impl ToLv for KeyCode {
    fn lv(&self) -> Lv {
        Lv::Raw(format!("Enum.KeyCode.{}", self.name()))
    }
}

/// A union's value in Luau is its arm's value itself.
impl ToLv for t::Either {
    fn lv(&self) -> Lv {
        match self {
            t::Either::String(s) => s.lv(),
            t::Either::Number(n) => n.lv(),
        }
    }
}

impl ToLv for t::Mixed {
    fn lv(&self) -> Lv {
        match self {
            t::Mixed::Boolean(b) => b.lv(),
            t::Mixed::Vector3(v) => v.lv(),
            t::Mixed::Table(pair) => pair.lv(),
        }
    }
}

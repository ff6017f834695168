//! Sizes of every type form, checked against the wire format by hand.

use super::*;
use crate::diag::{FileId, Span};
use crate::ir::{Attrs, Direction, NumKind, QualName, TypeDecl, Variant};

fn sp() -> Span {
    Span::new(FileId(0), 0, 0)
}

fn ty(kind: TyKind) -> Ty {
    Ty { kind, span: sp() }
}

fn num(kind: NumKind) -> Ty {
    ty(TyKind::Number {
        kind,
        range: None,
        nonfinite: false,
    })
}

/// An integer kind (or float) with a declared integer range.
fn ranged(kind: NumKind, min: Option<i128>, max: Option<i128>) -> Ty {
    ty(TyKind::Number {
        kind,
        range: Some(crate::ir::NumRange::Int { min, max }),
        nonfinite: false,
    })
}

fn boolean() -> Ty {
    ty(TyKind::Boolean)
}

fn len(min: u32, max: Option<u32>) -> LenRange {
    LenRange { min, max }
}

fn string(min: u32, max: Option<u32>) -> Ty {
    ty(TyKind::String { len: len(min, max) })
}

fn array(elem: Ty, min: u32, max: Option<u32>) -> Ty {
    ty(TyKind::Array {
        elem: Box::new(elem),
        len: len(min, max),
    })
}

fn optional(inner: Ty) -> Ty {
    ty(TyKind::Optional {
        inner: Box::new(inner),
    })
}

fn named(id: u32) -> Ty {
    ty(TyKind::Named { decl: DeclId(id) })
}

fn field(name: &str, ty: Ty) -> Field {
    Field {
        name: name.to_string(),
        name_span: sp(),
        ty,
    }
}

fn record(fields: Vec<Field>) -> Ty {
    ty(TyKind::Record { fields })
}

fn decl(name: &str, kind: DeclKind) -> TypeDecl {
    TypeDecl {
        name: QualName(vec![name.to_string()]),
        name_span: sp(),
        span: sp(),
        kind,
        in_place: false,
        tag_field: None,
    }
}

fn alias(name: &str, ty: Ty) -> TypeDecl {
    decl(name, DeclKind::Alias { ty })
}

fn enum_decl(name: &str, variants: Vec<Option<Vec<Field>>>) -> TypeDecl {
    let variants = variants
        .into_iter()
        .enumerate()
        .map(|(i, fields)| Variant {
            name: format!("V{i}"),
            name_span: sp(),
            fields,
        })
        .collect();
    decl(name, DeclKind::Enum { variants })
}

fn schema(decls: Vec<TypeDecl>) -> Schema {
    Schema {
        files: vec!["test.tether".to_string()],
        decls,
        endpoints: Vec::new(),
    }
}

fn size_of(t: &Ty) -> Size {
    SizeModel::new(&Schema::default()).of(t)
}

fn exact(bytes: u64, bits: u64) -> Size {
    Size::exact(Extent { bytes, bits })
}

fn range(min: Extent, max: Extent) -> Size {
    Size {
        min,
        max: Some(max),
    }
}

#[test]
fn primitives() {
    assert_eq!(size_of(&boolean()), Size::bits(1));
    for (kind, width) in [
        (NumKind::U8, 1),
        (NumKind::I8, 1),
        (NumKind::U16, 2),
        (NumKind::I16, 2),
        (NumKind::U32, 4),
        (NumKind::I32, 4),
        (NumKind::F32, 4),
        (NumKind::U64, 8),
        (NumKind::I64, 8),
        (NumKind::F64, 8),
        (NumKind::Number, 8),
    ] {
        assert_eq!(size_of(&num(kind)), Size::bytes(width), "{}", kind.name());
    }
    // A range narrower than the kind packs it (section 4.1); see
    // `packed_integers` for the rule.
    assert_eq!(
        size_of(&ranged(NumKind::U8, Some(1), Some(100))),
        Size::bits(7)
    );
    let instance = ty(TyKind::Instance {
        class: "Part".into(),
        location: None,
    });
    assert_eq!(size_of(&instance), Size::bytes(4));
    assert_eq!(size_of(&ty(TyKind::Any)), Size::unbounded(Extent::bytes(1)));
    let function = ty(TyKind::Function {
        params: vec![string(0, None)],
        returns: vec![],
    });
    assert_eq!(size_of(&function), Size::ZERO);
    assert_eq!(size_of(&ty(TyKind::Error)), Size::ZERO);
    let metatable = ty(TyKind::Metatable {
        table: Box::new(record(vec![field("x", num(NumKind::U16))])),
        meta: Box::new(string(0, None)),
    });
    assert_eq!(size_of(&metatable), Size::bytes(2));
}

#[test]
fn packed_integers() {
    // The effective bounds are the kind's narrowed by the declared range; a
    // span of k bits with k below the kind's width is a k-bit field.
    for (kind, min, max, size) in [
        // 0..100: span 100 = 0b110_0100.
        (NumKind::U8, Some(0), Some(100), Size::bits(7)),
        // 1..999: span 998 < 1024.
        (NumKind::U16, Some(1), Some(999), Size::bits(10)),
        // -5..5: span 10 = 0b1010.
        (NumKind::I32, Some(-5), Some(5), Size::bits(4)),
        // 0..1 in the widest kinds: one bit.
        (NumKind::U64, Some(0), Some(1), Size::bits(1)),
        (NumKind::I64, Some(-1), Some(0), Size::bits(1)),
        // A single value: nothing to write.
        (NumKind::U8, Some(7), Some(7), Size::ZERO),
        // 0..255 in a u16 fits 8 bits: still a bit field, not a byte.
        (NumKind::U16, Some(0), Some(255), Size::bits(8)),
        // 0..65535 in a u32: 16 bits.
        (NumKind::U32, Some(0), Some(65535), Size::bits(16)),
        // One-sided: u8(200..) is 200..255, span 55.
        (NumKind::U8, Some(200), None, Size::bits(6)),
        // i16(..-32000) is -32768..-32000, span 768.
        (NumKind::I16, None, Some(-32000), Size::bits(10)),
        // Spans that need every bit of the width stay whole bytes.
        (NumKind::U8, Some(1), None, Size::bytes(1)),
        (NumKind::U32, Some(1), None, Size::bytes(4)),
        (NumKind::U8, Some(0), Some(255), Size::bytes(1)),
        (NumKind::U8, Some(0), Some(128), Size::bytes(1)),
        (NumKind::I8, Some(-3), None, Size::bytes(1)),
        (NumKind::I8, Some(-128), Some(127), Size::bytes(1)),
        (NumKind::U16, Some(0), Some(32768), Size::bytes(2)),
        (NumKind::I64, None, None, Size::bytes(8)),
        // A declared range wider than the kind is the kind.
        (NumKind::U8, Some(-10), Some(1000), Size::bytes(1)),
        // Floats never pack.
        (NumKind::F32, Some(0), Some(1), Size::bytes(4)),
        (NumKind::F64, Some(0), Some(1), Size::bytes(8)),
        (NumKind::Number, Some(0), Some(10), Size::bytes(8)),
    ] {
        assert_eq!(
            size_of(&ranged(kind, min, max)),
            size,
            "{}({min:?}..{max:?})",
            kind.name()
        );
    }
    // u8(0..127) is 7 bits, u8(0..128) a byte: the edge of the width.
    assert_eq!(
        size_of(&ranged(NumKind::U8, Some(0), Some(127))),
        Size::bits(7)
    );
    // Float bounds on an integer kind round inwards: u8(0.5..10.5) is
    // 1..10, span 9, 4 bits.
    let float_bounds = ty(TyKind::Number {
        kind: NumKind::U8,
        range: Some(crate::ir::NumRange::Float {
            min: Some(0.5),
            max: Some(10.5),
        }),
        nonfinite: false,
    });
    assert_eq!(size_of(&float_bounds), Size::bits(4));
}

#[test]
fn packed_integers_share_bit_bytes() {
    // { hp: u8(0..100), alive: boolean }: 7 + 1 bits, one byte in all.
    let rec = record(vec![
        field("hp", ranged(NumKind::U8, Some(0), Some(100))),
        field("alive", boolean()),
    ]);
    let size = size_of(&rec);
    assert_eq!(size, Size::bits(8));
    assert_eq!((size.min_bytes(), size.max_bytes()), (1, Some(1)));
    // {i32(-5..5)}(3): three 4-bit fields, no prefix: 12 bits, 2 bytes.
    let size = size_of(&array(ranged(NumKind::I32, Some(-5), Some(5)), 3, Some(3)));
    assert_eq!(size, Size::bits(12));
    assert_eq!(size.min_bytes(), 2);
    // A packed integer next to a whole-width one: bits plus bytes.
    let rec = record(vec![
        field("level", ranged(NumKind::U16, Some(1), Some(999))),
        field("gold", ranged(NumKind::U32, Some(1), None)),
    ]);
    assert_eq!(size_of(&rec), exact(4, 10));
    assert_eq!(size_of(&rec).min_bytes(), 6);
}

#[test]
fn strings() {
    // string(..64): a 7-bit prefix (span 64 = 0b100_0000), then 0 to 64 bytes.
    let short = size_of(&string(0, Some(64)));
    assert_eq!(short, range(Extent::bits(7), Extent { bytes: 64, bits: 7 }));
    assert_eq!((short.min_bytes(), short.max_bytes()), (1, Some(65)));
    // string(8): no prefix.
    assert_eq!(size_of(&string(8, Some(8))), Size::bytes(8));
    // string(..255): an 8-bit prefix; string(..256): 9 bits.
    assert_eq!(
        size_of(&string(0, Some(255))),
        range(
            Extent::bits(8),
            Extent {
                bytes: 255,
                bits: 8
            }
        )
    );
    let nine = size_of(&string(0, Some(256)));
    assert_eq!(
        nine,
        range(
            Extent::bits(9),
            Extent {
                bytes: 256,
                bits: 9
            }
        )
    );
    assert_eq!((nine.min_bytes(), nine.max_bytes()), (2, Some(258)));
    // Unbounded: a varint of 1 to 5 bytes.
    let unbounded = size_of(&string(0, None));
    assert_eq!(unbounded, Size::unbounded(Extent::bytes(1)));
    let at_least = size_of(&string(5, None));
    assert_eq!(at_least, Size::unbounded(Extent::bytes(1 + 5)));
    // buffer(10..300): span 290, a 9-bit prefix.
    let buffer = ty(TyKind::Buffer {
        len: len(10, Some(300)),
    });
    assert_eq!(
        size_of(&buffer),
        range(
            Extent { bytes: 10, bits: 9 },
            Extent {
                bytes: 300,
                bits: 9
            }
        )
    );
    assert_eq!(size_of(&buffer).min_bytes(), 12);
}

#[test]
fn length_prefixes() {
    // A bounded range: `len - min` in a field of the bit length of
    // `max - min`.
    let prefix = |min, max| length_prefix(len(min, max));
    assert_eq!(prefix(7, Some(7)), Size::ZERO);
    assert_eq!(prefix(0, Some(1)), Size::bits(1));
    assert_eq!(prefix(5, Some(6)), Size::bits(1));
    assert_eq!(prefix(0, Some(2)), Size::bits(2));
    assert_eq!(prefix(0, Some(3)), Size::bits(2));
    assert_eq!(prefix(0, Some(4)), Size::bits(3));
    assert_eq!(prefix(0, Some(8)), Size::bits(4));
    assert_eq!(prefix(2, Some(20)), Size::bits(5));
    assert_eq!(prefix(0, Some(63)), Size::bits(6));
    assert_eq!(prefix(0, Some(64)), Size::bits(7));
    assert_eq!(prefix(0, Some(255)), Size::bits(8));
    assert_eq!(prefix(100, Some(355)), Size::bits(8));
    assert_eq!(prefix(0, Some(256)), Size::bits(9));
    assert_eq!(prefix(0, Some(65535)), Size::bits(16));
    assert_eq!(prefix(0, Some(65536)), Size::bits(17));
    assert_eq!(prefix(0, Some(u32::MAX)), Size::bits(32));
    assert_eq!(prefix(u32::MAX, Some(u32::MAX)), Size::ZERO);
    for (span, bits) in [
        (0, 0),
        (1, 1),
        (2, 2),
        (3, 2),
        (4, 3),
        (7, 3),
        (8, 4),
        (255, 8),
        (256, 9),
        (u64::from(u32::MAX), 32),
        (u64::MAX, 64),
    ] {
        assert_eq!(span_bits(span), bits, "span {span}");
    }
    // Unbounded: a varint.
    assert_eq!(prefix(0, None), range(Extent::bytes(1), Extent::bytes(5)));
    assert_eq!(
        prefix(u32::MAX - 127, None),
        range(Extent::bytes(1), Extent::bytes(1))
    );
    assert_eq!(varint_bytes(0), 1);
    assert_eq!(varint_bytes(127), 1);
    assert_eq!(varint_bytes(128), 2);
    assert_eq!(varint_bytes(u32::MAX.into()), 5);
}

#[test]
fn optional_boolean_is_two_bits_at_most() {
    assert_eq!(
        size_of(&optional(boolean())),
        range(Extent::bits(1), Extent::bits(2))
    );
    let size = size_of(&optional(num(NumKind::U32)));
    assert_eq!(size, range(Extent::bits(1), Extent { bytes: 4, bits: 1 }));
    assert_eq!((size.min_bytes(), size.max_bytes()), (1, Some(5)));
}

#[test]
fn thousand_booleans_pack_into_125_bytes() {
    let exactly = size_of(&array(boolean(), 1000, Some(1000)));
    assert_eq!(exactly, Size::bits(1000));
    assert_eq!((exactly.min_bytes(), exactly.max_bytes()), (125, Some(125)));
    // A 10-bit prefix (span 1000) and 0 to 1000 bits.
    let up_to = size_of(&array(boolean(), 0, Some(1000)));
    assert_eq!(up_to, range(Extent::bits(10), Extent::bits(1010)));
    assert_eq!((up_to.min_bytes(), up_to.max_bytes()), (2, Some(127)));
    let unbounded = size_of(&array(boolean(), 0, None));
    assert_eq!((unbounded.min_bytes(), unbounded.max_bytes()), (1, None));
}

#[test]
fn maps_and_records() {
    let map = ty(TyKind::Map {
        key: Box::new(string(0, Some(8))),
        value: Box::new(num(NumKind::U16)),
        len: len(1, Some(4)),
    });
    // A 2-bit count (span 3); each entry a 4-bit key length, 0 to 8 key
    // bytes and a u16.
    assert_eq!(
        size_of(&map),
        range(
            Extent {
                bytes: 2,
                bits: 2 + 4
            },
            Extent {
                bytes: 4 * (8 + 2),
                bits: 2 + 4 * 4
            }
        )
    );
    assert_eq!(
        (size_of(&map).min_bytes(), size_of(&map).max_bytes()),
        (3, Some(43))
    );
    let rec = record(vec![
        field("a", boolean()),
        field("b", num(NumKind::F32)),
        field("c", optional(boolean())),
    ]);
    assert_eq!(
        size_of(&rec),
        range(Extent { bytes: 4, bits: 2 }, Extent { bytes: 4, bits: 3 })
    );
    let empty = array(string(0, None), 0, Some(0));
    assert_eq!(size_of(&empty), Size::ZERO);
}

#[test]
fn enum_tags() {
    for (n, bits) in [
        (0, 0),
        (1, 0),
        (2, 1),
        (3, 2),
        (4, 2),
        (5, 3),
        (256, 8),
        (257, 9),
    ] {
        assert_eq!(tag_bits(n), bits, "{n} variants");
        let s = schema(vec![enum_decl("E", vec![None; n as usize])]);
        assert_eq!(SizeModel::new(&s).of(&named(0)), Size::bits(bits));
    }
    let s = schema(vec![enum_decl(
        "E",
        vec![
            None,
            Some(vec![field("x", num(NumKind::U32))]),
            Some(vec![field("s", string(0, Some(10)))]),
        ],
    )]);
    // Tag 2 bits; the largest variant is the string: a 4-bit prefix (span
    // 10) and 10 bytes, which beats the u32.
    assert_eq!(
        SizeModel::new(&s).decl(DeclId(0)),
        range(
            Extent::bits(2),
            Extent {
                bytes: 10,
                bits: 2 + 4
            }
        )
    );
}

#[test]
fn choices_compare_bits_and_bytes_together() {
    let one_byte = Extent::bytes(1);
    assert_eq!(Extent::bits(9).compare(&one_byte), Ordering::Greater);
    assert_eq!(Extent::bits(8).compare(&one_byte), Ordering::Equal);
    assert_eq!(Extent::bits(7).compare(&one_byte), Ordering::Less);
    // A variant of one byte against one of nine booleans.
    let s = schema(vec![enum_decl(
        "E",
        vec![
            Some(vec![field("x", num(NumKind::U8))]),
            Some((0..9).map(|i| field(&format!("b{i}"), boolean())).collect()),
        ],
    )]);
    assert_eq!(
        SizeModel::new(&s).decl(DeclId(0)),
        range(Extent { bytes: 1, bits: 1 }, Extent::bits(10))
    );
}

#[test]
fn datatypes() {
    let of = |d| size_of(&ty(TyKind::Datatype { datatype: d }));
    assert_eq!(of(Datatype::CFrame), exact(18, 2));
    assert_eq!(of(Datatype::CFrame).min_bytes(), 19);
    assert_eq!(of(Datatype::Vector3), Size::bytes(12));
    assert_eq!(of(Datatype::Vector2), Size::bytes(8));
    assert_eq!(of(Datatype::Color3), Size::bytes(12));
    assert_eq!(of(Datatype::BrickColor), Size::bytes(2));
    assert_eq!(of(Datatype::UDim), Size::bytes(8));
    assert_eq!(of(Datatype::UDim2), Size::bytes(16));
    assert_eq!(of(Datatype::Rect), Size::bytes(16));
    assert_eq!(of(Datatype::NumberRange), Size::bytes(8));
    assert_eq!(of(Datatype::DateTime), Size::bytes(8));
    // A 5-bit keypoint count (range 2..20, span 18), then the keypoints.
    assert_eq!(
        of(Datatype::NumberSequence),
        range(
            Extent {
                bytes: 2 * 12,
                bits: 5
            },
            Extent {
                bytes: 20 * 12,
                bits: 5
            }
        )
    );
    assert_eq!(of(Datatype::NumberSequence).min_bytes(), 25);
    assert_eq!(
        of(Datatype::ColorSequence),
        range(
            Extent {
                bytes: 2 * 16,
                bits: 5
            },
            Extent {
                bytes: 20 * 16,
                bits: 5
            }
        )
    );
    assert_eq!(of(Datatype::ColorSequence).max_bytes(), Some(321));
}

#[test]
fn roblox_enums() {
    let of = |name: &str| size_of(&ty(TyKind::RobloxEnum { name: name.into() }));
    let count = roblox::enum_item_count("Material").unwrap_or(0) as u64;
    assert!(count > 32);
    assert_eq!(of("Material"), Size::bits(tag_bits(count)));
    assert_eq!(of("NoSuchEnum"), Size::ZERO);
}

#[test]
fn recursive_types_have_no_largest_size() {
    // type Tree = { value: u8, children: {Tree}(..4) }
    // type List = { head: u16, tail: List? }
    // type Holder = { tree: Tree, flag: boolean }
    let s = schema(vec![
        alias(
            "Tree",
            record(vec![
                field("value", num(NumKind::U8)),
                field("children", array(named(0), 0, Some(4))),
            ]),
        ),
        alias(
            "List",
            record(vec![
                field("head", num(NumKind::U16)),
                field("tail", optional(named(1))),
            ]),
        ),
        alias(
            "Holder",
            record(vec![field("tree", named(0)), field("flag", boolean())]),
        ),
    ]);
    let mut model = SizeModel::new(&s);
    // Tree: a u8 and a 3-bit count (span 4) of no children.
    assert_eq!(
        model.decl(DeclId(0)),
        Size::unbounded(Extent { bytes: 1, bits: 3 })
    );
    assert_eq!(
        model.decl(DeclId(1)),
        Size::unbounded(Extent { bytes: 2, bits: 1 })
    );
    assert_eq!(
        model.of(&named(2)),
        Size::unbounded(Extent { bytes: 1, bits: 4 })
    );
}

#[test]
fn mutual_recursion_finds_the_smallest_finite_value() {
    // type A = { b: B?, x: u8 }  type B = { a: A, y: u16 }
    let s = schema(vec![
        alias(
            "A",
            record(vec![
                field("b", optional(named(1))),
                field("x", num(NumKind::U8)),
            ]),
        ),
        alias(
            "B",
            record(vec![field("a", named(0)), field("y", num(NumKind::U16))]),
        ),
    ]);
    let mut model = SizeModel::new(&s);
    assert_eq!(
        model.decl(DeclId(1)),
        Size::unbounded(Extent { bytes: 3, bits: 1 })
    );
    assert_eq!(
        model.decl(DeclId(0)),
        Size::unbounded(Extent { bytes: 1, bits: 1 })
    );
}

#[test]
fn recursion_without_finite_values_terminates() {
    // type Bad = { next: Bad }; type Loop = Loop
    let s = schema(vec![
        alias("Bad", record(vec![field("next", named(0))])),
        alias("Loop", named(1)),
    ]);
    let mut model = SizeModel::new(&s);
    assert_eq!(model.decl(DeclId(0)).max, None);
    assert_eq!(model.decl(DeclId(1)), Size::unbounded(Extent::ZERO));
}

#[test]
fn references_through_functions_are_not_recursion() {
    // type Node = { id: u8, callback: (Node) -> (), empty: {Node}(0) }
    let callback = ty(TyKind::Function {
        params: vec![named(0)],
        returns: vec![],
    });
    let s = schema(vec![alias(
        "Node",
        record(vec![
            field("id", num(NumKind::U8)),
            field("callback", callback),
            field("empty", array(named(0), 0, Some(0))),
        ]),
    )]);
    assert_eq!(SizeModel::new(&s).decl(DeclId(0)), Size::bytes(1));
}

#[test]
fn huge_ranges_saturate() {
    let big = record(
        (0..100)
            .map(|i| field(&format!("f{i}"), num(NumKind::F64)))
            .collect(),
    );
    let nested = array(
        array(big, 0, Some(4_000_000_000)),
        4_000_000_000,
        Some(4_000_000_000),
    );
    let size = size_of(&nested);
    assert_eq!(size.max_bytes(), Some(u64::MAX));
    let all_bits = array(array(boolean(), 4_000_000_000, None), 4_000_000_000, None);
    let size = size_of(&all_bits);
    assert!(size.min_bytes() > 1 << 60);
    assert_eq!(size.max, None);
}

fn on_small_stack(test: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(test)
        .expect("spawn")
        .join()
        .expect("no stack overflow");
}

#[test]
fn long_alias_chains_do_not_overflow_the_stack() {
    on_small_stack(|| {
        const N: u32 = 10_000;
        // type A0 = A1, ..., type A9999 = u32
        let forward: Vec<_> = (0..N)
            .map(|i| {
                let t = if i + 1 < N {
                    named(i + 1)
                } else {
                    num(NumKind::U32)
                };
                alias(&format!("A{i}"), t)
            })
            .collect();
        let s = schema(forward);
        let mut model = SizeModel::new(&s);
        assert_eq!(model.of(&named(0)), Size::bytes(4));
        assert_eq!(model.decl(DeclId(N / 2)), Size::bytes(4));

        // type B0 = u16, type Bi = { prev: B(i-1), flag: boolean }
        let backward: Vec<_> = (0..N)
            .map(|i| {
                let t = if i == 0 {
                    num(NumKind::U16)
                } else {
                    record(vec![field("prev", named(i - 1)), field("flag", boolean())])
                };
                alias(&format!("B{i}"), t)
            })
            .collect();
        let s = schema(backward);
        let mut model = SizeModel::new(&s);
        let last = model.of(&named(N - 1));
        assert_eq!(last, exact(2, u64::from(N - 1)));

        // A cycle of 10,000: type Ci = C(i+1)?, type C9999 = { x: u8, next: C0 }
        let cycle: Vec<_> = (0..N)
            .map(|i| {
                let t = if i + 1 < N {
                    optional(named(i + 1))
                } else {
                    record(vec![field("x", num(NumKind::U8)), field("next", named(0))])
                };
                alias(&format!("C{i}"), t)
            })
            .collect();
        let s = schema(cycle);
        let mut model = SizeModel::new(&s);
        assert_eq!(model.of(&named(0)), Size::unbounded(Extent::bits(1)));
        assert_eq!(
            model.decl(DeclId(N - 1)),
            Size::unbounded(Extent { bytes: 1, bits: 1 })
        );
    });
}

fn endpoint(name: &str, call: Call, way: Direction, params: Vec<Field>) -> Endpoint {
    Endpoint {
        name: QualName(vec![name.to_string()]),
        name_span: sp(),
        span: sp(),
        call,
        route: Route::Remote(way),
        params,
        returns: (call == Call::Function).then(Vec::new),
        attrs: Attrs::default(),
        encoding: crate::ir::Encoding::Packed,
    }
}

#[test]
fn unreliable_envelope() {
    let mut moved = endpoint(
        "Moved",
        Call::Event,
        Direction::ClientToServer,
        vec![field(
            "to",
            ty(TyKind::Datatype {
                datatype: Datatype::Vector3,
            }),
        )],
    );
    moved.attrs.unreliable = Some(sp());
    let mut s = schema(Vec::new());
    s.endpoints.push(moved.clone());
    let mut model = SizeModel::new(&s);
    // The only message client → server: a 1-bit id, then the Vector3.
    assert_eq!(model.unreliable_event(&moved), exact(12, 1));
    assert_eq!(model.event(&moved, Flow::ClientToServer), exact(12, 1));
    assert_eq!(model.unreliable_event(&moved).min_bytes(), 1 + 12);

    moved.attrs.ordered = Some(sp());
    assert_eq!(model.unreliable_event(&moved), exact(2 + 12, 1));
    assert_eq!(model.event(&moved, Flow::ClientToServer), exact(2 + 12, 1));

    // 300 messages client → server need a 9-bit id, 1 server → client a
    // 1-bit one; a `client <-> server` event reports the wider id.
    let mut s = schema(Vec::new());
    for i in 0..299 {
        s.endpoints.push(endpoint(
            &format!("E{i}"),
            Call::Event,
            Direction::ClientToServer,
            vec![],
        ));
    }
    let mut both = endpoint(
        "Both",
        Call::Event,
        Direction::Both,
        vec![field("b", boolean())],
    );
    both.attrs.unreliable = Some(sp());
    s.endpoints.push(both.clone());
    let mut model = SizeModel::new(&s);
    assert_eq!(model.message_count(Flow::ClientToServer), 300);
    assert_eq!(model.message_count(Flow::ServerToClient), 1);
    assert_eq!(model.message_id(Flow::ClientToServer), Size::bits(9));
    assert_eq!(model.message_id(Flow::ServerToClient), Size::bits(1));
    assert_eq!(model.unreliable_event(&both), Size::bits(9 + 1));
    assert_eq!(model.unreliable_event(&both).min_bytes(), 2);
    assert_eq!(model.event(&both, Flow::ClientToServer), Size::bits(9 + 1));
    assert_eq!(model.event(&both, Flow::ServerToClient), Size::bits(1 + 1));
    assert_eq!(model.event(&both, Flow::ServerToClient).min_bytes(), 1);

    let big = endpoint(
        "Big",
        Call::Event,
        Direction::ServerToClient,
        vec![field("data", string(1000, Some(2000)))],
    );
    // A 1-bit id, a 10-bit prefix (span 1000) and at least 1000 bytes.
    let size = model.unreliable_event(&big);
    assert_eq!(
        size.min,
        Extent {
            bytes: 1000,
            bits: 11
        }
    );
    assert!(size.always_exceeds(UNRELIABLE_LIMIT));
    let maybe = endpoint(
        "Maybe",
        Call::Event,
        Direction::ServerToClient,
        vec![field("data", string(0, Some(2000)))],
    );
    let size = model.unreliable_event(&maybe);
    assert!(!size.always_exceeds(UNRELIABLE_LIMIT) && size.may_exceed(UNRELIABLE_LIMIT));
    // At the largest, 998 bytes and 1 + 10 bits (a 10-bit prefix, span
    // 998): exactly 1000 bytes, so it fits.
    let edge = endpoint(
        "Edge",
        Call::Event,
        Direction::ServerToClient,
        vec![field("data", string(0, Some(998)))],
    );
    let size = model.unreliable_event(&edge);
    assert_eq!(size.max_bytes(), Some(1000));
    assert!(!size.may_exceed(UNRELIABLE_LIMIT));
}

/// A schema with `n` client → server events and no other endpoint.
fn events_up(n: usize) -> Schema {
    let mut s = schema(Vec::new());
    for i in 0..n {
        s.endpoints.push(endpoint(
            &format!("E{i}"),
            Call::Event,
            Direction::ClientToServer,
            vec![],
        ));
    }
    s
}

#[test]
fn message_ids_take_ceil_log2_bits_and_at_least_one() {
    for (count, bits) in [
        (0, 1),
        (1, 1),
        (2, 1),
        (3, 2),
        (4, 2),
        (5, 3),
        (255, 8),
        (256, 8),
        (257, 9),
        (512, 9),
        (513, 10),
        (65536, 16),
    ] {
        assert_eq!(message_id_bits(count), bits, "{count} messages");
    }
    for (n, bits) in [(1, 1), (2, 1), (3, 2), (256, 8), (257, 9)] {
        let s = events_up(n);
        let model = SizeModel::new(&s);
        assert_eq!(model.message_count(Flow::ClientToServer), n as u64);
        assert_eq!(
            model.message_id(Flow::ClientToServer),
            Size::bits(bits),
            "{n} messages"
        );
        // An event with no params is its id alone: one byte up to 8 bits.
        let first = &s.endpoints[0];
        let mut model = SizeModel::new(&s);
        let size = model.event(first, Flow::ClientToServer);
        assert_eq!(size, Size::bits(bits));
        assert_eq!(size.min_bytes(), if bits <= 8 { 1 } else { 2 });
        // Nothing goes server → client, and bindables have no id.
        assert_eq!(model.message_count(Flow::ServerToClient), 0);
        assert_eq!(model.message_id(Flow::Local), Size::ZERO);
    }
}

#[test]
fn a_message_id_shares_its_bit_byte_with_the_body() {
    // 3 messages: a 2-bit id; six booleans fill the byte, a seventh does
    // not fit.
    let mut s = events_up(2);
    let flags = |n: usize| (0..n).map(|i| field(&format!("b{i}"), boolean())).collect();
    s.endpoints.push(endpoint(
        "Six",
        Call::Event,
        Direction::ClientToServer,
        flags(6),
    ));
    s.endpoints.push(endpoint(
        "Seven",
        Call::Event,
        Direction::ServerToClient,
        flags(7),
    ));
    let mut model = SizeModel::new(&s);
    assert_eq!(model.message_count(Flow::ClientToServer), 3);
    let six = s.endpoints[2].clone();
    let size = model.event(&six, Flow::ClientToServer);
    assert_eq!(size, Size::bits(2 + 6));
    assert_eq!(size.min_bytes(), 1);
    // Server → client has 1 message: a 1-bit id and seven flags, one byte.
    let seven = s.endpoints[3].clone();
    let size = model.event(&seven, Flow::ServerToClient);
    assert_eq!(size, Size::bits(1 + 7));
    assert_eq!(size.min_bytes(), 1);
    // A 2-bit id and a u8(0..100): 9 bits, two bytes.
    let mut s = events_up(3);
    s.endpoints[0]
        .params
        .push(field("hp", ranged(NumKind::U8, Some(0), Some(100))));
    let first = s.endpoints[0].clone();
    let size = SizeModel::new(&s).event(&first, Flow::ClientToServer);
    assert_eq!(size, Size::bits(2 + 7));
    assert_eq!(size.min_bytes(), 2);
}

#[test]
fn worked_example_from_the_wire_format_doc() {
    // enum Shape { Circle { radius: f32 }, Box { size: Vector3 }, Point }
    // remote event Hit: server -> client
    //     (target: u16, critical: boolean, shape: Shape, tag: string(..8)?)
    let vector3 = ty(TyKind::Datatype {
        datatype: Datatype::Vector3,
    });
    let mut s = schema(vec![enum_decl(
        "Shape",
        vec![
            Some(vec![field("radius", num(NumKind::F32))]),
            Some(vec![field("size", vector3)]),
            None,
        ],
    )]);
    let hit = endpoint(
        "Hit",
        Call::Event,
        Direction::ServerToClient,
        vec![
            field("target", num(NumKind::U16)),
            field("critical", boolean()),
            field("shape", named(0)),
            field("tag", optional(string(0, Some(8)))),
        ],
    );
    s.endpoints.push(hit.clone());
    let size = SizeModel::new(&s).event(&hit, Flow::ServerToClient);
    // Smallest (`Point`, no tag): a 1-bit id, the u16, `critical`, the
    // 2-bit tag of Shape and the absent flag: 2 bytes and 5 bits.
    // Largest (`Box`, an 8-byte tag): the u16 and the Vector3, the same
    // bits plus a 4-bit length (span 8), and 8 bytes: 22 bytes and 9 bits.
    assert_eq!(
        size,
        range(
            Extent {
                bytes: 2,
                bits: 1 + 1 + 2 + 1
            },
            Extent {
                bytes: 2 + 12 + 8,
                bits: 1 + 1 + 2 + 1 + 4
            }
        )
    );
    assert_eq!((size.min_bytes(), size.max_bytes()), (3, Some(24)));
    // `Hit(513, true, Point, "hi")`: 2 + 2 bytes and 9 bits, 6 bytes.
    assert_eq!(
        Extent {
            bytes: 2 + 2,
            bits: 1 + 1 + 2 + 1 + 4
        }
        .total_bytes(),
        6
    );
}

#[test]
fn function_messages() {
    let mut get = endpoint(
        "Get",
        Call::Function,
        Direction::ClientToServer,
        vec![field("id", num(NumKind::U32))],
    );
    get.returns = Some(vec![num(NumKind::F64)]);
    let mut s = schema(Vec::new());
    s.endpoints.push(get.clone());
    let mut model = SizeModel::new(&s);
    assert_eq!(model.message_count(Flow::ClientToServer), 1);
    assert_eq!(model.message_count(Flow::ServerToClient), 1);
    // A 1-bit id, the call id, the u32.
    let request = model.request(&get, Flow::ClientToServer);
    assert_eq!(request, exact(2 + 4, 1));
    assert_eq!(request.min_bytes(), 7);
    // A 1-bit id, the call id, the status bit; then ok: 8 bytes of returns,
    // or error: an 8-bit length (string(..255)) and 0 to 255 bytes. The
    // empty error (8 bits) is smaller than the returns, the longest error
    // larger.
    let response = model.response(&get, Flow::ServerToClient);
    assert_eq!(
        response,
        range(
            Extent {
                bytes: 2,
                bits: 1 + 1 + 8
            },
            Extent {
                bytes: 2 + 255,
                bits: 1 + 1 + 8
            }
        )
    );
    assert_eq!((response.min_bytes(), response.max_bytes()), (4, Some(259)));
    assert_eq!(length_prefix(ERROR_MESSAGE_LEN), Size::bits(8));
}

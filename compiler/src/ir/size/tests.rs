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
    let ranged = ty(TyKind::Number {
        kind: NumKind::U8,
        range: Some(crate::ir::NumRange::Int {
            min: Some(1),
            max: Some(100),
        }),
        nonfinite: false,
    });
    assert_eq!(size_of(&ranged), Size::bytes(1));
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
fn strings() {
    let short = size_of(&string(0, Some(64)));
    assert_eq!((short.min_bytes(), short.max_bytes()), (1, Some(65)));
    assert_eq!(size_of(&string(8, Some(8))), Size::bytes(8));
    let unbounded = size_of(&string(0, None));
    assert_eq!((unbounded.min_bytes(), unbounded.max_bytes()), (1, None));
    let at_least = size_of(&string(5, None));
    assert_eq!((at_least.min_bytes(), at_least.max_bytes()), (6, None));
    let buffer = ty(TyKind::Buffer {
        len: len(10, Some(300)),
    });
    assert_eq!(
        size_of(&buffer),
        range(Extent::bytes(12), Extent::bytes(302))
    );
}

#[test]
fn length_prefixes() {
    let prefix = |min, max| length_prefix(len(min, max));
    assert_eq!(prefix(7, Some(7)), Size::ZERO);
    assert_eq!(prefix(0, Some(255)), Size::bytes(1));
    assert_eq!(prefix(100, Some(355)), Size::bytes(1));
    assert_eq!(prefix(0, Some(256)), Size::bytes(2));
    assert_eq!(prefix(0, Some(65535)), Size::bytes(2));
    assert_eq!(prefix(0, Some(65536)), Size::bytes(4));
    assert_eq!(prefix(0, Some(u32::MAX)), Size::bytes(4));
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
    let up_to = size_of(&array(boolean(), 0, Some(1000)));
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
    assert_eq!(
        size_of(&map),
        range(Extent::bytes(1 + 3), Extent::bytes(1 + 4 * 11))
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
    assert_eq!(
        SizeModel::new(&s).decl(DeclId(0)),
        range(Extent::bits(2), Extent { bytes: 11, bits: 2 })
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
    assert_eq!(
        of(Datatype::NumberSequence),
        range(Extent::bytes(1 + 2 * 12), Extent::bytes(1 + 20 * 12))
    );
    assert_eq!(
        of(Datatype::ColorSequence),
        range(Extent::bytes(1 + 2 * 16), Extent::bytes(1 + 20 * 16))
    );
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
    assert_eq!(model.decl(DeclId(0)), Size::unbounded(Extent::bytes(2)));
    assert_eq!(
        model.decl(DeclId(1)),
        Size::unbounded(Extent { bytes: 2, bits: 1 })
    );
    assert_eq!(
        model.of(&named(2)),
        Size::unbounded(Extent { bytes: 2, bits: 1 })
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
    assert_eq!(model.unreliable_event(&moved), Size::bytes(1 + 12));
    assert_eq!(
        model.event(&moved, Flow::ClientToServer),
        Size::bytes(1 + 12)
    );

    moved.attrs.ordered = Some(sp());
    assert_eq!(model.unreliable_event(&moved), Size::bytes(1 + 2 + 12));
    assert_eq!(
        model.event(&moved, Flow::ClientToServer),
        Size::bytes(1 + 2 + 12)
    );

    // 300 messages client → server need a u16 id; a `client <-> server`
    // event reports the wider id.
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
    assert_eq!(model.unreliable_event(&both), exact(2, 1));
    assert_eq!(model.event(&both, Flow::ServerToClient), exact(1, 1));

    let big = endpoint(
        "Big",
        Call::Event,
        Direction::ServerToClient,
        vec![field("data", string(1000, Some(2000)))],
    );
    let size = model.unreliable_event(&big);
    assert!(size.always_exceeds(UNRELIABLE_LIMIT));
    let maybe = endpoint(
        "Maybe",
        Call::Event,
        Direction::ServerToClient,
        vec![field("data", string(0, Some(2000)))],
    );
    let size = model.unreliable_event(&maybe);
    assert!(!size.always_exceeds(UNRELIABLE_LIMIT) && size.may_exceed(UNRELIABLE_LIMIT));
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
    assert_eq!(
        size,
        range(Extent { bytes: 3, bits: 4 }, Extent { bytes: 24, bits: 4 })
    );
    assert_eq!((size.min_bytes(), size.max_bytes()), (4, Some(25)));
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
    assert_eq!(
        model.request(&get, Flow::ClientToServer),
        Size::bytes(1 + 2 + 4)
    );
    // ok: 8 bytes of returns; error: a 1-byte length and up to 255 bytes.
    assert_eq!(
        model.response(&get, Flow::ServerToClient),
        range(
            Extent {
                bytes: 1 + 2 + 1,
                bits: 1
            },
            Extent {
                bytes: 1 + 2 + 256,
                bits: 1
            }
        )
    );
}

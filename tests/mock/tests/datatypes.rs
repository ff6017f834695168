//! Roblox datatypes: binary32 components, value equality, validation, Enum, and their
//! trip across the network.

use tether_roblox_mock::{MockError, Place, Side};

fn server(place: &mut Place, source: &str) -> Result<bool, MockError> {
    place.eval_as::<bool>(Side::Server, source)
}

#[test]
fn components_are_rounded_to_binary32() -> Result<(), MockError> {
    let mut place = Place::new()?;
    let f = |x: f32| f64::from(x);
    let values = place.eval_as::<Vec<f64>>(
        Side::Server,
        r#"{
            Vector3.new(0.1, 0, 0).X,
            Vector2.new(0, 0.2).Y,
            CFrame.new(0.3, 0, 0).X,
            select(4, CFrame.new(0, 0, 0, 0.1, 0, 0, 0, 1, 0, 0, 0, 1):GetComponents()),
            Color3.new(0.4, 0, 0).R,
            UDim.new(0.5, 0).Scale,
            UDim2.new(0.6, 0, 0, 0).X.Scale,
            Rect.new(0.7, 0, 1, 1).Min.X,
            NumberRange.new(0.8).Min,
            NumberSequenceKeypoint.new(0, 0.9).Value,
        }"#,
    )?;
    assert_eq!(
        values,
        [
            f(0.1),
            f(0.2),
            f(0.3),
            f(0.1),
            f(0.4),
            f(0.5),
            f(0.6),
            f(0.7),
            f(0.8),
            f(0.9)
        ]
    );
    assert_eq!(
        place.eval_as::<(f64, f64)>(
            Side::Server,
            "UDim.new(0, 5.7).Offset, UDim.new(0, -5.7).Offset"
        )?,
        (5.0, -5.0)
    );
    Ok(())
}

#[test]
fn values_compare_by_value_and_know_their_type() -> Result<(), MockError> {
    let mut place = Place::new()?;
    assert!(server(
        &mut place,
        r#"Vector3.new(1, 2, 3) == Vector3.new(1, 2, 3)
            and Vector3.new(0.1, 0, 0) == Vector3.new(0.1, 0, 0)
            and Vector2.new(1, 2) == Vector2.new(1, 2) and Vector2.new(1, 2) ~= Vector2.new(2, 1)
            and CFrame.new(1, 2, 3) == CFrame.new(1, 2, 3)
            and Color3.fromRGB(255, 0, 0) == Color3.new(1, 0, 0)
            and UDim2.fromScale(0.5, 1) == UDim2.new(0.5, 0, 1, 0)
            and NumberSequence.new(1, 2) == NumberSequence.new(1, 2)
            and DateTime.fromUnixTimestamp(1) == DateTime.fromUnixTimestampMillis(1000)
            and CFrame.new() ~= Vector2.new()"#
    )?);
    let types = place.eval_as::<Vec<String>>(
        Side::Server,
        r#"{ typeof(Vector3.zero), typeof(Vector2.one), typeof(CFrame.new()), typeof(Color3.new()),
             typeof(BrickColor.new(1)), typeof(UDim.new()), typeof(UDim2.new()), typeof(Rect.new()),
             typeof(NumberRange.new(1)), typeof(NumberSequence.new(1)), typeof(ColorSequence.new(Color3.new())),
             typeof(DateTime.now()), typeof(game), typeof(buffer.create(1)), type(CFrame.new()) }"#,
    )?;
    assert_eq!(
        types,
        [
            "Vector3",
            "Vector2",
            "CFrame",
            "Color3",
            "BrickColor",
            "UDim",
            "UDim2",
            "Rect",
            "NumberRange",
            "NumberSequence",
            "ColorSequence",
            "DateTime",
            "Instance",
            "buffer",
            "userdata"
        ]
    );
    assert!(server(
        &mut place,
        "not pcall(function() local v = Vector2.new() v.X = 1 end)"
    )?);
    assert_eq!(
        place.eval_as::<String>(Side::Server, "tostring(Vector3.new(1, 2.5, -3))")?,
        "1, 2.5, -3"
    );
    Ok(())
}

#[test]
fn vector_and_cframe_math() -> Result<(), MockError> {
    let mut place = Place::new()?;
    assert!(server(
        &mut place,
        r#"(Vector3.new(1, 2, 3) + Vector3.one) == Vector3.new(2, 3, 4)
            and Vector3.new(3, 4, 0).Magnitude == 5
            and Vector3.xAxis:Cross(Vector3.yAxis) == Vector3.zAxis
            and Vector3.new(1, 2, 3):Dot(Vector3.one) == 6
            and -Vector2.new(1, 2) == Vector2.new(-1, -2) and Vector2.new(2, 4) / 2 == Vector2.new(1, 2)
            and (CFrame.new(1, 2, 3) * Vector3.new(1, 1, 1)) == Vector3.new(2, 3, 4)
            and (CFrame.Angles(0.3, 0.2, 0.1) * CFrame.Angles(0.3, 0.2, 0.1):Inverse()):FuzzyEq(CFrame.new())
            and CFrame.lookAt(Vector3.zero, Vector3.new(0, 0, -10)):FuzzyEq(CFrame.new())"#
    )?);
    Ok(())
}

#[test]
fn a_rotated_cframe_has_robloxs_components() -> Result<(), MockError> {
    let mut place = Place::new()?;
    // Roblox: CFrame.new(1, 2, 3) * CFrame.Angles(0, math.pi / 2, 0) prints
    // 1, 2, 3, -4.37113883e-08, 0, 1, 0, 1, 0, -1, 0, -4.37113883e-08
    let c = place.eval_as::<Vec<f64>>(
        Side::Server,
        "{ (CFrame.new(1, 2, 3) * CFrame.Angles(0, math.pi / 2, 0)):GetComponents() }",
    )?;
    let tiny = f64::from(-4.371_139e-8_f32);
    assert_eq!(
        c,
        [1.0, 2.0, 3.0, tiny, 0.0, 1.0, 0.0, 1.0, 0.0, -1.0, 0.0, tiny]
    );
    let look = place.eval_as::<Vec<f64>>(
        Side::Server,
        "local v = CFrame.Angles(0, math.pi / 2, 0).LookVector return { v.X, v.Y, v.Z }",
    )?;
    assert_eq!(look, [-1.0, 0.0, -tiny]);
    Ok(())
}

#[test]
fn brick_colors_come_from_the_palette() -> Result<(), MockError> {
    let mut place = Place::new()?;
    let (number, name) = place.eval_as::<(f64, String)>(
        Side::Server,
        "BrickColor.new(9999).Number, BrickColor.new(9999).Name",
    )?;
    assert_eq!((number, name.as_str()), (194.0, "Medium stone grey"));
    assert!(server(
        &mut place,
        r#"BrickColor.new(21).Name == "Bright red" and BrickColor.new("Bright red").Number == 21
            and BrickColor.new("no such color").Number == 194
            and BrickColor.new(Color3.new(1, 0, 0)).Name == "Really red"
            and BrickColor.Red() == BrickColor.new(21)
            and BrickColor.new(21).Color == Color3.fromRGB(196, 40, 28)"#
    )?);
    Ok(())
}

#[test]
fn sequences_and_ranges_are_validated_like_roblox() -> Result<(), MockError> {
    let mut place = Place::new()?;
    let errors = place.eval_as::<Vec<String>>(
        Side::Server,
        r#"
        local K = NumberSequenceKeypoint.new
        local function err(f, ...) local ok, e = pcall(f, ...) return if ok then "ok" else e end
        local many = {}
        for i = 0, 20 do many[i + 1] = K(i / 20, 0) end
        return {
            err(NumberSequence.new, { K(0, 1) }),
            err(NumberSequence.new, { K(0.1, 1), K(1, 1) }),
            err(NumberSequence.new, { K(0, 1), K(0.9, 1) }),
            err(NumberSequence.new, { K(0, 1), K(0.6, 1), K(0.5, 1), K(1, 1) }),
            err(NumberSequence.new, many),
            err(NumberRange.new, 2, 1),
            err(ColorSequence.new, { ColorSequenceKeypoint.new(0.5, Color3.new()), ColorSequenceKeypoint.new(1, Color3.new()) }),
            err(NumberSequence.new, { K(0, 1), K(0.5, 2), K(1, 1) }),
        }
        "#,
    )?;
    let expected = [
        "NumberSequence: requires at least 2 keypoints",
        "NumberSequence must start at time=0.0",
        "NumberSequence must end at time=1.0",
        "NumberSequence: all keypoints must be ordered by time",
        "NumberSequence: table is too long.",
        "NumberRange: invalid range",
        "ColorSequence must start at time=0.0",
        "ok",
    ];
    for (got, want) in errors.iter().zip(expected) {
        assert!(got.ends_with(want), "{got:?} should end with {want:?}");
    }
    assert_eq!(
        place.eval_as::<f64>(Side::Server, "NumberSequence.new(1, 2).Keypoints[2].Value")?,
        2.0
    );
    Ok(())
}

#[test]
fn date_times_format_as_iso_dates() -> Result<(), MockError> {
    let mut place = Place::new()?;
    let dates = place.eval_as::<Vec<String>>(
        Side::Server,
        r#"{ DateTime.fromUnixTimestamp(0):ToIsoDate(), DateTime.fromUnixTimestampMillis(1704067200123):ToIsoDate(),
             DateTime.fromUniversalTime(2000, 2, 29, 23, 59, 59):ToIsoDate() }"#,
    )?;
    assert_eq!(
        dates,
        [
            "1970-01-01T00:00:00Z",
            "2024-01-01T00:00:00.123Z",
            "2000-02-29T23:59:59Z"
        ]
    );
    Ok(())
}

#[test]
fn enums_come_from_the_reflection_database() -> Result<(), MockError> {
    let mut place = Place::new()?;
    assert!(server(
        &mut place,
        r#"Enum.Material.Plastic.Value == 256 and Enum.Material.Plastic.Name == "Plastic"
            and Enum.Material.Plastic.EnumType == Enum.Material
            and tostring(Enum.Material) == "Material" and tostring(Enum.Material.Plastic) == "Enum.Material.Plastic"
            and Enum.Material:FromValue(256) == Enum.Material.Plastic
            and Enum.Material:FromName("Plastic") == Enum.Material.Plastic
            and Enum.Material["Plastic"] == Enum["Material"].Plastic
            and Enum.KeyCode.A.Value == 97
            and #Enum.Material:GetEnumItems() > 20
            and typeof(Enum.Material.Plastic) == "EnumItem" and typeof(Enum.Material) == "Enum" and typeof(Enum) == "Enums"
            and not pcall(function() return Enum.Material.NotAMaterial end)
            and Enum.Material.Plastic:IsA("Material")"#
    )?);
    Ok(())
}

#[test]
fn datatypes_cross_the_network_intact() -> Result<(), MockError> {
    let mut place = Place::new()?;
    let client = place.add_client("Alice")?;
    let values = r#"
        Vector3.new(0.1, 2, 3), Vector2.new(4, 5.5), CFrame.new(1, 2, 3) * CFrame.Angles(0.1, 0.2, 0.3),
        Color3.fromRGB(10, 20, 30), BrickColor.new(21), UDim.new(0.5, 7), UDim2.new(0.1, 2, 0.3, 4),
        Rect.new(1, 2, 3, 4), NumberRange.new(1, 2), NumberSequence.new(1, 2),
        ColorSequence.new(Color3.new(1, 0, 0), Color3.new(0, 0, 1)), DateTime.fromUnixTimestampMillis(123456),
        Enum.Material.Grass, buffer.fromstring("abc")
    "#;
    place.run(
        Side::Server,
        "Instance.new('RemoteEvent', game.ReplicatedStorage)",
    )?;
    place.step(0.1)?;
    place.run(
        Side::Client(client),
        &format!(
            r#"game.ReplicatedStorage.RemoteEvent.OnClientEvent:Connect(function(...)
                local got, want = {{ ... }}, {{ {values} }}
                for i = 1, #want - 1 do
                    if got[i] ~= want[i] then print("differs", i, got[i], want[i]) end
                end
                print("checked", #got, buffer.tostring(got[#got]))
            end)"#
        ),
    )?;
    place.run(
        Side::Server,
        &format!("game.ReplicatedStorage.RemoteEvent:FireAllClients({values})"),
    )?;
    place.step(0.1)?;
    let out: Vec<String> = place
        .output(Side::Client(client))?
        .into_iter()
        .map(|l| l.text)
        .collect();
    assert_eq!(out, ["checked 14 abc"]);
    Ok(())
}

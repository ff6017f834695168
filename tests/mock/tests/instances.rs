//! The instance tree: classes from the reflection database, properties, methods,
//! attributes and signals.

use tether_roblox_mock::{MockError, Place, Side};

fn check(place: &mut Place, source: &str) -> Result<bool, MockError> {
    place.eval_as::<bool>(Side::Server, source)
}

#[test]
fn classes_follow_the_real_hierarchy() -> Result<(), MockError> {
    let mut place = Place::new()?;
    assert!(check(
        &mut place,
        r#"(function()
            local part = Instance.new("Part")
            local mesh = Instance.new("MeshPart")
            return part:IsA("Part") and part:IsA("BasePart") and part:IsA("PVInstance") and part:IsA("Instance")
                and not part:IsA("Model") and mesh:IsA("BasePart") and not mesh:IsA("Part")
                and Instance.new("UnreliableRemoteEvent"):IsA("BaseRemoteEvent")
                and game:IsA("ServiceProvider") and workspace:IsA("Model")
                and Instance.new("Tool"):IsA("BackpackItem")
                and Instance.new("Sparkles").ClassName == "Sparkles"
        end)()"#
    )?);
    let errors = place.eval_as::<Vec<String>>(
        Side::Server,
        r#"
        local function err(f, ...) local ok, e = pcall(f, ...) return if ok then "ok" else e end
        return { err(Instance.new, "Player"), err(Instance.new, "NotAClass"), err(Instance.new, "Workspace") }
        "#,
    )?;
    assert!(
        errors[0].ends_with("Unable to create an Instance of type \"Player\""),
        "{}",
        errors[0]
    );
    assert!(errors[1].ends_with("Unable to create an Instance of type \"NotAClass\""));
    assert!(errors[2].ends_with("Unable to create an Instance of type \"Workspace\""));
    Ok(())
}

#[test]
fn properties_have_defaults_and_are_checked() -> Result<(), MockError> {
    let mut place = Place::new()?;
    assert!(check(
        &mut place,
        r#"(function()
            local part = Instance.new("Part")
            local defaults = part.Anchored == false and typeof(part.Size) == "Vector3" and part.Material == Enum.Material.Plastic
            part.Anchored = true
            local child = Instance.new("Folder", part)
            child.Name = "Name"
            return defaults and part.Anchored and part.Name == "Part" and part.ClassName == "Part"
                and not pcall(function() part.Anchord = true end)
                and not pcall(function() return part.Nope end)
                and not pcall(function() part.ClassName = "Model" end)
        end)()"#
    )?);
    let message = place.eval_as::<String>(
        Side::Server,
        "select(2, pcall(function() return workspace.Missing end))",
    )?;
    assert!(
        message.ends_with("Missing is not a valid member of Workspace \"Workspace\""),
        "{message}"
    );
    Ok(())
}

#[test]
fn tree_methods() -> Result<(), MockError> {
    let mut place = Place::new()?;
    assert!(check(
        &mut place,
        r#"(function()
            local model = Instance.new("Model", workspace)
            model.Name = "House"
            local door = Instance.new("Part", model)
            door.Name = "Door"
            local knob = Instance.new("Part", door)
            knob.Name = "Knob"
            local added = {}
            model.DescendantAdded:Connect(function(d) table.insert(added, d.Name) end)
            local extra = Instance.new("Folder")
            extra.Name = "Extra"
            extra.Parent = door
            local copy = model:Clone()
            local ok = model:FindFirstChild("Knob") == nil and model:FindFirstChild("Knob", true) == knob
                and #model:GetDescendants() == 3 and knob:GetFullName() == "Workspace.House.Door.Knob"
                and knob:IsDescendantOf(workspace) and model:IsAncestorOf(knob)
                and knob:FindFirstAncestorOfClass("Model") == model and model:FindFirstChildOfClass("Part") == door
                and model:FindFirstChildWhichIsA("BasePart") == door and model.Door.Knob == knob
                and added[1] == "Extra" and copy.Parent == nil and copy.Door.Knob ~= knob and copy.Door.Knob.Name == "Knob"
            model:Destroy()
            return ok and model.Parent == nil and knob.Parent == nil
                and not pcall(function() model.Parent = workspace end)
                and workspace:FindFirstChild("House") == nil
        end)()"#
    )?);
    Ok(())
}

#[test]
fn attributes_are_validated_and_signal_changes() -> Result<(), MockError> {
    let mut place = Place::new()?;
    assert!(check(
        &mut place,
        r#"(function()
            local f = Instance.new("Folder")
            local changes = {}
            f:GetAttributeChangedSignal("hp"):Connect(function() table.insert(changes, f:GetAttribute("hp")) end)
            f:SetAttribute("hp", 10)
            f:SetAttribute("hp", 10)
            f:SetAttribute("hp", 5)
            f:SetAttribute("name", "x")
            f:SetAttribute("pos", Vector3.one)
            local attrs = f:GetAttributes()
            return #changes == 2 and changes[2] == 5 and attrs.name == "x" and attrs.pos == Vector3.one
                and not pcall(f.SetAttribute, f, "RBXreserved", 1)
                and not pcall(f.SetAttribute, f, "bad name", 1)
                and not pcall(f.SetAttribute, f, "t", {})
                and not pcall(f.SetAttribute, f, "i", workspace)
        end)()"#
    )?);
    Ok(())
}

#[test]
fn services_and_globals() -> Result<(), MockError> {
    let mut place = Place::new()?;
    assert!(check(
        &mut place,
        r#"game:GetService("Workspace") == workspace and game.Workspace == workspace
            and game:GetService("ReplicatedStorage") == game.ReplicatedStorage
            and game:FindService("Teams") ~= nil
            and game:GetService("CollectionService").Parent == game
            and not pcall(game.GetService, game, "NotAService")
            and typeof(shared) == "table" and typeof(_G) == "table"
            and bit32.band(7, 3) == 3 and utf8.char(72) == "H" and buffer.len(buffer.create(4)) == 4
            and string.format("%d", 3) == "3" and math.floor(2.5) == 2 and table.find({1, 2}, 2) == 2"#
    )?);
    Ok(())
}

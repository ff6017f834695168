//! Replication from the server VM to client VMs, and players joining and leaving.

use tether_roblox_mock::{MockError, OutputKind, Place, Side};

#[test]
fn replicated_instances_reach_clients_at_the_next_step() -> Result<(), MockError> {
    let mut place = Place::new()?;
    let client = place.add_client("Alice")?;
    let c = Side::Client(client);
    place.run(
        c,
        r#"
        local folder = game.ReplicatedStorage:WaitForChild("Stuff")
        print("got", folder.ClassName, folder:GetAttribute("n"), folder:WaitForChild("Part"):IsA("BasePart"))
        "#,
    )?;
    place.run(
        Side::Server,
        r#"
        local folder = Instance.new("Folder")
        folder.Name = "Stuff"
        folder:SetAttribute("n", 5)
        Instance.new("Part", folder)
        folder.Parent = game.ReplicatedStorage
        "#,
    )?;
    assert!(place.output(c)?.is_empty(), "nothing crosses before a step");
    place.step(1.0 / 60.0)?;
    assert_eq!(place.output(c)?[0].text, "got Folder 5 true");

    place.run(Side::Server, "game.ReplicatedStorage.Stuff:SetAttribute('n', 6) game.ReplicatedStorage.Stuff.Name = 'Things'")?;
    place.step(1.0 / 60.0)?;
    assert_eq!(
        place.eval_as::<f64>(c, "game.ReplicatedStorage.Things:GetAttribute('n')")?,
        6.0
    );

    place.run(
        Side::Server,
        "game.ReplicatedStorage.Things.Part.Parent = game.Workspace",
    )?;
    place.step(1.0 / 60.0)?;
    assert!(place.eval_as::<bool>(c, "workspace:FindFirstChild('Part') ~= nil and #game.ReplicatedStorage.Things:GetChildren() == 0")?);

    place.run(Side::Server, "game.ReplicatedStorage.Things:Destroy()")?;
    place.step(1.0 / 60.0)?;
    assert!(place.eval_as::<bool>(c, "game.ReplicatedStorage:FindFirstChild('Things') == nil")?);
    Ok(())
}

#[test]
fn server_only_and_client_made_instances_stay_where_they_are() -> Result<(), MockError> {
    let mut place = Place::new()?;
    let client = place.add_client("Alice")?;
    let c = Side::Client(client);
    place.run(Side::Server, "Instance.new('Folder', game.ServerStorage).Name = 'Secret' Instance.new('Folder', game.ServerScriptService)")?;
    place.run(c, "Instance.new('Part', workspace).Name = 'Mine'")?;
    place.step(0.1)?;
    assert!(place.eval_as::<bool>(c, "game.ServerStorage:FindFirstChild('Secret') == nil and #game.ServerScriptService:GetChildren() == 0")?);
    assert!(place.eval_as::<bool>(Side::Server, "workspace:FindFirstChild('Mine') == nil")?);
    assert!(place.net_id(c, "Workspace.Mine")?.is_none());

    // Moving an instance out of a replicated service removes it from clients.
    place.run(
        Side::Server,
        "Instance.new('Folder', game.ReplicatedStorage).Name = 'Moving'",
    )?;
    place.step(0.1)?;
    assert!(place.net_id(c, "ReplicatedStorage.Moving")?.is_some());
    place.run(
        Side::Server,
        "game.ReplicatedStorage.Moving.Parent = game.ServerStorage",
    )?;
    place.step(0.1)?;
    assert!(place.net_id(c, "ReplicatedStorage.Moving")?.is_none());
    Ok(())
}

#[test]
fn late_clients_get_the_tree_and_the_modules() -> Result<(), MockError> {
    let mut place = Place::new()?;
    place.install_modules(
        "ReplicatedStorage.Net",
        &[("shared", "return { answer = 42 }")],
    )?;
    place.run(
        Side::Server,
        "local p = Instance.new('Part') p.Name = 'Floor' p.Anchored = true p.Parent = workspace",
    )?;
    let client = place.add_client("Bob")?;
    let c = Side::Client(client);
    assert_eq!(
        place.eval_as::<f64>(c, "require(game.ReplicatedStorage.Net.shared).answer")?,
        42.0
    );
    assert!(place.eval_as::<bool>(c, "workspace.Floor.Anchored")?);
    assert_eq!(
        place.net_id(c, "Workspace.Floor")?,
        place.net_id(Side::Server, "Workspace.Floor")?
    );

    // Installed after a client joined: present at once for it too.
    place.install_modules("ReplicatedStorage.Net", &[("later", "return 'late'")])?;
    assert_eq!(
        place.eval_as::<String>(c, "require(game.ReplicatedStorage.Net.later)")?,
        "late"
    );
    Ok(())
}

#[test]
fn wait_for_child_times_out_and_warns_about_infinite_yields() -> Result<(), MockError> {
    let mut place = Place::new()?;
    place.run(
        Side::Server,
        r#"
        task.spawn(function()
            print("timeout", game.ReplicatedStorage:WaitForChild("Never", 2))
        end)
        game.ReplicatedStorage:WaitForChild("Nope")
        "#,
    )?;
    place.step_n(10, 0.25)?;
    let output = place.output(Side::Server)?;
    assert_eq!(output[0].text, "timeout nil");
    place.step_n(12, 0.25)?;
    let output = place.output(Side::Server)?;
    let warning = output
        .iter()
        .find(|l| l.kind == OutputKind::Warn)
        .map(|l| l.text.as_str());
    assert_eq!(
        warning,
        Some("Infinite yield possible on 'ReplicatedStorage:WaitForChild(\"Nope\")'")
    );
    Ok(())
}

#[test]
fn players_join_and_leave() -> Result<(), MockError> {
    let mut place = Place::new()?;
    place.run(
        Side::Server,
        r#"
        local Players = game:GetService("Players")
        Players.PlayerAdded:Connect(function(p) print("added", p.Name, p.UserId) end)
        Players.PlayerRemoving:Connect(function(p) print("removing", p.Name, #Players:GetPlayers()) end)
        "#,
    )?;
    let alice = place.add_client("Alice")?;
    let bob = place.add_client("Bob")?;
    let texts: Vec<String> = place
        .output(Side::Server)?
        .into_iter()
        .map(|l| l.text)
        .collect();
    assert_eq!(texts, ["added Alice 1", "added Bob 2"]);
    assert_eq!(
        place.eval_as::<String>(Side::Client(bob), "game.Players.LocalPlayer.Name")?,
        "Bob"
    );
    assert!(place.eval_as::<bool>(Side::Client(bob), "game.Players.LocalPlayer:IsA('Player')")?);
    // Alice sees Bob one step later.
    assert_eq!(
        place.eval_as::<f64>(Side::Client(alice), "#game.Players:GetPlayers()")?,
        1.0
    );
    place.step(0.1)?;
    assert_eq!(
        place.eval_as::<f64>(Side::Client(alice), "#game.Players:GetPlayers()")?,
        2.0
    );
    assert_eq!(
        place.player_net_id(bob)?,
        place
            .net_id(Side::Client(alice), "Players.Bob")?
            .ok_or(MockError::NotFound("Bob".into()))?
    );

    place.remove_client(bob)?;
    assert_eq!(
        place.output(Side::Server)?.last().map(|l| l.text.clone()),
        Some("removing Bob 2".into())
    );
    assert!(matches!(
        place.eval(Side::Client(bob), "1"),
        Err(MockError::UnknownClient(_))
    ));
    place.step(0.1)?;
    assert_eq!(
        place.eval_as::<f64>(Side::Client(alice), "#game.Players:GetPlayers()")?,
        1.0
    );
    Ok(())
}

event Position = {
	from: Client,
	type: Unreliable,
	call: ManySync,
	data: Vector3,
}

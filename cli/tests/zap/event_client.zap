event Jump = {
	from: Client,
	type: Reliable,
	call: SingleAsync,
	data: u8(1..3),
}

//! What Tether knows of Roblox: classes and enums from the reflection
//! database, and which services replicate to clients.

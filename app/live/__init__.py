"""The live channel: Socket.IO connection, forum rooms and full-state snapshots."""

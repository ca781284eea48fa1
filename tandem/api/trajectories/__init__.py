"""The trajectories family: the visible trajectories, one with its plan, a contact, an action's
status."""

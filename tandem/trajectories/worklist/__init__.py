"""What the duo must do on its trajectories today (the home page's work panels, issue 18)."""

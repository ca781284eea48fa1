"""What group work asks of the mediator (the home page's work panels, issue 18)."""

"""The home page's work panels, one module per topic (issue 18: "what must I do today?")."""
